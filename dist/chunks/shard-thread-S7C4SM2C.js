import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b}from"./chunk-J4CQK6KZ.js";import"./chunk-RUOKFGRG.js";export{a as RESOURCE_LIMITS,b as startShard};
