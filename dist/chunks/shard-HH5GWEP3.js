import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-3RZGA6NF.js";import"./chunk-WDNENMT3.js";import"./chunk-4LWKK5P7.js";import"./chunk-JUZIAY4A.js";import"./chunk-DDGWGLTS.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
