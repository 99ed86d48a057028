import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{c as a,d as b}from"./chunk-QMWQK5IB.js";import"./chunk-LC5IJNBP.js";import"./chunk-HAW5IFP5.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,a as readerSplit};
