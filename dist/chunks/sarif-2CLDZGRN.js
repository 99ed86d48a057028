import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-5S52J3QI.js";import"./chunk-FXUR4TOM.js";import"./chunk-62GDR5HQ.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
