import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-FWAE2OYM.js";import"./chunk-3VZQTD5Y.js";import"./chunk-DAMTFNFU.js";import"./chunk-SVQPPC3G.js";import"./chunk-65SXR3YZ.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
