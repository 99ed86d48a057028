import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-2DVLN3T3.js";import"../chunks/chunk-425YXMSX.js";import{w as o}from"../chunks/chunk-4Y3T4UUZ.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
