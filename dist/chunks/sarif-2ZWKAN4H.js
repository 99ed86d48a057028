import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-JBJ7C3YS.js";import"./chunk-Y5W2SIYW.js";import"./chunk-VTIQAZR7.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
