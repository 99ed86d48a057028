import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{b as a,c as b,d as c,e as d}from"./chunk-F7CLLE2D.js";import"./chunk-4IJVNFB6.js";import"./chunk-HAW5IFP5.js";import"./chunk-RUOKFGRG.js";export{d as aggregateJob,a as divideReports,c as shardJob,b as splitOf};
