import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-ATB2WNF4.js";import"./chunk-WDNENMT3.js";import"./chunk-AUHVS4XR.js";import"./chunk-4LWKK5P7.js";import"./chunk-JUZIAY4A.js";import"./chunk-DDGWGLTS.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
