import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-SWQ23HZT.js";import"../chunks/chunk-5PKTMLSM.js";import{y as o}from"../chunks/chunk-65SXR3YZ.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
