import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-B5MSS35G.js";import"./chunk-4YY6XZNC.js";import"./chunk-AUHVS4XR.js";import"./chunk-6NZIB66T.js";import"./chunk-7N7CJVUQ.js";import"./chunk-KQ62SEIY.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
