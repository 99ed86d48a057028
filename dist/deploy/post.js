import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-NRY37XLX.js";import"../chunks/chunk-5PKTMLSM.js";import{w as o}from"../chunks/chunk-62GDR5HQ.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
