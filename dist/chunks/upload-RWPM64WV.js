import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c,d}from"./chunk-CXGOZNUS.js";import"./chunk-XFTHYQ7R.js";import"./chunk-G6DI5B6J.js";import"./chunk-RUOKFGRG.js";export{a as PROCESSING_WAIT,b as readOnlyTokenEvent,d as uploadForRun,c as uploadSarif};
