import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-XXPDLZPU.js";import"./chunk-REILL2C6.js";import"./chunk-AUHVS4XR.js";import"./chunk-SSXREH55.js";import"./chunk-PGQFTXWV.js";import"./chunk-FOBIJPHL.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
