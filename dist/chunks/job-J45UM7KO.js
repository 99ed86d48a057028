import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{c as a}from"./chunk-KESQ2JFN.js";import"./chunk-TMMOOFC3.js";import"./chunk-RUOKFGRG.js";export{a as aggregateJob};
