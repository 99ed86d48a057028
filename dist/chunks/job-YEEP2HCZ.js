import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-3QEJE7XF.js";import"./chunk-GG76TYYX.js";import"./chunk-AUHVS4XR.js";import"./chunk-RKJIE7RA.js";import"./chunk-JWLWNYSS.js";import"./chunk-KQFS2RYF.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
