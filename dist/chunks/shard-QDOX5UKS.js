import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-G5UTAISE.js";import"./chunk-VL5NBLZG.js";import"./chunk-YNUDJQD5.js";import"./chunk-Y5W2SIYW.js";import"./chunk-VTIQAZR7.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
