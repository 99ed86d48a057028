import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-6M4KGXYK.js";import"../chunks/chunk-5PKTMLSM.js";import{w as o}from"../chunks/chunk-VTIQAZR7.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
