import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-BNCW7N3E.js";import"./chunk-A5EU7GSM.js";import"./chunk-NSNTL2PT.js";import"./chunk-ZREYRYQ6.js";import"./chunk-6XCQDO7Z.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
