import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b}from"./chunk-7DHGGNBF.js";import"./chunk-RUOKFGRG.js";export{a as exec,b as getExecOutput};
