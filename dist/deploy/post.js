import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{j as r}from"../chunks/chunk-7PPTI5VU.js";import"../chunks/chunk-VDG4OXEO.js";import{r as o}from"../chunks/chunk-TMMOOFC3.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
