import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{h as a}from"./chunk-DK3H3QP7.js";import"./chunk-RUOKFGRG.js";export{a as aggregateJob};
