import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-VBE5GO7D.js";import"./chunk-QEQWHYOY.js";import"./chunk-CO6RPY4C.js";import"./chunk-H3J67X4R.js";import"./chunk-J5JRJS7B.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
