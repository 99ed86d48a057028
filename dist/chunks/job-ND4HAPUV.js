import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-342HC6B6.js";import"./chunk-SD6U34VK.js";import"./chunk-AUHVS4XR.js";import"./chunk-YNUDJQD5.js";import"./chunk-HT27Z2OS.js";import"./chunk-VTIQAZR7.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
