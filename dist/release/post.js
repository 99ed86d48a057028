import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-EHNGXOGN.js";import"../chunks/chunk-425YXMSX.js";import{r as o}from"../chunks/chunk-YSYJQBLL.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
