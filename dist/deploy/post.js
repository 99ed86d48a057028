import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-FPHAGHNN.js";import"../chunks/chunk-5PKTMLSM.js";import{A as o}from"../chunks/chunk-G6DI5B6J.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
