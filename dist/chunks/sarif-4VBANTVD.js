import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-YYQGT6LH.js";import"./chunk-VD6WVMWE.js";import"./chunk-YFQOBBG6.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
