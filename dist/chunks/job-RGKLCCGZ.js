import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-ED44S74J.js";import"./chunk-PWZO2CEM.js";import"./chunk-AUHVS4XR.js";import"./chunk-7NETJ3KQ.js";import"./chunk-VD6WVMWE.js";import"./chunk-YFQOBBG6.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
