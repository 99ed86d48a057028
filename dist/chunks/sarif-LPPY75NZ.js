import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-32JZTMK4.js";import"./chunk-MAKLL4N3.js";import"./chunk-Z6UG2OMK.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
