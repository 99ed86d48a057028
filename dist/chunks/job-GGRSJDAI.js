import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{c as a,d as b,e as c}from"./chunk-KB2P3QW6.js";import"./chunk-5JCNM2PF.js";import"./chunk-Z4TUPNT5.js";import"./chunk-Q25DDQ7F.js";import"./chunk-K5LLXNBY.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
