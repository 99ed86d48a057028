import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c}from"./chunk-7HO4TSJM.js";import"./chunk-HT27Z2OS.js";import"./chunk-VTIQAZR7.js";import"./chunk-RUOKFGRG.js";export{a as readOnlyTokenEvent,c as uploadForRun,b as uploadSarif};
