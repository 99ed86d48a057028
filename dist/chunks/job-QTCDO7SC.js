import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{b as a}from"./chunk-RZ5A65NJ.js";import"./chunk-ZABCYXTJ.js";import"./chunk-77CMZBGO.js";import"./chunk-23MBH2KG.js";import"./chunk-RUOKFGRG.js";export{a as aggregateJob};
