/** actions/download-artifact, offline: one named artifact from PTK_ACT_ARTIFACTS. */
import { appendFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const input = (name: string) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
const fail = (message: string): never => {
  console.log(`::error title=download-artifact (local stand-in)::${message}`);
  process.exit(1);
};

const store = process.env['PTK_ACT_ARTIFACTS'] ?? '';
const name = input('name');
if (!store) fail('PTK_ACT_ARTIFACTS is not set: there is no artifact store offline.');
if (!name) fail('the stand-in downloads one artifact by name; set name.');
const src = path.join(store, name);
if (!existsSync(src)) fail(`Artifact not found: ${name}`);
const dest = path.resolve(input('path') || '.');
mkdirSync(dest, { recursive: true });
cpSync(src, dest, { recursive: true });
console.log(`Artifact ${name} → ${dest}`);
appendFileSync(process.env['GITHUB_OUTPUT']!, `download-path=${dest}\n`);
