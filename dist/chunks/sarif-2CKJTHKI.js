import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-BPRDIFES.js";import"./chunk-XFTHYQ7R.js";import"./chunk-G6DI5B6J.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
