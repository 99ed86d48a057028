import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-TO6PXRWL.js";import"./chunk-GVFMHZCE.js";import"./chunk-FYH6AIAR.js";import"./chunk-W75I6AVB.js";import"./chunk-2ASLJTM2.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
