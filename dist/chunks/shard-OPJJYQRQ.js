import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-T3AYOJ7B.js";import"./chunk-7PLQFBSW.js";import"./chunk-NSNTL2PT.js";import"./chunk-NS6GUEQG.js";import"./chunk-6XCQDO7Z.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
