import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-LJDASRZO.js";import"./chunk-IF6EUQRJ.js";import"./chunk-QYBV6YEM.js";import"./chunk-RUOKFGRG.js";export{b as Headers,h as HttpClient,e as HttpClientError,f as HttpClientResponse,a as HttpCodes,c as MediaTypes,d as getProxyUrl,g as isHttps};
