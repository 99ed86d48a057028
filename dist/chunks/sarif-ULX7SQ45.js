import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-FAKWAUMV.js";import"./chunk-T5J7IH5C.js";import"./chunk-CI62U3SX.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
