/**
 * Bundles every action — actions/<name>/src/index.ts (and post.ts) — into dist/<name>/ with
 * esbuild, in ONE build so that code shared by several actions (packages/core, @actions/core,
 * the Kubernetes client used by deploy and the root release action …) is written once, as chunks
 * in dist/chunks/. ESM for node24, minified, dynamic imports split into chunks (heavy SDKs load
 * only on the paths that use them), third-party licences collected into dist/licenses.txt.
 *
 * Prints each action's size — its entry files plus every chunk it can load — and fails over
 * budget: dist/ ≤ 12 MB in total, an action without Kubernetes/AWS code ≤ 1 MB.
 *
 *   node scripts/build.ts
 */
import { build, type Metafile } from 'esbuild';
import { existsSync } from 'node:fs';
import { readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { actionDirs } from './actions.ts';
import { licenses } from './licenses.ts';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const MB = 1024 * 1024;
const BUDGET_TOTAL = 12 * MB;
const BUDGET_LIGHT = 1 * MB;
const HEAVY = /node_modules\/(@kubernetes\/client-node|@aws-sdk|@smithy)\//;

/** Every output file an entry can load: its static and dynamic imports, transitively. */
function closure(metafile: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) if (!imported.external) visit(imported.path);
  };
  visit(entry);
  return seen;
}

async function main(): Promise<void> {
  const names = await actionDirs(path.join('src', 'index.ts'));
  const entryPoints: Record<string, string> = {};
  for (const name of names) {
    for (const entry of ['index', 'post']) {
      const file = path.join(root, 'actions', name, 'src', `${entry}.ts`);
      if (existsSync(file)) entryPoints[`${name}/${entry}`] = file;
    }
  }
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  // dist/ holds ES modules wherever the repository is checked out.
  await writeFile(path.join(dist, 'package.json'), '{\n  "type": "module"\n}\n');
  const { metafile } = await build({
    entryPoints,
    outdir: dist,
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
  await writeFile(path.join(dist, 'licenses.txt'), await licenses(root, metafile));

  const problems: string[] = [];
  const rel = (file: string) => path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
  for (const name of names) {
    const files = new Set<string>();
    for (const [output, meta] of Object.entries(metafile.outputs)) {
      if (meta.entryPoint && rel(meta.entryPoint).startsWith(`actions/${name}/src/`))
        for (const f of closure(metafile, output)) files.add(f);
    }
    const bytes = [...files].reduce((sum, f) => sum + (metafile.outputs[f]?.bytes ?? 0), 0);
    const heavy = [...files].some((f) => Object.keys(metafile.outputs[f]?.inputs ?? {}).some((input) => HEAVY.test(input)));
    const over = !heavy && bytes > BUDGET_LIGHT;
    console.log(
      `${name.padEnd(16)} ${(bytes / 1024).toFixed(1).padStart(8)} KB${heavy ? '  (Kubernetes/AWS)' : ''}${over ? '  OVER 1 MB BUDGET' : ''}`,
    );
    if (over) problems.push(`dist/${name} loads ${(bytes / MB).toFixed(2)} MB; actions without Kubernetes/AWS code must stay ≤ 1 MB`);
  }
  let total = 0;
  for (const entry of await readdir(dist, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.js')) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  console.log(`${'dist/ total'.padEnd(16)} ${(total / 1024).toFixed(1).padStart(8)} KB (budget ${BUDGET_TOTAL / MB} MB)`);
  if (total > BUDGET_TOTAL) problems.push(`dist/ is ${(total / MB).toFixed(2)} MB; the budget is 12 MB`);
  if (problems.length) {
    for (const p of problems) console.error(`error: ${p}`);
    process.exit(1);
  }
}

if (import.meta.main) await main();
