import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-XVC4WNXY.js";import"./chunk-WMNXLX4F.js";import"./chunk-GLRM65UG.js";import"./chunk-DX3ZWFVI.js";import"./chunk-MAKLL4N3.js";import"./chunk-Z6UG2OMK.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
