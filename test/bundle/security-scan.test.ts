import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  createRunnerEnv,
  json,
  repoRoot,
  runBundle,
  startServer,
  type BundleRun,
  type LoopbackServer,
  type RunnerEnv,
} from '@pipeline-toolkit/testing';

const fixtures = path.resolve(repoRoot, 'test/fixtures/scanners');

/** Raw secret values in the Gitleaks fixtures used below (their Secret/Match and SARIF snippets). */
const SECRETS = [
  'a secret',
  'line containing secret',
  '531486b2bf646636a6a1bba61e78ec4a4a54efbd',
  '9bbc0d79e686e847bc305c9bd4cc2ea6',
  'b3816fddcf28aa29d94b10ec305cd52be14c472b',
];

let github: LoopbackServer;
let answer: { status: number; body: unknown } = { status: 202, body: { id: 'sarif-1', url: 'https://api.example/sarif-1' } };
let processing: unknown = { processing_status: 'complete' };
beforeAll(async () => {
  // an upload's processing status (GET …/code-scanning/sarifs/<id>), asked after it was accepted
  github = await startServer((req, res) => (req.method === 'GET' ? json(res, 200, processing) : json(res, answer.status, answer.body)));
});
afterAll(() => github.close());

/** A runner workspace holding copies of the fixture reports under reports/. */
async function workspace(overrides: Record<string, string> = {}): Promise<RunnerEnv> {
  const runner = await createRunnerEnv({ GITHUB_API_URL: github.url, ...overrides });
  await mkdir(path.join(runner.dir, 'reports'));
  for (const f of [
    'gitleaks/gitleaks-v8-unsafe-bank.sarif',
    'gitleaks/gitleaks-golden-json_simple.json',
    'semgrep/semgrep-json-v1.100.0-logged-out.json',
    'semgrep/semgrep-sarif-include-nosemgrep.sarif',
    'trivy/trivy-npm-with-suppressed.json',
    'trivy/trivy-image-alpine39.json',
    'grype/grype-0.34.7-cxf.sarif',
  ]) {
    await cp(path.join(fixtures, f), path.join(runner.dir, 'reports', path.basename(f)));
  }
  return runner;
}

const REPORTS = {
  'gitleaks-report': 'reports/gitleaks-*',
  'semgrep-report': 'reports/semgrep-json-v1.100.0-logged-out.json\nreports/semgrep-sarif-include-nosemgrep.sarif',
  'trivy-report': 'reports/trivy-*.json',
  'sarif-files': 'reports/grype-*.sarif',
};

