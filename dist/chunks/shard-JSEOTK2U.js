import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-IKGAISZT.js";import"./chunk-32U47IAX.js";import"./chunk-HXNT4RRF.js";import"./chunk-FXUR4TOM.js";import"./chunk-62GDR5HQ.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
