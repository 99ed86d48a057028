import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c}from"./chunk-ACQFI7BA.js";import"./chunk-JUZIAY4A.js";import"./chunk-DDGWGLTS.js";import"./chunk-RUOKFGRG.js";export{a as readOnlyTokenEvent,c as uploadForRun,b as uploadSarif};
