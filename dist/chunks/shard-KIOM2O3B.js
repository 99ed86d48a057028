import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-WUWFNDTL.js";import"./chunk-TPBEX3HM.js";import"./chunk-GLRM65UG.js";import"./chunk-DX3ZWFVI.js";import"./chunk-OVHMGDND.js";import"./chunk-Z6UG2OMK.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
