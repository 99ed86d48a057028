import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-YDJZK2UD.js";import"../chunks/chunk-425YXMSX.js";import{w as o}from"../chunks/chunk-K5LLXNBY.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
