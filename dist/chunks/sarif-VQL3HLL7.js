import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-EWRK3KNR.js";import"./chunk-PBTKHL5B.js";import"./chunk-CI62U3SX.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
