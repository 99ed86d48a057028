import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-CFY3DZQB.js";import"./chunk-WDCZ33UL.js";import"./chunk-TLFH27I6.js";import"./chunk-QPQBKYXL.js";import"./chunk-EYIISY2W.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
