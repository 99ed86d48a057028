import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{w as a,x as b}from"./chunk-YMUMHIKM.js";import"./chunk-HAW5IFP5.js";import"./chunk-RUOKFGRG.js";export{b as Shard,a as ShardReportError};
