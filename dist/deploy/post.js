import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{f as r}from"../chunks/chunk-LCT36XRI.js";import"../chunks/chunk-5PKTMLSM.js";import{B as o}from"../chunks/chunk-CI62U3SX.js";import"../chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
