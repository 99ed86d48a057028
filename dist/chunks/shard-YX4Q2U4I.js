import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-T66JRDFE.js";import"./chunk-SD6U34VK.js";import"./chunk-YNUDJQD5.js";import"./chunk-HT27Z2OS.js";import"./chunk-VTIQAZR7.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
