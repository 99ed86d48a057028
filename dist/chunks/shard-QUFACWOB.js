import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{w as a,x as b,y as c}from"./chunk-77CMZBGO.js";import"./chunk-23MBH2KG.js";import"./chunk-RUOKFGRG.js";export{b as Shard,a as ShardReportError,c as runShard};
