import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
console.log("x");
