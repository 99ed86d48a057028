import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-ET54JSCT.js";import"./chunk-3VZQTD5Y.js";import"./chunk-AUHVS4XR.js";import"./chunk-DAMTFNFU.js";import"./chunk-SVQPPC3G.js";import"./chunk-65SXR3YZ.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
