import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-4VW2S3A4.js";import"./chunk-ZREYRYQ6.js";import"./chunk-6XCQDO7Z.js";import"./chunk-RUOKFGRG.js";export{a as lintSarif};
