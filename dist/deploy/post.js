import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{j as r}from"./chunks/chunk-FDLPT4WH.js";import{o}from"./chunks/chunk-3TOB6LBL.js";import"./chunks/chunk-VDG4OXEO.js";import"./chunks/chunk-RUOKFGRG.js";await o(i=>r(i));
