#!/usr/bin/env node
// Runs the TypeScript source directly: Node 24 strips types natively (the toolkit requires Node >= 24).
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(`pipeline-toolkit needs Node.js 24 or newer (this is ${process.version}).`);
  process.exit(2);
}
await import('../src/bin.ts');
