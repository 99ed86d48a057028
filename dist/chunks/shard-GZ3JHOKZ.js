import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-KYZ7ZFSU.js";import"./chunk-ECDKOGAE.js";import"./chunk-AW3EELEE.js";import"./chunk-T5J7IH5C.js";import"./chunk-CI62U3SX.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
