import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-J3XR5BN7.js";import"./chunk-GVFMHZCE.js";import"./chunk-AUHVS4XR.js";import"./chunk-FYH6AIAR.js";import"./chunk-W75I6AVB.js";import"./chunk-2ASLJTM2.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
