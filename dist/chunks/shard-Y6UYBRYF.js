import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{x as a,y as b,z as c}from"./chunk-F5NKH2A2.js";import"./chunk-WLO2L7SX.js";import"./chunk-RUOKFGRG.js";export{b as Shard,a as ShardReportError,c as runShard};
