import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-VJAS6IKB.js";import"./chunk-PGQFTXWV.js";import"./chunk-FOBIJPHL.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
