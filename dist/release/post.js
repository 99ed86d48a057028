import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-TCSRSZFR.js";import"../chunks/chunk-VDG4OXEO.js";import{r as o}from"../chunks/chunk-23MBH2KG.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
