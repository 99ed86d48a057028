import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{b as a,c as b,d as c,e as d}from"./chunk-BI2LRWSN.js";import"./chunk-WRP4VH6Q.js";import"./chunk-WLO2L7SX.js";import"./chunk-RUOKFGRG.js";export{d as aggregateJob,a as divideReports,c as shardJob,b as splitOf};
