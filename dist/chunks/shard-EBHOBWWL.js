import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-BYNY5M6L.js";import"./chunk-IQS3JTUD.js";import"./chunk-KZ7JWQT5.js";import"./chunk-I3IFXTP3.js";import"./chunk-NAF2G73N.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
