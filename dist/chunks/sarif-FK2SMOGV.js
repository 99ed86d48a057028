import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-EL2FQGEV.js";import"./chunk-OVHMGDND.js";import"./chunk-Z6UG2OMK.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
