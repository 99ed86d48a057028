import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{w as a,x as b,y as c}from"./chunk-SOA2RT2C.js";import"./chunk-YSYJQBLL.js";import"./chunk-RUOKFGRG.js";export{b as Shard,a as ShardReportError,c as runShard};
