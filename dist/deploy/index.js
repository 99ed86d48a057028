import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{d as o}from"./chunks/chunk-UG5YJQJK.js";import{o as r}from"./chunks/chunk-37G6XBHY.js";import"./chunks/chunk-VDG4OXEO.js";import"./chunks/chunk-WH3ATK5P.js";await r(o);
