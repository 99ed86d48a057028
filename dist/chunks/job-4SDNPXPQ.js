import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{b as a,c as b,d as c,e as d}from"./chunk-MSXTZ3HA.js";import"./chunk-64BW2CMU.js";import"./chunk-XWDA635N.js";import"./chunk-RUOKFGRG.js";export{d as aggregateJob,a as divideReports,c as shardJob,b as splitOf};
