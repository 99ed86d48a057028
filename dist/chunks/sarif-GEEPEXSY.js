import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-OO4XBAUH.js";import"./chunk-VERFCS5C.js";import"./chunk-U2PQC2QY.js";import"./chunk-5JCNM2PF.js";import"./chunk-6LSQ4ZPB.js";import"./chunk-AKFKPGND.js";import"./chunk-4Y3T4UUZ.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
