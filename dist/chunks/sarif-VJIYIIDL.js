import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-QU7HRPCZ.js";import"./chunk-MOBGL7IQ.js";import"./chunk-65SXR3YZ.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
