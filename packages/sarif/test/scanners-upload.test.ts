import { describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Inputs, mapInputs, MemoryLogger, type Exec, type ExecOptions } from '@pipeline-toolkit/core';
import { json, startServer } from '@pipeline-toolkit/testing';
import { readOnlyTokenEvent, readScanInputs, runAvailableScanners, runScan, scannerCommand, uploadSarif } from '../src/index.ts';
import { fixture } from './helpers.ts';

describe('run-scanners: available', () => {
  it('pins each scanner command line', () => {
    const common = { workspace: '/ws', outDir: '/tmp/out', semgrepConfig: ['rules/a.yml', '/abs/rules'] };
    expect(scannerCommand('gitleaks', { command: '/bin/gitleaks', ...common })).toEqual({
      kind: 'gitleaks',
      name: 'gitleaks',
      command: '/bin/gitleaks',
      args: [
        'dir',
        '--no-banner',
        '--redact',
        '--exit-code',
        '0',
        '--report-format',
        'json',
        '--report-path',
        '/tmp/out/gitleaks.json',
        '/ws',
      ],
      env: {},
      report: '/tmp/out/gitleaks.json',
      okExitCodes: [0],
    });
    expect(scannerCommand('semgrep', { command: 'semgrep', ...common }).args).toEqual([
      'scan',
      '--config',
      '/ws/rules/a.yml',
      '--config',
      '/abs/rules',
      '--json',
      '--output',
      '/tmp/out/semgrep.json',
      '--metrics',
      'off',
      '--disable-version-check',
      '--quiet',
      '/ws',
    ]);
    expect(scannerCommand('trivy', { command: 'trivy', ...common })).toMatchObject({
      args: [
        'fs',
        '--disable-telemetry',
        '--skip-version-check',
        '--format',
        'json',
        '--output',
        '/tmp/out/trivy.json',
        '--exit-code',
        '0',
        '--quiet',
        '/ws',
      ],
      env: { TRIVY_SCANNERS: 'vuln,misconfig,secret' },
    });
  });

  it('runs the scanners found on PATH for the reports not given, skipping the others with a notice', async () => {
    const calls: { command: string; args: readonly string[]; options?: ExecOptions }[] = [];
    const exec: Exec = async (command, args, options) => {
      calls.push({ command, args, options });
      if (args[0] === '--version') return { exitCode: 0, stdout: 'Version: 0.74.0\n', stderr: '' };
      const flag = args.includes('--output') ? '--output' : '--report-path';
      const report = args[args.indexOf(flag) + 1]!;
      await writeFile(report, command.endsWith('trivy') ? '{"SchemaVersion": 2, "Results": []}' : '[]');
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    const log = new MemoryLogger();
    const outDir = await mkdtemp(path.join(tmpdir(), 'scanners-'));
    const which = (name: string) => (name === 'semgrep' ? undefined : `/opt/bin/${name}`);
    const reports = await runAvailableScanners(
      ['gitleaks', 'semgrep', 'trivy'],
      { workspace: '/ws', outDir, semgrepConfig: [] },
      { exec, log, env: { TRIVY_SCANNERS: 'secret' }, which },
    );
    expect(reports.map((r) => r.kind)).toEqual(['gitleaks', 'trivy']);
    // the version check comes first; the scans then start side by side, in the registry's order
    expect(calls.map((c) => [c.command, c.args[0]])).toEqual([
      ['/opt/bin/trivy', '--version'],
      ['/opt/bin/gitleaks', 'dir'],
      ['/opt/bin/trivy', 'fs'],
    ]);
    // the user's TRIVY_SCANNERS wins over the default
    expect(calls[2]!.options!.env).toEqual({});
    expect(log.lines.filter((l) => l.level === 'notice').map((l) => l.message)).toEqual([
      'run-scanners: semgrep is not on PATH; its report is skipped.',
    ]);
  });

  it('refuses the malicious Trivy releases', async () => {
    const exec: Exec = async () => ({ exitCode: 0, stdout: 'Version: 0.69.5\n', stderr: '' });
    await expect(
      runAvailableScanners(
        ['trivy'],
        { workspace: '/ws', outDir: '/tmp', semgrepConfig: [] },
        { exec, log: new MemoryLogger(), env: {}, which: () => '/usr/bin/trivy' },
      ),
    ).rejects.toThrow('Refusing to run trivy 0.69.5 at /usr/bin/trivy: releases 0.69.4, 0.69.5, 0.69.6 were malicious (CVE-2026-33634).');
  });

  it('runScan aggregates a given report with the scanners run for the others', async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'scan-ws-'));
    const exec: Exec = async (_command, args) => {
      await writeFile(
        args[args.indexOf('--report-path') + 1]!,
        JSON.stringify([{ RuleID: 'generic-api-key', File: 'app.py', StartLine: 3, Secret: 'REDACTED', Match: 'REDACTED' }]),
      );
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    const inputs = new Inputs(
      mapInputs({ 'trivy-report': fixture('trivy/trivy-repo-secrets.json'), 'run-scanners': 'available', 'fail-on': 'critical' }),
    );
    const result = await runScan(readScanInputs(inputs), {
      log: new MemoryLogger(),
      env: { RUNNER_TEMP: ws },
      cwd: ws,
      exec,
      which: (n) => (n === 'gitleaks' ? '/bin/gitleaks' : undefined),
    });
    expect(result.tools.map((t) => t.id)).toEqual(['trivy', 'gitleaks']);
    expect(result.counts.bySeverity).toMatchObject({ CRITICAL: 1, HIGH: 2 });
    expect(result.gate.passed).toBe(false);
  });
});

