import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{w as a,x as b,y as c}from"./chunk-4IJVNFB6.js";import"./chunk-HAW5IFP5.js";import"./chunk-RUOKFGRG.js";export{b as Shard,a as ShardReportError,c as startShard};
