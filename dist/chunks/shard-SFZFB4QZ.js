import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-PVHN5PNH.js";import"./chunk-TY3CQOBY.js";import"./chunk-AW3EELEE.js";import"./chunk-IPVC5XVG.js";import"./chunk-CI62U3SX.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
