/**
 * Builds the `pipeline-toolkit` CLI as a self-contained npm tarball: the CLI and every package it
 * uses bundled by esbuild (no dependencies to install, no registry needed), a bin that checks the
 * Node version, the licence texts of what is bundled. `npm install -g <tarball>` gives a working
 * `pipeline-toolkit` anywhere; the release workflow attaches the tarball to each GitHub release.
 *
 *   node scripts/package-cli.ts [--out-dir build/cli]
 *
 * The last line of the output is the tarball's absolute path.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { licenses } from './licenses.ts';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } }, strict: true });
const outDir = path.resolve(values['out-dir'] ?? path.join(root, 'build', 'cli'));

const cli = JSON.parse(await readFile(path.join(root, 'packages', 'cli', 'package.json'), 'utf8')) as {
  version: string;
  description: string;
};
const stage = await mkdtemp(path.join(os.tmpdir(), 'ptk-package-cli-'));
try {
  const { metafile } = await build({
    entryPoints: { cli: path.join(root, 'packages', 'cli', 'src', 'main.ts') },
    outdir: path.join(stage, 'dist'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    // Each command, the scanner worker threads and the heavy SDKs stay in chunks loaded on demand, as in the actions.
    splitting: true,
    minify: true,
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);" },
  });
  await mkdir(path.join(stage, 'bin'));
  await writeFile(
    path.join(stage, 'bin', 'pipeline-toolkit.js'),
    [
      '#!/usr/bin/env node',
      "const [major] = process.versions.node.split('.').map(Number);",
      'if (major < 24) {',
      '  console.error(`pipeline-toolkit needs Node.js 24 or newer (this is ${process.version}).`);',
      '  process.exit(2);',
      '}',
      "const { runProcess } = await import('../dist/cli.js');",
      'process.exitCode = await runProcess(process.argv.slice(2));',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const manifest = {
    name: 'pipeline-toolkit',
    version: cli.version,
    description: cli.description,
    license: 'MIT',
    type: 'module',
    bin: { 'pipeline-toolkit': 'bin/pipeline-toolkit.js' },
    engines: { node: '>=24' },
    files: ['bin', 'dist', 'licenses.txt'],
  };
  await writeFile(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(path.join(stage, 'licenses.txt'), await licenses(root, metafile));
  await copyFile(path.join(root, 'LICENSE'), path.join(stage, 'LICENSE'));
  await writeFile(
    path.join(stage, 'README.md'),
    `# pipeline-toolkit CLI\n\nRuns the pipeline-toolkit actions on your machine: \`pipeline-toolkit --help\`.\n` +
      `Needs Node.js 24 or newer. Licences of the bundled packages: licenses.txt.\n`,
  );
  await mkdir(outDir, { recursive: true });
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  const tarball = path.join(outDir, packed);
  const bytes = Object.values(metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  console.log(`bundled ${Object.keys(metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KB`);
  console.log(tarball);
} finally {
  await rm(stage, { recursive: true, force: true });
}
