import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{b as a}from"./chunk-PJPGYD2P.js";import"./chunk-ZABCYXTJ.js";import"./chunk-F5NKH2A2.js";import"./chunk-WLO2L7SX.js";import"./chunk-RUOKFGRG.js";export{a as aggregateJob};
