import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-UNSQ4ZVF.js";import"./chunk-U5NVAGLP.js";import"./chunk-AUHVS4XR.js";import"./chunk-NSNTL2PT.js";import"./chunk-PQF5GTZ4.js";import"./chunk-6XCQDO7Z.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
