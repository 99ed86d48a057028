/**
 * Every tool of the manifest written by `npm run tools` is installed at its pinned version and
 * answers its version command; the scanners find planted problems in a small repository without
 * any network (local rules, no metrics, no database or rule downloads) and write JSON and SARIF.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireTool, toolsManifest } from '@pipeline-toolkit/testing';
import { catalog } from '../../scripts/tools/catalog.ts';

const exec = promisify(execFile);
const required = [
  'helm3',
  'helm4',
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'gitleaks',
  'semgrep',
  'trivy',
  'yamllint',
  'mypy',
  'shellcheck',
  'hadolint',
];

describe('installed tools', () => {
  it('the manifest lists every tool the real tier needs', () => {
    expect(Object.keys(toolsManifest())).toEqual(expect.arrayContaining(required));
  });

  const tools = catalog.flatMap((pkg) => pkg.tools.map((tool) => ({ pkg, tool })));
  it.each(tools.map(({ pkg, tool }) => [tool.name, pkg, tool] as const))(
    '%s runs its version command at the pinned version',
    async (_name, pkg, tool) => {
      const entry = requireTool(tool.name);
      expect(entry.version).toBe(pkg.version);
      const { stdout } = await exec(entry.path, tool.versionArgs, { env: { ...process.env, ...tool.env }, timeout: 60_000 });
      expect(stdout).toContain(tool.expect);
      expect(stdout).toContain(pkg.version);
    },
    90_000,
  );

  it('never pins a compromised trivy release (0.69.4–0.69.6)', () => {
    expect(['0.69.4', '0.69.5', '0.69.6']).not.toContain(requireTool('trivy').version);
  });
});

/** A repository with one planted problem per scanner (the key is made up, in AWS's format). */
const planted: Record<string, string> = {
  'config.py': 'AWS_ACCESS_KEY_ID = "AKIAQYLPMN5HJTW2ZQXR"\nAWS_SECRET_ACCESS_KEY = "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"\n',
  'app.py': [
    'import sqlite3',
    '',
    'def find_user(conn: sqlite3.Connection, name: str):',
    '    cursor = conn.cursor()',
    '    cursor.execute("SELECT * FROM users WHERE name = \'%s\'" % name)',
    '    return cursor.fetchall()',
    '',
  ].join('\n'),
  Dockerfile: 'FROM python:3.11-slim\nCOPY app.py /app/app.py\nUSER root\nCMD ["python", "/app/app.py"]\n',
  'rules/sql.yml': [
    'rules:',
    '  - id: python-sql-string-formatting',
    '    languages: [python]',
    '    severity: ERROR',
    '    message: SQL built with string formatting is injectable; pass parameters to execute() instead.',
    '    pattern-either:',
    '      - pattern: $CUR.execute("..." % $X, ...)',
    '      - pattern: $CUR.execute(f"...", ...)',
    '',
  ].join('\n'),
};

interface Sarif {
  version: string;
  runs: { results: { ruleId: string }[] }[];
}

describe('scanners on a repository with planted problems (offline)', () => {
  let repo: string;
  let out: string;

  beforeAll(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'ptk-planted-'));
    out = await mkdtemp(path.join(tmpdir(), 'ptk-scan-out-'));
    for (const [file, text] of Object.entries(planted)) {
      await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
      await writeFile(path.join(repo, file), text);
    }
  });
  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  /** Runs a scanner that exits 1 when it finds something; any other failure fails the test. */
  async function scan(tool: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    try {
      return (await exec(requireTool(tool).path, args, { cwd: repo, env: { ...process.env, ...env }, timeout: 120_000 })).stdout;
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      if (e.code === 1) return e.stdout ?? '';
      throw new Error(`${tool} failed (${e.code}): ${e.stderr}`, { cause: error });
    }
  }
  const sarif = async (file: string) => JSON.parse(await readFile(path.join(out, file), 'utf8')) as Sarif;

  it('gitleaks finds the AWS access key', async () => {
    for (const format of ['json', 'sarif'])
      await scan('gitleaks', [
        'dir',
        '.',
        '--no-banner',
        '--log-level',
        'error',
        '--report-format',
        format,
        '--report-path',
        path.join(out, `gitleaks.${format}`),
      ]);
    const findings = JSON.parse(await readFile(path.join(out, 'gitleaks.json'), 'utf8')) as { RuleID: string; File: string }[];
    expect(findings).toContainEqual(expect.objectContaining({ RuleID: 'aws-access-token', File: 'config.py' }));
    const report = await sarif('gitleaks.sarif');
    expect(report.version).toBe('2.1.0');
    expect(report.runs[0]!.results.map((r) => r.ruleId)).toContain('aws-access-token');
  }, 60_000);

  it('semgrep finds the injectable SQL string with a local rule and metrics off', async () => {
    const env = { SEMGREP_ENABLE_VERSION_CHECK: '0', SEMGREP_SEND_METRICS: 'off' };
    const base = ['scan', '--config', 'rules/sql.yml', '--metrics', 'off', '--disable-version-check', '--quiet', '--exclude', 'rules'];
    const json = JSON.parse(await scan('semgrep', [...base, '--json', '.'], env)) as {
      results: { check_id: string; path: string; start: { line: number } }[];
    };
    expect(json.results.map((r) => [r.check_id.split('.').pop(), r.path, r.start.line])).toEqual([
      ['python-sql-string-formatting', 'app.py', 5],
    ]);
    await scan('semgrep', [...base, '--sarif', '--output', path.join(out, 'semgrep.sarif'), '.'], env);
    const report = await sarif('semgrep.sarif');
    expect(report.version).toBe('2.1.0');
    expect(report.runs[0]!.results.map((r) => r.ruleId.split('.').pop())).toEqual(['python-sql-string-formatting']);
  }, 120_000);

  it('trivy finds the secret and the root Dockerfile without its vulnerability database', async () => {
    const base = [
      'fs',
      '--scanners',
      'secret,misconfig',
      '--skip-check-update',
      '--skip-version-check',
      '--disable-telemetry',
      '--cache-dir',
      path.join(out, 'trivy-cache'),
      '--quiet',
    ];
    await scan('trivy', [...base, '--format', 'json', '--output', path.join(out, 'trivy.json'), '.']);
    const json = JSON.parse(await readFile(path.join(out, 'trivy.json'), 'utf8')) as {
      Results?: { Target: string; Secrets?: { RuleID: string }[]; Misconfigurations?: { AVDID?: string; ID: string }[] }[];
    };
    const results = json.Results ?? [];
    expect(results.find((r) => r.Target === 'config.py')?.Secrets?.map((s) => s.RuleID)).toContain('aws-access-key-id');
    expect(results.find((r) => r.Target === 'Dockerfile')?.Misconfigurations?.map((m) => m.ID)).toContain('DS-0002');
    await scan('trivy', [...base, '--format', 'sarif', '--output', path.join(out, 'trivy.sarif'), '.']);
    expect((await sarif('trivy.sarif')).runs[0]!.results.length).toBeGreaterThanOrEqual(2);
  }, 180_000);
});
