/**
 * actions/checkout, offline: repository@ref is looked up in PTK_ACT_REPOSITORIES (a JSON object
 * like {"owner/name@ref": "/abs/folder"}, the same keys as act's --local-repository) and copied
 * from that folder's working tree, so the files are those of this checkout, committed or not.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const input = (name: string) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
const fail = (message: string): never => {
  console.log(`::error title=checkout (local stand-in)::${message}`);
  process.exit(1);
};

const repository = input('repository');
const ref = input('ref');
const map = JSON.parse(process.env['PTK_ACT_REPOSITORIES'] || '{}') as Record<string, string>;
const source = map[`${repository}@${ref}`];
if (!source)
  fail(`${repository}@${ref} is not available offline: map it in PTK_ACT_REPOSITORIES (have: ${Object.keys(map).join(', ') || 'none'}).`);
const src = source as string;

const workspace = process.env['GITHUB_WORKSPACE'] ?? process.cwd();
const dest = path.resolve(workspace, input('path') || '.');
if (dest !== workspace && !dest.startsWith(workspace + path.sep)) fail(`path '${input('path')}' is outside the workspace.`);
if (dest !== workspace) rmSync(dest, { recursive: true, force: true });
mkdirSync(dest, { recursive: true });

/** Anchored literal paths only (what the pipeline uses); anything else would need git's matcher. */
function sparsePaths(lines: string[]): string[] {
  return lines.map((line) => {
    if (/[*?[\]!]/.test(line)) fail(`sparse-checkout pattern '${line}' is not supported by the stand-in (literal paths only).`);
    return line.replace(/^\/+/, '');
  });
}

const copy = (rel: string) => {
  const from = path.join(src, rel);
  if (!existsSync(from)) return; // like git, a pattern that matches nothing checks out nothing
  mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
  cpSync(from, path.join(dest, rel), { recursive: true });
};

const sparse = input('sparse-checkout')
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
if (sparse.length > 0) {
  if (input('sparse-checkout-cone-mode') !== 'false')
    fail('sparse-checkout in cone mode is not supported by the stand-in; set sparse-checkout-cone-mode: false.');
  sparsePaths(sparse).forEach(copy);
} else {
  // A git working tree: tracked and untracked-but-not-ignored files (the tree as it would be
  // committed); any other folder: all of it.
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: src, encoding: 'utf8' });
  if (listed.status === 0) listed.stdout.split('\0').filter(Boolean).forEach(copy);
  else cpSync(src, dest, { recursive: true });
}

let commit = '';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: src, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  // not a git repository
}
console.log(
  `Copied ${repository}@${ref} from ${src} into ${path.relative(workspace, dest) || '.'}${sparse.length ? ` (sparse: ${sparse.join(', ')})` : ''}`,
);
appendFileSync(process.env['GITHUB_OUTPUT']!, `ref=${ref}\ncommit=${commit}\n`);
