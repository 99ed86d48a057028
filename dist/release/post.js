import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-QJ2EGH4X.js";import"../chunks/chunk-5PKTMLSM.js";import{w as o}from"../chunks/chunk-Z6UG2OMK.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
