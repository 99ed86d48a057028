import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-5MTMIZSJ.js";import"./chunk-CU3ZLE5A.js";import"./chunk-KQ62SEIY.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
