import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c}from"./chunk-DLTPEJJP.js";import"./chunk-QPQBKYXL.js";import"./chunk-EYIISY2W.js";import"./chunk-RUOKFGRG.js";export{a as readOnlyTokenEvent,c as uploadForRun,b as uploadSarif};
