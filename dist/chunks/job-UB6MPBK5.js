import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-RPIBJ26V.js";import"./chunk-LNPHABCN.js";import"./chunk-AUHVS4XR.js";import"./chunk-7PBM2UXB.js";import"./chunk-TKGTUNN6.js";import"./chunk-M2NTBW6P.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
