import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-ZDQ7JIXQ.js";import"./chunk-IDNOKH4C.js";import"./chunk-AUHVS4XR.js";import"./chunk-AONBLVWQ.js";import"./chunk-PCPQPHSV.js";import"./chunk-G6DI5B6J.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
