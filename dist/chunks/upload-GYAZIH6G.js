import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c,d}from"./chunk-ONJXY2HL.js";import"./chunk-H3J67X4R.js";import"./chunk-J5JRJS7B.js";import"./chunk-RUOKFGRG.js";export{a as PROCESSING_WAIT,b as readOnlyTokenEvent,d as uploadForRun,c as uploadSarif};
