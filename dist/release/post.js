import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-YHQAV7ET.js";import"../chunks/chunk-5PKTMLSM.js";import{x as o}from"../chunks/chunk-6XCQDO7Z.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
