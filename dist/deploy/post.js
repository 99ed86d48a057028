import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-LY47I3RV.js";import"../chunks/chunk-5PKTMLSM.js";import{w as o}from"../chunks/chunk-M2NTBW6P.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
