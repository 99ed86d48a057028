import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@pipeline-toolkit/testing';
import { requirePythonVenv } from './python-venv.ts';

/**
 * zizmor (the GitHub Actions security auditor, from PyPI) over the workflows GitHub runs and the
 * starter workflows users copy: zero findings in its default (regular) persona, offline. The
 * configuration in zizmor.yml asks for commit SHAs everywhere, the toolkit in the starters included.
 */
const config = path.join(repoRoot, 'test', 'real', 'zizmor.yml');

function workflowFiles(): string[] {
  return ['.github/workflows', 'workflows'].flatMap((dir) =>
    readdirSync(path.join(repoRoot, dir))
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => path.join(dir, name)),
  );
}

interface Finding {
  ident: string;
  determinations: { severity: string };
  locations: { symbolic: { key: { Local?: { verbatim_path: string } } }; concrete: { location: { start_point: { row: number } } } }[];
}

function zizmor(files: string[], cwd = repoRoot): { status: number | null; findings: Finding[]; stderr: string } {
  const bin = requirePythonVenv().bin('zizmor');
  const result = spawnSync(bin, ['--offline', '--no-progress', '--format', 'json', '--config', config, ...files], {
    cwd,
    encoding: 'utf8',
  });
  const findings = result.stdout.trim() ? (JSON.parse(result.stdout) as Finding[]) : [];
  return { status: result.status, findings, stderr: result.stderr };
}

function describeFinding(f: Finding): string {
  const where = f.locations[0];
  const file = where?.symbolic.key.Local?.verbatim_path ?? '?';
  return `${file}:${(where?.concrete.location.start_point.row ?? 0) + 1} ${f.ident} (${f.determinations.severity})`;
}

describe('zizmor', () => {
  const files = workflowFiles();

  it('audits the reusable workflow, the CI workflow and the three starters', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        '.github/workflows/pipeline.yml',
        '.github/workflows/ci.yml',
        'workflows/python-service.yml',
        'workflows/security-scan.yml',
        'workflows/notify.yml',
      ]),
    );
  });

  it('finds nothing in .github/workflows and workflows/', () => {
    const { status, findings, stderr } = zizmor(files);
    expect(findings.map(describeFinding)).toEqual([]);
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('reports an injectable run script and an unpinned action (the audit is really running)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zizmor-'));
    try {
      mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
      const broken = path.join(dir, '.github', 'workflows', 'broken.yml');
      writeFileSync(
        broken,
        [
          'name: broken',
          'on: issues',
          'permissions: {}',
          'jobs:',
          '  a:',
          '    name: A',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: actions/checkout@v5',
          '      - run: echo "${{ github.event.issue.title }}"',
          '',
        ].join('\n'),
      );
      const { status, findings } = zizmor([broken], dir);
      const idents = findings.map((f) => f.ident);
      expect(idents).toEqual(expect.arrayContaining(['template-injection', 'unpinned-uses']));
      expect(status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
