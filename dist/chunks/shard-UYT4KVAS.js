import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-QMEV5KQR.js";import"./chunk-HHMP4HMN.js";import"./chunk-NSNTL2PT.js";import"./chunk-UQM5TNYH.js";import"./chunk-6XCQDO7Z.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
