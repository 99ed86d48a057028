import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c}from"./chunk-KRYXRGZV.js";import"./chunk-7N7CJVUQ.js";import"./chunk-KQ62SEIY.js";import"./chunk-RUOKFGRG.js";export{a as readOnlyTokenEvent,c as uploadForRun,b as uploadSarif};
