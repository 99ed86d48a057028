import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-W7527VEX.js";import"./chunk-H3J67X4R.js";import"./chunk-J5JRJS7B.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
