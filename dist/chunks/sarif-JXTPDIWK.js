import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-FPDBEIUL.js";import"./chunk-JUZIAY4A.js";import"./chunk-DDGWGLTS.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