describe('scan inputs', () => {
  const read = (values: Record<string, string>) => readScanInputs(new Inputs(mapInputs(values)));

  it('reads defaults and lists', () => {
    expect(read({ 'gitleaks-report': 'a.json, b.sarif', 'sarif-files': 'x/*.sarif\ny.sarif' })).toEqual({
      reports: [
        { input: 'gitleaks-report', kind: 'gitleaks', patterns: ['a.json', 'b.sarif'] },
        { input: 'sarif-files', kind: 'sarif', patterns: ['x/*.sarif', 'y.sarif'] },
      ],
      runScanners: 'none',
      semgrepConfig: [],
      failOn: 'high',
      outputSarif: 'security-scan.sarif',
      findingsFile: 'security-scan.findings.json',
      upload: false,
      categoryPrefix: 'security-scan',
      scanTimeoutMs: 30 * 60_000,
      skipPaths: [],
      ignoreUnfixed: false,
      baselineArtifact: 'security-findings',
    });
  });

  it('reads the options: skip-paths (braces kept whole), ignore-unfixed, suppressions, baseline, gate-scope, pr-comment', () => {
    const options = read({
      'gitleaks-report': 'a',
      'skip-paths': 'vendor/**, ./{docs,examples}/**\n**/testdata/**',
      'ignore-unfixed': 'true',
      suppressions: '.security/suppressions.yml',
      baseline: 'main.findings.json',
      'gate-scope': 'new',
      'pr-comment': 'false',
    });
    expect(options).toMatchObject({
      skipPaths: ['vendor/**', '{docs,examples}/**', '**/testdata/**'],
      ignoreUnfixed: true,
      suppressions: '.security/suppressions.yml',
      baseline: 'main.findings.json',
      gateScope: 'new',
      prComment: false,
    });
  });

  it.each([
    [{ 'gitleaks-report': 'a', 'run-scanners': 'all' }, "Input 'run-scanners' must be one of none, available, got 'all'."],
    [{ 'gitleaks-report': 'a', upload: 'yes' }, "Input 'upload' must be a boolean (true or false), got 'yes'."],
    [{ 'gitleaks-report': 'a', 'gate-scope': 'changed' }, "Input 'gate-scope' must be one of new, all, got 'changed'."],
    [
      { 'gitleaks-report': 'a', 'ignore-unfixed': 'sometimes' },
      "Input 'ignore-unfixed' must be a boolean (true or false), got 'sometimes'.",
    ],
    [
      { 'gitleaks-report': 'a', 'skip-paths': '../outside/**' },
      "Input 'skip-paths' takes globs of repository paths relative to its root (such as vendor/** or **/testdata/**), got '../outside/**'.",
    ],
    [
      { 'gitleaks-report': 'a', 'baseline-artifact': 'a/b' },
      "Input 'baseline-artifact' must be an artifact name of letters, digits, '.', '_' and '-' (at most 100), got 'a/b'.",
    ],
    [
      { 'gitleaks-report': 'a', 'category-prefix': 'a b' },
      "Input 'category-prefix' may hold only letters, digits, '.', '_', '-' and '/', got 'a b'.",
    ],
    [
      { 'run-scanners': 'available', 'semgrep-config': 'p/default' },
      "Input 'semgrep-config' must name local rule files or directories (the registry is not used), got 'p/default'.",
    ],
  ])('rejects %j', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });
});

describe('uploadSarif', () => {
  async function sarifFile(): Promise<string> {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'upload-')), 'a.sarif');
    await writeFile(file, '{"version":"2.1.0","runs":[]}');
    return file;
  }

  it('retries server errors, then posts gzip+base64 content with sha and ref', async () => {
    let calls = 0;
    const server = await startServer((_req, res) =>
      ++calls < 3 ? json(res, 502, { message: 'bad gateway' }) : json(res, 202, { id: 'u1', url: 'https://x/u1' }),
    );
    const sleeps: number[] = [];
    try {
      const result = await uploadSarif({
        sarifFile: await sarifFile(),
        token: 't0ken-value',
        apiUrl: `${server.url}/api/v3/`,
        repository: 'acme/shop',
        commitSha: 'abc',
        ref: 'refs/heads/main',
        readOnlyToken: false,
        log: new MemoryLogger(),
        sleep: async (ms) => void sleeps.push(ms),
      });
      expect(result).toEqual({ status: 'uploaded', id: 'u1', url: 'https://x/u1' });
      expect(sleeps).toEqual([1000, 2000]);
      const last = server.requests.at(-1)!;
      expect(last.url).toBe('/api/v3/repos/acme/shop/code-scanning/sarifs');
      expect(last.headers['x-github-api-version']).toBe('2022-11-28');
      const body = JSON.parse(last.body);
      expect(gunzipSync(Buffer.from(body.sarif, 'base64')).toString()).toBe('{"version":"2.1.0","runs":[]}');
      expect(body).toMatchObject({ commit_sha: 'abc', ref: 'refs/heads/main' });
    } finally {
      await server.close();
    }
  });

  it('knows a fork pull request and Dependabot by their event', () => {
    const pr = (head: string, fork: boolean) => ({
      pull_request: { head: { repo: { full_name: head, fork } }, base: { repo: { full_name: 'acme/shop' } } },
    });
    expect(readOnlyTokenEvent(pr('someone/shop', true), 'someone')).toBe(true);
    expect(readOnlyTokenEvent(pr('acme/shop', false), 'octocat')).toBe(false);
    expect(readOnlyTokenEvent({}, 'dependabot[bot]')).toBe(true);
    expect(readOnlyTokenEvent({}, 'octocat')).toBe(false);
  });
});
