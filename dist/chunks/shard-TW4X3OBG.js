import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-T52GDLZ5.js";import"./chunk-RRXER6TC.js";import"./chunk-FYH6AIAR.js";import"./chunk-RZAV77HT.js";import"./chunk-2ASLJTM2.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
