import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-U25AXKA5.js";import"./chunk-REILL2C6.js";import"./chunk-SSXREH55.js";import"./chunk-PGQFTXWV.js";import"./chunk-FOBIJPHL.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
