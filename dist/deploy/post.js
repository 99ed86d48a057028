import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{j as r}from"../chunks/chunk-ECP6A2MF.js";import"../chunks/chunk-VDG4OXEO.js";import{r as o}from"../chunks/chunk-WLO2L7SX.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
