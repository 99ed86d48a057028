import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-67RND3FB.js";import"./chunk-FF5G2VSA.js";import"./chunk-YNUDJQD5.js";import"./chunk-Y5W2SIYW.js";import"./chunk-VTIQAZR7.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
