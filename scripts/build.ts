/**
 * Bundles every actions/<name>/src/index.ts (and post.ts) into dist/<name>/ with esbuild:
 * ESM for node24, minified, dynamic imports split into chunks (so heavy SDKs load only on the
 * paths that use them), third-party licences collected into dist/<name>/licenses.txt.
 * Prints each bundle's size and fails over budget (see ARCHITECTURE.md).
 *
 *   node scripts/build.ts [name …]
 */
import { build, type Metafile } from 'esbuild';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const MB = 1024 * 1024;
const BUDGET_TOTAL = 12 * MB;
const BUDGET_LIGHT = 1 * MB;
const HEAVY = /node_modules\/(@kubernetes\/client-node|@aws-sdk|@smithy)\//;

async function entries(name: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of ['index', 'post']) {
    const file = path.join(root, 'actions', name, 'src', `${entry}.ts`);
    if (existsSync(file)) result[entry] = file;
  }
  return result;
}

async function packageDir(file: string): Promise<string | undefined> {
  const marker = file.lastIndexOf('node_modules/');
  if (marker < 0) return undefined;
  const rest = file.slice(marker + 'node_modules/'.length).split('/');
  const name = rest[0]?.startsWith('@') ? rest.slice(0, 2).join('/') : rest[0];
  return name ? path.join(root, file.slice(0, marker), 'node_modules', name) : undefined;
}

async function licenses(metafile: Metafile): Promise<string> {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const dir = await packageDir(input);
    if (dir) dirs.add(dir);
  }
  const sections: string[] = [];
  for (const dir of [...dirs].sort()) {
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const files = (await readdir(dir)).filter((f) => /^(licen[sc]e|copying|notice)/i.test(f)).sort();
    const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
    sections.push(`${pkg.name}@${pkg.version}\n${pkg.license ?? 'UNKNOWN'}\n${texts.join('\n').trim()}`);
  }
  return `${sections.join('\n\n---\n\n')}\n`;
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.js')) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

export async function buildAction(name: string): Promise<{ name: string; bytes: number; heavy: boolean }> {
  const outdir = path.join(root, 'dist', name);
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: await entries(name),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    splitting: true,
    minify: true,
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'warning',
    // Some CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
    banner: { js: "import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);" },
  });
  await writeFile(path.join(outdir, 'licenses.txt'), await licenses(result.metafile));
  const heavy = Object.keys(result.metafile.inputs).some((input) => HEAVY.test(input));
  return { name, bytes: await dirSize(outdir), heavy };
}

async function main(): Promise<void> {
  const all = (await readdir(path.join(root, 'actions'), { withFileTypes: true }))
    .filter((d) => d.isDirectory() && existsSync(path.join(root, 'actions', d.name, 'src', 'index.ts')))
    .map((d) => d.name)
    .sort();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) {
    console.error(`Unknown action(s): ${unknown.join(', ')}. Known: ${all.join(', ')}`);
    process.exit(2);
  }
  await mkdir(path.join(root, 'dist'), { recursive: true });
  // dist/ holds ES modules wherever the repository is checked out.
  await writeFile(path.join(root, 'dist', 'package.json'), '{\n  "type": "module"\n}\n');
  const names = wanted.length ? wanted : all;
  const results = [];
  for (const name of names) results.push(await buildAction(name));

  const problems: string[] = [];
  for (const r of results) {
    const over = !r.heavy && r.bytes > BUDGET_LIGHT;
    console.log(
      `${r.name.padEnd(16)} ${(r.bytes / 1024).toFixed(1).padStart(8)} KB${r.heavy ? '  (Kubernetes/AWS)' : ''}${over ? '  OVER 1 MB BUDGET' : ''}`,
    );
    if (over) problems.push(`dist/${r.name} is ${(r.bytes / MB).toFixed(2)} MB; bundles without Kubernetes/AWS code must stay ≤ 1 MB`);
  }
  const present = (await readdir(path.join(root, 'dist'), { withFileTypes: true })).filter((d) => d.isDirectory());
  let total = 0;
  for (const d of present) total += await dirSize(path.join(root, 'dist', d.name));
  console.log(`${'dist/ total'.padEnd(16)} ${(total / 1024).toFixed(1).padStart(8)} KB (budget ${BUDGET_TOTAL / MB} MB)`);
  if (total > BUDGET_TOTAL) problems.push(`dist/ is ${(total / MB).toFixed(2)} MB; the budget is 12 MB`);
  if (problems.length) {
    for (const p of problems) console.error(`error: ${p}`);
    process.exit(1);
  }
}

if (import.meta.main) await main();
