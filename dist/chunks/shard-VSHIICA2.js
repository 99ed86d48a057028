import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-BJ3C5XQS.js";import"./chunk-PV6JWEGF.js";import"./chunk-6NZIB66T.js";import"./chunk-CU3ZLE5A.js";import"./chunk-KQ62SEIY.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
