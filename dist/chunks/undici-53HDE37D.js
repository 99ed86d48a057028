import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a}from"./chunk-QYBV6YEM.js";import"./chunk-RUOKFGRG.js";export default a();
