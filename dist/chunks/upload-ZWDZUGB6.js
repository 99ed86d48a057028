import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c}from"./chunk-UQNKUM3U.js";import"./chunk-I3IFXTP3.js";import"./chunk-NAF2G73N.js";import"./chunk-RUOKFGRG.js";export{a as readOnlyTokenEvent,c as uploadForRun,b as uploadSarif};
