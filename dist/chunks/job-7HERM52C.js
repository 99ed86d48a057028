import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{b as a}from"./chunk-YZET4JF5.js";import"./chunk-ZABCYXTJ.js";import"./chunk-7TAPACFD.js";import"./chunk-WLO2L7SX.js";import"./chunk-RUOKFGRG.js";export{a as aggregateJob};
