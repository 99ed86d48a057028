import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c,d}from"./chunk-QS7XRTDV.js";import"./chunk-VD6WVMWE.js";import"./chunk-YFQOBBG6.js";import"./chunk-RUOKFGRG.js";export{a as PROCESSING_WAIT,b as readOnlyTokenEvent,d as uploadForRun,c as uploadSarif};
