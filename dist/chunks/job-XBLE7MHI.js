import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{c as a,d as b,e as c}from"./chunk-U2PQC2QY.js";import"./chunk-5JCNM2PF.js";import"./chunk-6LSQ4ZPB.js";import"./chunk-AKFKPGND.js";import"./chunk-4Y3T4UUZ.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
