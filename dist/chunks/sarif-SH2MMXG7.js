import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-KCMSEJ33.js";import"./chunk-TKGTUNN6.js";import"./chunk-M2NTBW6P.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
