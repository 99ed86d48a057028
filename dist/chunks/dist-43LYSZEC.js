import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-DX3ZWFVI.js";import"./chunk-RUOKFGRG.js";export default a();
