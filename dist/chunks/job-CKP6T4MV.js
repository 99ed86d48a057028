import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{b as a,c as b,d as c,e as d}from"./chunk-56G3R5N3.js";import"./chunk-L7KJZF3N.js";import"./chunk-WLO2L7SX.js";import"./chunk-RUOKFGRG.js";export{d as aggregateJob,a as divideReports,c as shardJob,b as splitOf};
