import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{h as a}from"./chunk-EIK5O5IE.js";import"./chunk-RUOKFGRG.js";export{a as aggregateJob};
