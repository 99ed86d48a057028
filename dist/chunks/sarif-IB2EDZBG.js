import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-KBISN6TJ.js";import"./chunk-QPQBKYXL.js";import"./chunk-EYIISY2W.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
