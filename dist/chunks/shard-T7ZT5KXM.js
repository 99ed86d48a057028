import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-KUSB7WPI.js";import"./chunk-6LSQ4ZPB.js";import"./chunk-AKFKPGND.js";import"./chunk-4Y3T4UUZ.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
