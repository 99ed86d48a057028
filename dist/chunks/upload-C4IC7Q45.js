import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-S5CWHUBI.js";import"./chunk-PBTKHL5B.js";import"./chunk-CI62U3SX.js";import"./chunk-RUOKFGRG.js";export{a as PROCESSING_WAIT,b as readOnlyTokenEvent,e as uploadForRun,c as uploadSarif,d as uploadThenGate};
