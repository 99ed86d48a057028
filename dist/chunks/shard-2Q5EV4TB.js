import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{w as a,x as b,y as c}from"./chunk-WRP4VH6Q.js";import"./chunk-WLO2L7SX.js";import"./chunk-RUOKFGRG.js";export{b as Shard,a as ShardReportError,c as startShard};
