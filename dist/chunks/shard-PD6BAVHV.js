import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as a,e as b}from"./chunk-WHR63EIC.js";import"./chunk-L7FWDXVM.js";import"./chunk-O63S3KYY.js";import"./chunk-MOBGL7IQ.js";import"./chunk-65SXR3YZ.js";import"./chunk-RUOKFGRG.js";export{a as Shard,b as runShard};
