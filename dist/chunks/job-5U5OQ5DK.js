import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-QF7A4GOY.js";import"./chunk-IQS3JTUD.js";import"./chunk-AUHVS4XR.js";import"./chunk-KZ7JWQT5.js";import"./chunk-I3IFXTP3.js";import"./chunk-NAF2G73N.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
