import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-SDJH44W7.js";import"./chunk-RZAV77HT.js";import"./chunk-2ASLJTM2.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
