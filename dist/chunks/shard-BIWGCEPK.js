import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-B2QQ3SP6.js";import"./chunk-EZOPEHII.js";import"./chunk-DAMTFNFU.js";import"./chunk-SVQPPC3G.js";import"./chunk-65SXR3YZ.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
