import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{b as a}from"./chunk-7GQASJUN.js";import"./chunk-ZABCYXTJ.js";import"./chunk-SOA2RT2C.js";import"./chunk-YSYJQBLL.js";import"./chunk-RUOKFGRG.js";export{a as aggregateJob};
