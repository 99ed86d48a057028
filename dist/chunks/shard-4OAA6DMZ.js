import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-6SLB5FHL.js";import"./chunk-GG76TYYX.js";import"./chunk-RKJIE7RA.js";import"./chunk-JWLWNYSS.js";import"./chunk-KQFS2RYF.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
