import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c,d}from"./chunk-XTITQTCX.js";import"./chunk-QPQBKYXL.js";import"./chunk-EYIISY2W.js";import"./chunk-RUOKFGRG.js";export{a as PROCESSING_WAIT,b as readOnlyTokenEvent,d as uploadForRun,c as uploadSarif};
