import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{e as a,f as b,g as c}from"./chunk-4IA47GYJ.js";import"./chunk-L7FWDXVM.js";import"./chunk-AUHVS4XR.js";import"./chunk-O63S3KYY.js";import"./chunk-MOBGL7IQ.js";import"./chunk-65SXR3YZ.js";import"./chunk-RUOKFGRG.js";export{b as aggregateJob,c as outcome,a as readSources};
