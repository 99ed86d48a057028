import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-PL7WFP66.js";import"./chunk-32U47IAX.js";import"./chunk-AUHVS4XR.js";import"./chunk-HXNT4RRF.js";import"./chunk-FXUR4TOM.js";import"./chunk-62GDR5HQ.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
