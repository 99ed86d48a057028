import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-WUXW6ME3.js";import"./chunk-RUOKFGRG.js";export{a as startShard};
