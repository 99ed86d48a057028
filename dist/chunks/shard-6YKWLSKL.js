import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-2OXGGUID.js";import"./chunk-IDNOKH4C.js";import"./chunk-AONBLVWQ.js";import"./chunk-PCPQPHSV.js";import"./chunk-G6DI5B6J.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
