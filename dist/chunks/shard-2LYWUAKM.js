import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-PYE3ITYL.js";import"./chunk-FSVB3SK7.js";import"./chunk-AW3EELEE.js";import"./chunk-PBTKHL5B.js";import"./chunk-CI62U3SX.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
