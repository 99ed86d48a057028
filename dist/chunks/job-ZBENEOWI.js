import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-EWQW2RUX.js";import"./chunk-RRXER6TC.js";import"./chunk-AUHVS4XR.js";import"./chunk-FYH6AIAR.js";import"./chunk-RZAV77HT.js";import"./chunk-2ASLJTM2.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
