import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-BS5TKKJW.js";import"./chunk-UUE4PDT4.js";import"./chunk-U2AYTSZZ.js";import"./chunk-DX3ZWFVI.js";import"./chunk-RGEKJ4H7.js";import"./chunk-HVQVKNFY.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
