import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-V5S5ZJ6P.js";import"./chunk-U5NVAGLP.js";import"./chunk-NSNTL2PT.js";import"./chunk-PQF5GTZ4.js";import"./chunk-6XCQDO7Z.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
