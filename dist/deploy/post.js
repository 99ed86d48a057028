import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{j as r}from"../chunks/chunk-E4T5VVIQ.js";import"../chunks/chunk-VDG4OXEO.js";import{q as o}from"../chunks/chunk-LNDJCAS3.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
