import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c,d}from"./chunk-TAGYDUEZ.js";import"./chunk-PBTKHL5B.js";import"./chunk-CI62U3SX.js";import"./chunk-RUOKFGRG.js";export{a as PROCESSING_WAIT,b as readOnlyTokenEvent,d as uploadForRun,c as uploadSarif};
