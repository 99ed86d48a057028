import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{b as a}from"./chunk-KVHDLSAC.js";import"./chunk-ZABCYXTJ.js";import"./chunk-6EZDUC6I.js";import"./chunk-WLO2L7SX.js";import"./chunk-RUOKFGRG.js";export{a as aggregateJob};
