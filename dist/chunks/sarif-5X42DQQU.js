import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-SQQ7PLIG.js";import"./chunk-PCPQPHSV.js";import"./chunk-G6DI5B6J.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
