import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-K35NKBFR.js";import"./chunk-PWZO2CEM.js";import"./chunk-7NETJ3KQ.js";import"./chunk-VD6WVMWE.js";import"./chunk-YFQOBBG6.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
