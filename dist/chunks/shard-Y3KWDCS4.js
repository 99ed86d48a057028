import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-QXKWQA3E.js";import"./chunk-4YY6XZNC.js";import"./chunk-6NZIB66T.js";import"./chunk-7N7CJVUQ.js";import"./chunk-KQ62SEIY.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
