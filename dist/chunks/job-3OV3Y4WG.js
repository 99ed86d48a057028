import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-7FDL4TAV.js";import"./chunk-UKY6V4AR.js";import"./chunk-AUHVS4XR.js";import"./chunk-7NETJ3KQ.js";import"./chunk-VD6WVMWE.js";import"./chunk-YFQOBBG6.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
