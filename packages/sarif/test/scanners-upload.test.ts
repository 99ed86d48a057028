import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Inputs, mapInputs, MemoryLogger, type Exec, type ExecOptions } from '@pipeline-toolkit/core';
import { json, startServer } from '@pipeline-toolkit/testing';
import {
  readOnlyTokenEvent,
  readScanInputs,
  runAvailableScanners,
  runScan,
  scannerCommand,
  shareCores,
  uploadSarif,
  uploadThenGate,
} from '../src/index.ts';
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
      { exec, log, env: { TRIVY_SCANNERS: 'secret' }, which, cores: 2 },
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

  it('shares the cores out among the runs side by side: an equal share, at least one, the remainder to the first', () => {
    expect(shareCores(1, 2)).toBeUndefined();
    expect(shareCores(1, 64)).toBeUndefined();
    expect(shareCores(3, 2)).toEqual([1, 1, 1]);
    expect(shareCores(2, 2)).toEqual([1, 1]);
    expect(shareCores(3, 4)).toEqual([2, 1, 1]);
    expect(shareCores(3, 8)).toEqual([3, 3, 2]);
    expect(shareCores(4, 16)).toEqual([4, 4, 4, 4]);
    expect(shareCores(2, 1)).toEqual([1, 1]);
  });

  describe('the cores a scanner is given', () => {
    const run = async (kinds: string[], cores: number, extra: { shareCores?: boolean; image?: string } = {}) => {
      const calls: { command: string; args: readonly string[]; env: Record<string, string> }[] = [];
      const exec: Exec = async (command, args, options) => {
        if (args[0] === '--version') return { exitCode: 0, stdout: 'Version: 0.74.0\n', stderr: '' };
        calls.push({ command, args, env: (options?.env ?? {}) as Record<string, string> });
        const flag = args.includes('--output') ? '--output' : '--report-path';
        await writeFile(
          args[args.indexOf(flag) + 1]!,
          command.endsWith('gitleaks') ? '[]' : '{"Results": [], "results": [], "errors": []}',
        );
        return { exitCode: 0, stdout: '', stderr: '' };
      };
      const log = new MemoryLogger();
      const outDir = await mkdtemp(path.join(tmpdir(), 'cores-'));
      await runAvailableScanners(
        kinds,
        { workspace: '/ws', outDir, semgrepConfig: ['/rules'], ...extra },
        { exec, log, env: {}, which: (name) => `/opt/bin/${name}`, cores },
      );
      const by = (name: string) => calls.find((c) => c.command === `/opt/bin/${name}` && c.args[0] !== 'image')!;
      return { calls, by, log };
    };

    it('on 2 cores Semgrep beside Gitleaks and Trivy gets one (--jobs 1); the Go scanners are not limited', async () => {
      const { by, log } = await run(['gitleaks', 'semgrep', 'trivy'], 2);
      expect(by('semgrep').args.slice(0, 3)).toEqual(['scan', '--jobs', '1']);
      expect(by('semgrep').args.filter((a) => a === '--jobs')).toHaveLength(1);
      expect(by('semgrep').args.at(-1)).toBe('/ws');
      expect(by('gitleaks').env).toEqual({});
      expect(by('gitleaks').args).not.toContain('--jobs');
      expect(by('trivy').env).toEqual({ TRIVY_SCANNERS: 'vuln,misconfig,secret' });
      expect(log.lines.map((l) => l.message)).toContain('run-scanners: 3 runs side by side on 2 cores; held to their share: semgrep 1.');
    });

    it("Semgrep's share is its place's: on 8 cores the remainder goes to the first runs", async () => {
      // shares of 8 cores among 3 runs: 3, 3, 2; Semgrep is second
      expect((await run(['gitleaks', 'semgrep', 'trivy'], 8)).by('semgrep').args.slice(0, 3)).toEqual(['scan', '--jobs', '3']);
      // among semgrep, trivy and trivy's image scan: Semgrep first, 8 = 3 + 3 + 2
      expect((await run(['semgrep', 'trivy'], 8, { image: 'ghcr.io/acme/shop:1.2' })).by('semgrep').args.slice(0, 3)).toEqual([
        'scan',
        '--jobs',
        '3',
      ]);
      // beside Trivy alone, on 2 cores: one each
      expect((await run(['semgrep', 'trivy'], 2)).by('semgrep').args.slice(0, 3)).toEqual(['scan', '--jobs', '1']);
    });

    it('Semgrep alone keeps every core, and shareCores: false sets no limit', async () => {
      const alone = await run(['semgrep'], 2);
      expect(alone.by('semgrep').args).not.toContain('--jobs');
      expect(alone.log.lines.map((l) => l.message).join('\n')).not.toContain('held to their share');
      const unshared = await run(['gitleaks', 'semgrep', 'trivy'], 2, { shareCores: false });
      expect(unshared.by('semgrep').args).not.toContain('--jobs');
    });
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

describe("run-scanners: the scan's programs run without the job's credentials", () => {
  it('every program of the scan (git merge-base, the version check, the scanner) is run with scrubEnv', async () => {
    const repo = await mkdtemp(path.join(tmpdir(), 'ptk-scrub-'));
    try {
      const calls: { command: string; args: readonly string[]; options?: ExecOptions }[] = [];
      const exec: Exec = async (command, args, options) => {
        calls.push({ command, args, ...(options ? { options } : {}) });
        if (command === 'git') return { exitCode: 0, stdout: `${'a'.repeat(40)}\n`, stderr: '' };
        if (args[0] === '--version') return { exitCode: 0, stdout: 'Version: 0.74.0\n', stderr: '' };
        await writeFile(args[args.indexOf('--output') + 1]!, '{"SchemaVersion":2,"ArtifactName":"x","Results":[]}');
        return { exitCode: 0, stdout: '', stderr: '' };
      };
      const inputs = new Inputs(
        mapInputs({
          'gitleaks-report': fixture('gitleaks/gitleaks-golden-json_simple.json'),
          'run-scanners': 'available',
          'fail-on': 'none',
          'diff-base': 'main',
        }),
      );
      await runScan(readScanInputs(inputs), {
        log: new MemoryLogger(),
        env: { RUNNER_TEMP: repo },
        cwd: repo,
        exec,
        which: (n) => (n === 'trivy' ? '/bin/trivy' : undefined),
      });
      expect(calls.length).toBeGreaterThanOrEqual(3);
      expect(calls.map((c) => [c.command, c.args[0], c.options?.scrubEnv])).toEqual(calls.map((c) => [c.command, c.args[0], true]));
      expect(calls.map((c) => c.command)).toEqual(expect.arrayContaining(['git', '/bin/trivy']));
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
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
      waitForProcessing: true,
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
    const server = await startServer((req, res) =>
      req.method === 'GET'
        ? json(res, 200, { processing_status: 'complete' })
        : ++calls < 3
          ? json(res, 502, { message: 'bad gateway' })
          : json(res, 202, { id: 'u1', url: 'https://x/u1' }),
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
      expect(result).toEqual({ status: 'uploaded', id: 'u1', url: 'https://x/u1', processing: 'complete' });
      expect(sleeps).toEqual([1000, 2000]);
      const last = server.requests.at(-2)!;
      expect(last.url).toBe('/api/v3/repos/acme/shop/code-scanning/sarifs');
      expect(last.headers['x-github-api-version']).toBe('2022-11-28');
      const body = JSON.parse(last.body);
      expect(gunzipSync(Buffer.from(body.sarif, 'base64')).toString()).toBe('{"version":"2.1.0","runs":[]}');
      expect(body).toMatchObject({ commit_sha: 'abc', ref: 'refs/heads/main' });
    } finally {
      await server.close();
    }
  });

  describe("waits for code scanning to process the file, as GitHub's own upload does", () => {
    /** An upload accepted as `u1`, whose status answers are `statuses` in turn (the last one repeated). */
    async function upload(statuses: { status: number; body: unknown }[], options: { waitForProcessing?: boolean } = {}) {
      const server = await startServer((req, res) => {
        if (req.method === 'POST') return json(res, 202, { id: 'u1' });
        const answer = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
        json(res, answer.status, answer.body);
      });
      const log = new MemoryLogger();
      const sleeps: number[] = [];
      try {
        const result = await uploadSarif({
          sarifFile: await sarifFile(),
          token: 'ghs_waittoken0123',
          apiUrl: server.url,
          repository: 'acme/shop',
          commitSha: 'abc',
          ref: 'refs/heads/main',
          readOnlyToken: false,
          log,
          sleep: async (ms) => void sleeps.push(ms),
          ...options,
        }).catch((error: unknown) => error as Error);
        const asked = server.requests.filter((r) => r.method === 'GET').map((r) => r.url);
        return { result, log, sleeps, asked };
      } finally {
        await server.close();
      }
    }
    const pending = { status: 200, body: { processing_status: 'pending' } };

    it('asks every 5 seconds until it is complete', async () => {
      const { result, sleeps, asked, log } = await upload([pending, pending, { status: 200, body: { processing_status: 'complete' } }]);
      expect(result).toEqual({ status: 'uploaded', id: 'u1', processing: 'complete' });
      expect(sleeps).toEqual([5000, 5000]);
      expect(asked).toEqual(Array(3).fill('/repos/acme/shop/code-scanning/sarifs/u1'));
      expect(log.lines.filter((l) => l.level === 'warning')).toEqual([]);
    });

    it('fails with the processing errors GitHub gives (the first 10, each cut at 500 characters)', async () => {
      const errors = [`rejecting SARIF: ${'x'.repeat(1000)}`, ...Array.from({ length: 11 }, (_, i) => `error ${i}`)];
      const { result } = await upload([pending, { status: 200, body: { processing_status: 'failed', errors } }]);
      const message = (result as Error).message;
      expect((result as Error).name).toBe('ExternalError');
      expect(message).toContain('Code scanning could not process');
      expect(message).toContain(`rejecting SARIF: ${'x'.repeat(482)}…; error 0; `);
      expect(message).toContain('error 8 (and 2 more).');
      expect(message).not.toContain('error 9');
    });

    it('a status it cannot read, or one it does not know, is a warning: the upload was made', async () => {
      for (const answer of [
        { status: 404, body: { message: 'Not Found' } },
        { status: 200, body: { processing_status: 'queued' } },
        { status: 200, body: 'not json' },
      ]) {
        const { result, log } = await upload([answer]);
        expect(result).toEqual({ status: 'uploaded', id: 'u1', processing: 'unknown' });
        const warnings = log.lines.filter((l) => l.level === 'warning').map((l) => l.message);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain('errors it finds there are not reported here');
        expect(warnings[0]).not.toContain('ghs_waittoken0123');
      }
    });

    it('stops asking after 2 minutes of pending, with a warning', async () => {
      const { result, sleeps, log } = await upload([pending]);
      expect(result).toEqual({ status: 'uploaded', id: 'u1', processing: 'pending' });
      expect(sleeps).toEqual(Array(24).fill(5000));
      expect(log.lines.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
        expect.stringContaining('Code scanning had not processed'),
      ]);
    });

    it('wait-for-processing: false does not ask', async () => {
      const { result, asked } = await upload([pending], { waitForProcessing: false });
      expect(result).toEqual({ status: 'uploaded', id: 'u1', processing: 'unknown' });
      expect(asked).toEqual([]);
    });
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

describe("a step's upload beside its gate (uploadThenGate)", () => {
  it('a failed gate is the error and a failed upload beside it is logged; without a failed gate, the upload failure is', async () => {
    // a push whose token may not write code scanning results: GitHub answers 403
    const server = await startServer((_req, res) => json(res, 403, { message: 'Resource not accessible by integration' }));
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'upload-gate-')), 'a.sarif');
    await writeFile(file, '{"version":"2.1.0","runs":[]}');
    const env = { GITHUB_API_URL: server.url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abc', GITHUB_REF: 'refs/heads/main' };
    const options = (log: MemoryLogger) => ({ sarifFile: file, token: 'ghs_gatetoken0123', env, log, waitForProcessing: false });
    try {
      const gate = new Error('gate: 2 HIGH findings');
      const logged = new MemoryLogger();
      await expect(uploadThenGate(options(logged), gate)).rejects.toBe(gate);
      expect(logged.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([expect.stringContaining('403')]);

      const alone = new MemoryLogger();
      await expect(uploadThenGate(options(alone), undefined)).rejects.toThrow('403');
      expect(alone.lines.filter((l) => l.level === 'error')).toEqual([]);
      // nothing to upload: only the gate
      await expect(uploadThenGate(undefined, gate)).rejects.toBe(gate);
      await expect(uploadThenGate(undefined, undefined)).resolves.toBeUndefined();
      expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
