import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-JLBPEBE2.js";import"./chunk-HT27Z2OS.js";import"./chunk-VTIQAZR7.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
