import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{b as a,c as b}from"./chunk-XOXVP4YY.js";import"./chunk-YMUMHIKM.js";import"./chunk-HAW5IFP5.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,a as divideReports};
