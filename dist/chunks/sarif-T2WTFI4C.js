import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-BQLZVF2B.js";import"./chunk-PQF5GTZ4.js";import"./chunk-6XCQDO7Z.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
