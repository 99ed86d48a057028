import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-BCBL7Q5Q.js";import"./chunk-LNPHABCN.js";import"./chunk-7PBM2UXB.js";import"./chunk-TKGTUNN6.js";import"./chunk-M2NTBW6P.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
