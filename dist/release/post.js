import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-IHXYW6LD.js";import"../chunks/chunk-5PKTMLSM.js";import{w as o}from"../chunks/chunk-2ASLJTM2.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
