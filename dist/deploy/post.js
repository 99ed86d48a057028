import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-G2XU3S27.js";import"../chunks/chunk-5PKTMLSM.js";import{w as o}from"../chunks/chunk-KQ62SEIY.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