function expectNoSecret(run: BundleRun, ...files: string[]): void {
  const texts = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs), ...files];
  for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('dist/security-scan', () => {
  it('aggregates the reports, fails the gate on HIGH, writes outputs, summary, annotations and a SARIF file; no secret anywhere', async () => {
    const runner = await workspace();
    try {
      const run = await runBundle('security-scan', { runner, inputs: REPORTS });
      expect(run.exitCode).toBe(1);
      // Read from the files: gitleaks 6+1 HIGH; semgrep 2 HIGH (ERROR; SARIF error, one more suppressed) + 1 MEDIUM;
      // trivy npm 1 HIGH (+1 suppressed), alpine39 2 CRITICAL + 4 MEDIUM; grype 1 CRITICAL, 11 HIGH, 4 MEDIUM, 6 LOW.
      expect(run.outputs).toMatchObject({
        critical: '3',
        high: '21',
        medium: '9',
        low: '6',
        info: '0',
        suppressed: '2',
        total: '39',
        gate: 'failed',
      });
      expect(run.outputs['sarif-file']).toBe(path.join(runner.dir, 'security-scan.sarif'));
      expect(run.outputs['findings-file']).toBe(path.join(runner.dir, 'security-scan.findings.json'));
      const errors = run.commands.filter((c) => c.command === 'error');
      expect(errors.at(-1)!.message).toBe(
        'Security gate failed: 24 unsuppressed findings at or above HIGH (fail-on: high, gate-scope: all).',
      );
      expect(errors).toHaveLength(10); // 9 annotations + the gate
      // the most severe findings that have a file come first: Grype's CRITICAL, then HIGHs
      expect(errors[0]!.properties).toMatchObject({
        file: 'lib/cxf-xjc-runtime-3.3.1.jar',
        line: '1',
        title: 'CRITICAL CVE-2019-12419 (Grype)',
      });
      expect(run.commands.filter((c) => c.command === 'warning').length).toBeLessThanOrEqual(10);
      expect(run.summary).toContain('| Gitleaks | 0 | 7 | 0 | 0 | 0 |');
      expect(run.summary).toContain('| Total (deduplicated) | 3 | 21 | 9 | 6 | 0 |');
      expect(run.summary).toContain(
        '| Critical | Trivy | [CVE-2019-14697](https://avd.aquasec.com/nvd/cve-2019-14697) | musl-utils@1.1.20-r4 in testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4) |',
      );
      expect(run.summary).toContain('Gate: failed (fail-on: high, gate-scope: all; 24 unsuppressed findings at or above HIGH)');
      expect(run.summary).toMatch(
        /\[UnSAFE\\_Bank\/Backend\/docker-compose.yml:12\]\(https:\/\/github.com\/acme\/shop\/blob\/4b825dc642cb6eb9a060e54bf8d69288fbee4904\/UnSAFE_Bank\/Backend\/docker-compose.yml#L12\)/,
      );
      const sarif = await readFile(path.join(runner.dir, 'security-scan.sarif'), 'utf8');
      const log = JSON.parse(sarif);
      expect(log.runs.map((r: { tool: { driver: { name: string } } }) => r.tool.driver.name)).toEqual([
        'Gitleaks',
        'Semgrep',
        'Trivy',
        'Grype',
      ]);
      expectNoSecret(run, sarif, await readFile(path.join(runner.dir, 'security-scan.findings.json'), 'utf8'));
      expect(github.requests).toHaveLength(0);
    } finally {
      await runner.cleanup();
    }
  });

  it('a Semgrep run with thousands of errors: the first 50 different ones and a count, in the log and a job summary far below its 1 MiB', async () => {
    const runner = await workspace();
    // one error per file, as Semgrep writes them for files it cannot parse, each message about 250 characters
    const errors = Array.from({ length: 5000 }, (_, i) => ({
      code: 3,
      level: 'warn',
      type: ['PartialParsing', [{ path: `src/pkg${i}/module.py`, start: { line: 1, col: 1 }, end: { line: 1, col: 9 } }]],
      message: `Syntax error at line src/pkg${i}/module.py:1:\n \`print "x"\` was unexpected; the file was partly parsed and rules were run on what could be read of it, which may leave findings out.`,
      path: `src/pkg${i}/module.py`,
    }));
    await writeFile(
      path.join(runner.dir, 'reports', 'many-errors.json'),
      JSON.stringify({ version: '1.100.0', results: [], errors, paths: { scanned: [] } }),
    );
    try {
      const run = await runBundle('security-scan', { runner, inputs: { 'semgrep-report': 'reports/many-errors.json' } });
      expect(run.exitCode).toBe(0);
      const warnings = run.commands.filter((c) => c.command === 'warning').map((c) => c.message);
      expect(warnings).toHaveLength(51);
      expect(warnings[0]).toBe('Semgrep warn: Syntax error at line src/pkg0/module.py:1:');
      expect(warnings[49]).toBe('Semgrep warn: Syntax error at line src/pkg49/module.py:1:');
      const more = '…and more: the scanners reported 5000 problems in all (repeats included); the first 50 different ones are listed.';
      expect(warnings[50]).toBe(more);
      expect(run.summary).toContain(more);
      expect(run.summary.match(/^- Semgrep warn: /gm)).toHaveLength(50);
      expect(Buffer.byteLength(run.summary)).toBeLessThan(64 * 1024);
    } finally {
      await runner.cleanup();
    }
  });

  it('a SARIF file longer than the longest JavaScript text: refused early, naming the input and the limit, with no outputs', async () => {
    const runner = await workspace();
    const file = path.join(runner.dir, 'reports', 'huge.sarif');
    // 560 MB of results in one run: a SARIF file is read whole, and V8 makes no text over 536,870,888 characters
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL","rules":[{"id":"js/x"}]}},"results":[');
      const result = (i: number) =>
        `{"ruleId":"js/x","level":"error","message":{"text":"${'x'.repeat(200)}"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/f${i}.js"}}}]}`;
      const batch = Array.from({ length: 4096 }, (_, i) => result(i)).join(',');
      for (let written = 0; written < 560 << 20; written += batch.length + 1) writeSync(fd, `${written ? ',' : ''}${batch}`);
      writeSync(fd, ']}]}');
    } finally {
      closeSync(fd);
    }
    try {
      const run = await runBundle('security-scan', {
        runner,
        inputs: { 'sarif-files': 'reports/huge.sarif', 'output-sarif': 'out/scan.sarif' },
      });
      const errors = run.commands.filter((c) => c.command === 'error').map((c) => c.message);
      expect({ exitCode: run.exitCode, errors: errors.length }).toEqual({ exitCode: 2, errors: 1 });
      expect(errors[0]).toContain('sarif-files');
      expect(errors[0]).toContain('huge.sarif: is too large to read');
      expect(errors[0]).toContain(
        'longer than 536,870,888 characters (about 512 MiB), the longest text JavaScript makes; split it into smaller reports',
      );
      expect(existsSync(path.join(runner.dir, 'out'))).toBe(false);
    } finally {
      await runner.cleanup();
    }
  }, 120_000);

  it("ignore files a pull request planted as a link to /dev/zero or to the runner's environment, or a pipe: exit 2 naming the file, nothing written", async () => {
    const planted: [name: string, plant: (file: string) => Promise<unknown>, problem: string][] = [
      ['.gitleaksignore', (f) => symlink('/dev/zero', f), "leads to '/dev/zero', outside the repository: refused"],
      ['.trivyignore.yaml', (f) => symlink('/proc/self/environ', f), 'outside the repository: refused'],
      ['.semgrepignore', async (f) => execFileSync('mkfifo', [f]), 'is a named pipe, not a regular file'],
    ];
    for (const [name, plant, problem] of planted) {
      const runner = await workspace();
      try {
        await plant(path.join(runner.dir, name));
        const run = await runBundle('security-scan', { runner, inputs: { ...REPORTS, 'output-sarif': 'out/scan.sarif' } });
        const errors = run.commands.filter((c) => c.command === 'error').map((c) => c.message);
        expect({ name, exitCode: run.exitCode, errors: errors.length }).toEqual({ name, exitCode: 2, errors: 1 });
        expect(errors[0]).toContain(`The repository's ignore file ${name} `);
        expect(errors[0]).toContain(problem);
        expect(existsSync(path.join(runner.dir, 'out'))).toBe(false);
      } finally {
        await runner.cleanup();
      }
    }
  });

  it("a '**' glob beside a committed link to /: only the workspace is searched, quickly", async () => {
    const runner = await workspace();
    try {
      await symlink('/', path.join(runner.dir, 'reports', 'root'));
      const started = Date.now();
      const run = await runBundle('security-scan', { runner, inputs: { 'sarif-files': 'reports/**/grype-*.sarif', 'fail-on': 'none' } });
      const took = Date.now() - started;
      expect(run.exitCode).toBe(0);
      // the error annotations are Grype's findings (its jars), none an error of the input
      const errors = run.commands.filter((c) => c.command === 'error');
      expect(errors.filter((c) => !/^lib\/.*\.jar$/.test(c.properties?.['file'] ?? ''))).toEqual([]);
      // Grype's report alone (1 CRITICAL, 11 HIGH, 4 MEDIUM, 6 LOW); the fixture's copy in this repository, outside, is not read
      expect(run.outputs).toMatchObject({ total: '22', critical: '1', high: '11' });
      expect(took).toBeLessThan(10_000);
    } finally {
      await runner.cleanup();
    }
  });

  it('a report linked to a file outside the workspace: exit 2 naming the input and the link, no outputs, nothing of the file shown', async () => {
    const runner = await workspace();
    const outside = await mkdtemp(path.join(tmpdir(), 'ptk-outside-'));
    try {
      await writeFile(path.join(outside, 'creds.env'), 'TOKEN=ghp_outsideSecret0123456789\n');
      await symlink(path.join(outside, 'creds.env'), path.join(runner.dir, 'reports', 'b.json'));
      for (const reports of ['reports/b.json', 'reports/*.json']) {
        const run = await runBundle('security-scan', { runner, inputs: { 'trivy-report': reports, 'fail-on': 'none' } });
        const errors = run.commands.filter((c) => c.command === 'error').map((c) => c.message);
        expect({ reports, exitCode: run.exitCode, errors: errors.length }).toEqual({ reports, exitCode: 2, errors: 1 });
        expect(errors[0]).toContain("Input 'trivy-report' 'reports/b.json' is outside the workspace");
        expect(errors[0]).toContain(`(through a symbolic link, to ${path.join(outside, 'creds.env')}): refused.`);
        expect(run.outputs).toEqual({});
        for (const text of [run.stdout, run.stderr, run.summary]) expect(text).not.toContain('ghp_');
        expect(existsSync(path.join(runner.dir, 'security-scan.sarif'))).toBe(false);
      }
    } finally {
      await runner.cleanup();
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("run-scanners: Gitleaks, Semgrep and Trivy (stand-ins on PATH that record their environment) never see the job's tokens", async () => {
    const runner = await workspace();
    const bin = await mkdtemp(path.join(tmpdir(), 'ptk-standins-'));
    try {
      // each stand-in writes its environment to <bin>/<name>.<pid>.env and an empty report where it is told
      // (bash, not sh: dash leaves out variables whose names have a '-', as INPUT_GITHUB-TOKEN has, and a Go scanner gets them)
      const standIn = `#!/bin/bash
name=$(basename "$0")
env > "${bin}/$name.$$.env"
if [ "$1" = "--version" ]; then echo "Version: 0.74.0"; exit 0; fi
out=""; prev=""
for a in "$@"; do case "$prev" in --output|--report-path) out="$a";; esac; prev="$a"; done
case "$name" in
  gitleaks) echo '[]' > "$out";;
  semgrep) echo '{"version":"1.100.0","results":[],"errors":[],"paths":{"scanned":[]}}' > "$out";;
  trivy) echo '{"SchemaVersion":2,"ArtifactName":"x","Results":[]}' > "$out";;
esac
`;
      for (const name of ['gitleaks', 'semgrep', 'trivy']) {
        await writeFile(path.join(bin, name), standIn);
        await chmod(path.join(bin, name), 0o755);
      }
      await writeFile(path.join(runner.dir, 'rules.yml'), 'rules: []\n');
      const TOKENS = {
        GITHUB_TOKEN: 'ghs_envToken0123456789',
        GH_TOKEN: 'gho_cliToken0123456789',
        ACTIONS_RUNTIME_TOKEN: 'eyJruntimeToken0123456789',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'eyJoidcToken0123456789',
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.example/idtoken?secretish0123456789',
      };
      const run = await runBundle('security-scan', {
        runner,
        inputs: {
          'run-scanners': 'available',
          'semgrep-config': 'rules.yml',
          'github-token': 'ghs_inputToken0123456789',
          'fail-on': 'none',
        },
        env: {
          ...TOKENS,
          PATH: `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`,
          HTTPS_PROXY: 'http://proxy.example:3128',
          SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt',
          TRIVY_TIMEOUT: '10m',
        },
      });
      expect(run.exitCode).toBe(0);
      const recorded = (await readdir(bin)).filter((f) => f.endsWith('.env'));
      // trivy --version (the check of its release) and one run of each
      expect(new Set(recorded.map((f) => f.split('.')[0]))).toEqual(new Set(['gitleaks', 'semgrep', 'trivy']));
      expect(recorded.length).toBeGreaterThanOrEqual(4);
      for (const file of recorded) {
        const text = await readFile(path.join(bin, file), 'utf8');
        const names = text.split('\n').map((line) => line.split('=')[0] ?? '');
        expect({ file, leaked: names.filter((n) => n.startsWith('INPUT_') || n in TOKENS) }).toEqual({ file, leaked: [] });
        for (const secret of [...Object.values(TOKENS), 'ghs_inputToken0123456789']) expect(text).not.toContain(secret);
        // what a scanner legitimately needs is kept
        for (const kept of [
          'PATH=',
          'HOME=',
          'HTTPS_PROXY=',
          'SSL_CERT_FILE=',
          'TRIVY_TIMEOUT=10m',
          `RUNNER_TEMP=${runner.dir}`,
          'GITHUB_REPOSITORY=acme/shop',
        ])
          expect({ file, kept: text.includes(kept) }).toEqual({ file, kept: true });
      }
    } finally {
      await runner.cleanup();
      await rm(bin, { recursive: true, force: true });
    }
  });

  it('upload: true posts the gzip+base64 SARIF with commit sha and ref to GITHUB_API_URL', async () => {
    const runner = await workspace();
    answer = { status: 202, body: { id: 'sarif-1', url: 'https://api.example/sarif-1' } };
    const before = github.requests.length;
    try {
      const run = await runBundle('security-scan', {
        runner,
        inputs: { ...REPORTS, 'fail-on': 'critical', upload: 'true', 'github-token': 'ghs_loopbacktoken123' },
      });
      expect(run.exitCode).toBe(1); // 3 CRITICAL
      const [request, status] = github.requests.slice(before);
      expect(request).toMatchObject({ method: 'POST', url: '/repos/acme/shop/code-scanning/sarifs' });
      // then whether code scanning processed it, as GitHub's own upload asks
      expect(status).toMatchObject({ method: 'GET', url: '/repos/acme/shop/code-scanning/sarifs/sarif-1' });
      expect(run.stdout).toContain('Code scanning processed');
      expect(request!.headers['authorization']).toBe('Bearer ghs_loopbacktoken123');
      const body = JSON.parse(request!.body) as { commit_sha: string; ref: string; sarif: string };
      expect(body).toMatchObject({ commit_sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', ref: 'refs/heads/main' });
      const uploaded = gunzipSync(Buffer.from(body.sarif, 'base64')).toString('utf8');
      expect(uploaded).toBe(await readFile(path.join(runner.dir, 'security-scan.sarif'), 'utf8'));
      expect(JSON.parse(uploaded).runs).toHaveLength(4);
      expectNoSecret(run, uploaded);
      // the token reaches the runner only in the command that masks it
      expect(run.stdout.split('\n').filter((l) => l.includes('ghs_loopbacktoken123'))).toEqual(['::add-mask::ghs_loopbacktoken123']);
    } finally {
      await runner.cleanup();
    }
  });

  it("code scanning's processing errors fail the step after the outputs and summary are written", async () => {
    const runner = await workspace();
    answer = { status: 202, body: { id: 'sarif-2' } };
    processing = {
      processing_status: 'failed',
      errors: ['locationFromSarifResult: expected artifact location', '::error::not a command ghs_x1234'],
    };
    try {
      const run = await runBundle('security-scan', {
        runner,
        inputs: { ...REPORTS, 'fail-on': 'none', upload: 'true', 'github-token': 'ghs_x1234' },
      });
      expect(run.exitCode).toBe(1);
      expect(run.outputs['gate']).toBe('passed');
      expect(run.summary).toContain('## Security scan');
      const failure = run.commands.filter((c) => c.command === 'error').at(-1)!.message;
      expect(failure).toContain('Code scanning could not process');
      expect(failure).toContain('locationFromSarifResult: expected artifact location; ::error::not a command ***');
      expect(github.requests.at(-1)).toMatchObject({ method: 'GET', url: '/repos/acme/shop/code-scanning/sarifs/sarif-2' });
      expect(github.requests.at(-1)!.headers['authorization']).toBe('Bearer ghs_x1234');
    } finally {
      processing = { processing_status: 'complete' };
      await runner.cleanup();
    }
  });

  it('a 403 on a fork pull request gives a notice, not a failure', async () => {
    const runner = await workspace({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' });
    await writeFile(
      runner.env['GITHUB_EVENT_PATH']!,
      JSON.stringify({
        pull_request: { number: 7, head: { repo: { full_name: 'fork/shop', fork: true } }, base: { repo: { full_name: 'acme/shop' } } },
      }),
    );
    answer = { status: 403, body: { message: 'Resource not accessible by integration' } };
    try {
      const run = await runBundle('security-scan', {
        runner,
        inputs: { ...REPORTS, 'fail-on': 'none', upload: 'true', 'github-token': 'ghs_readonly' },
      });
      expect(run.exitCode).toBe(0);
      expect(run.outputs['gate']).toBe('passed');
      const notice = run.commands.find((c) => c.command === 'notice' && c.message.startsWith('Code scanning upload skipped'));
      expect(notice!.message).toContain('Resource not accessible by integration');
      expect(JSON.parse(github.requests.at(-1)!.body).ref).toBe('refs/pull/7/merge');
    } finally {
      await runner.cleanup();
    }
  });

  it('a 403 on a push (missing permission) fails with a hint', async () => {
    const runner = await workspace();
    answer = { status: 403, body: { message: 'Resource not accessible by integration' } };
    try {
      const run = await runBundle('security-scan', {
        runner,
        inputs: { ...REPORTS, 'fail-on': 'none', upload: 'true', 'github-token': 'ghs_x1234' },
      });
      expect(run.exitCode).toBe(1);
      const failure = run.commands.filter((c) => c.command === 'error').at(-1)!.message;
      expect(failure).toContain('Code scanning upload failed: HTTP 403');
      expect(failure).toContain('security-events: write');
    } finally {
      await runner.cleanup();
    }
  });

  it.each([
    [
      { 'gitleaks-report': 'missing.json' },
      /Input 'gitleaks-report': .*missing\.json: file not found; expected a Gitleaks JSON or SARIF report/,
    ],
    [
      { 'trivy-report': 'reports/gitleaks-golden-json_simple.json' },
      /Input 'trivy-report': .*is a Gitleaks JSON report; expected a Trivy JSON or SARIF report/,
    ],
    [{ 'sarif-files': 'nothing/*.sarif' }, /Input 'sarif-files': no file matches 'nothing\/\*\.sarif'/],
    [
      { 'gitleaks-report': 'reports/gitleaks-*', 'fail-on': 'severe' },
      /Input 'fail-on' must be one of critical, high, medium, low, none, got 'severe'\./,
    ],
    [{}, /Nothing to scan: give at least one of Input 'gitleaks-report'/],
  ])('bad input %j: a clear error, no SARIF written', async (inputs, message) => {
    const runner = await workspace();
    try {
      const run = await runBundle('security-scan', { runner, inputs });
      expect(run.exitCode).toBe(2);
      expect(run.commands.find((c) => c.command === 'error')!.message).toMatch(message);
      expect(existsSync(path.join(runner.dir, 'security-scan.sarif'))).toBe(false);
      expect(run.outputs).toEqual({});
    } finally {
      await runner.cleanup();
    }
  });
});
