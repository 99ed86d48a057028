import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-PYU7UX2X.js";import"./chunk-JWLWNYSS.js";import"./chunk-KQFS2RYF.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
