import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{b as a}from"./chunk-FPQS2NCK.js";import"./chunk-MPWUSVOO.js";import"./chunk-SPDMUYTX.js";import"./chunk-MUHTIVLV.js";import"./chunk-WH3ATK5P.js";export default a();
