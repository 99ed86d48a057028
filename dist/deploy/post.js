import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{j as r}from"../chunks/chunk-VYJ22QNJ.js";import"../chunks/chunk-VDG4OXEO.js";import{r as o}from"../chunks/chunk-XWDA635N.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
