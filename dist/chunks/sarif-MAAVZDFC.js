import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-2WLELGXW.js";import"./chunk-J5JTASH4.js";import"./chunk-KB2P3QW6.js";import"./chunk-5JCNM2PF.js";import"./chunk-Z4TUPNT5.js";import"./chunk-Q25DDQ7F.js";import"./chunk-K5LLXNBY.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
