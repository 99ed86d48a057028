import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-QAEIQF53.js";import"./chunk-RGEKJ4H7.js";import"./chunk-HVQVKNFY.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
