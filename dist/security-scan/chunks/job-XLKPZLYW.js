import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{h as a}from"./chunk-D6MDTIZF.js";import"./chunk-RUOKFGRG.js";export{a as aggregateJob};
