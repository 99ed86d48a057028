import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-EOVCJ4LQ.js";import"./chunk-QEQWHYOY.js";import"./chunk-AUHVS4XR.js";import"./chunk-CO6RPY4C.js";import"./chunk-H3J67X4R.js";import"./chunk-J5JRJS7B.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
