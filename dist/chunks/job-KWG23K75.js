import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-BS7U5W5T.js";import"./chunk-FSVB3SK7.js";import"./chunk-AUHVS4XR.js";import"./chunk-AW3EELEE.js";import"./chunk-PBTKHL5B.js";import"./chunk-CI62U3SX.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
