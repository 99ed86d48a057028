import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as o}from"./chunks/chunk-TLIXCZLO.js";import{o as r}from"./chunks/chunk-3TOB6LBL.js";import"./chunks/chunk-VDG4OXEO.js";import"./chunks/chunk-RUOKFGRG.js";await r(o);
