import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-EKMA3XXV.js";import"./chunk-I3IFXTP3.js";import"./chunk-NAF2G73N.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
