import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-5MKE262F.js";import"./chunk-UQM5TNYH.js";import"./chunk-6XCQDO7Z.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
