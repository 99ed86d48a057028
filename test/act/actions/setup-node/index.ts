/** actions/setup-node, offline: the node running this stand-in, if its major version is the one asked for. */
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';

const input = (name: string) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
const fail = (message: string): never => {
  console.log(`::error title=setup-node (local stand-in)::${message}`);
  process.exit(1);
};

const file = input('node-version-file');
const wanted = (file ? readFileSync(path.resolve(process.env['GITHUB_WORKSPACE'] ?? '.', file), 'utf8') : input('node-version'))
  .trim()
  .replace(/^v/, '');
const version = process.versions.node;
if (wanted && version !== wanted && version.split('.')[0] !== wanted.split('.')[0])
  fail(`node ${wanted} was asked for; the node on PATH (${process.execPath}) is ${version}.`);
console.log(`Node ${version} from ${process.execPath}`);
appendFileSync(process.env['GITHUB_PATH']!, `${path.dirname(process.execPath)}\n`);
appendFileSync(process.env['GITHUB_OUTPUT']!, `node-version=v${version}\n`);
