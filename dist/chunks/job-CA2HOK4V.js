import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{c as a,d as b}from"./chunk-OU7KL6SN.js";import"./chunk-GRPTLQOQ.js";import"./chunk-CITFLRY7.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,a as readerSplit};
