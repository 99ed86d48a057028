import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-ZSLWNGTI.js";import"./chunk-Z4TUPNT5.js";import"./chunk-Q25DDQ7F.js";import"./chunk-K5LLXNBY.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
