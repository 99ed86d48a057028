import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{c as a}from"./chunk-LLTF2JYL.js";import"./chunk-LNDJCAS3.js";import"./chunk-RUOKFGRG.js";export{a as aggregateJob};
