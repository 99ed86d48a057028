import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-PWLZTUDX.js";import"./chunk-D3VL5FCC.js";import"./chunk-S7M46KUR.js";import"./chunk-UKLY6AY3.js";import"./chunk-FPQS2NCK.js";import"./chunk-MPWUSVOO.js";import"./chunk-SPDMUYTX.js";import"./chunk-MUHTIVLV.js";import"./chunk-WH3ATK5P.js";export default a();
