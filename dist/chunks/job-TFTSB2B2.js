import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-OWEFHNPM.js";import"./chunk-PV6JWEGF.js";import"./chunk-AUHVS4XR.js";import"./chunk-6NZIB66T.js";import"./chunk-CU3ZLE5A.js";import"./chunk-KQ62SEIY.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
