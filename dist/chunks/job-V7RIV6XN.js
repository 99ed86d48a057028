import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-WO3X4JWV.js";import"./chunk-WDCZ33UL.js";import"./chunk-AUHVS4XR.js";import"./chunk-TLFH27I6.js";import"./chunk-QPQBKYXL.js";import"./chunk-EYIISY2W.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
