import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-G77A5X2Z.js";import"./chunk-HHMP4HMN.js";import"./chunk-AUHVS4XR.js";import"./chunk-NSNTL2PT.js";import"./chunk-UQM5TNYH.js";import"./chunk-6XCQDO7Z.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
