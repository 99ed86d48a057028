import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-BGD2WBJ4.js";import"../chunks/chunk-5PKTMLSM.js";import{z as o}from"../chunks/chunk-YFQOBBG6.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
