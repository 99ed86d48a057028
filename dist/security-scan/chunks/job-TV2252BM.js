import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{h as a}from"./chunk-C6MNQU6L.js";import"./chunk-RUOKFGRG.js";export{a as aggregateJob};
