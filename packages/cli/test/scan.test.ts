import { describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { repoRoot, startServer, json } from '@pipeline-toolkit/testing';
import { gunzipSync } from 'node:zlib';
import { execFileSync, spawn } from 'node:child_process';
import { main, type CliIO } from 'pipeline-toolkit';

const fixtures = path.resolve(repoRoot, 'test/fixtures/scanners');

async function workdir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cli-scan-'));
  await cp(path.join(fixtures, 'gitleaks/gitleaks-golden-json_simple.json'), path.join(dir, 'g.json'));
  await cp(path.join(fixtures, 'semgrep/semgrep-json-v1.100.0-logged-out.json'), path.join(dir, 's.json'));
  await cp(path.join(fixtures, 'trivy/trivy-npm-with-suppressed.json'), path.join(dir, 't.json'));
  await cp(path.join(fixtures, 'other/dockle-0.3.15-image-no-locations.sarif'), path.join(dir, 'dockle.sarif'));
  return dir;
}

function io(cwd: string, env: NodeJS.ProcessEnv = {}): CliIO & { printed: string[]; log: MemoryLogger } {
  const printed: string[] = [];
  return { log: new MemoryLogger(), out: (t) => printed.push(t), env, cwd, printed };
}

describe('pipeline-toolkit scan', () => {
  it('prints the table, writes the SARIF file and exits 1 when the gate fails', async () => {
    const dir = await workdir();
    const cli = io(dir);
    const code = await main(
      ['scan', '--gitleaks', 'g.json', '--semgrep', 's.json', '--trivy', 't.json', '--fail-on', 'high', '--sarif', 'out.sarif'],
      cli,
    );
    expect(code).toBe(1);
    const text = cli.printed.join('\n');
    // gitleaks 1 HIGH; semgrep ERROR→HIGH, WARNING→MEDIUM; trivy 1 HIGH + 1 suppressed
    expect(text).toMatch(/Gitleaks\s+0\s+1\s+0\s+0\s+0/);
    expect(text).toMatch(/Semgrep\s+0\s+1\s+1\s+0\s+0/);
    expect(text).toMatch(/Total \(deduplicated\)\s+0\s+3\s+1\s+0\s+0/);
    expect(text).toContain('Suppressed (not gated): 1');
    expect(text).toContain('Gate: failed (fail-on: high, gate-scope: all; 3 unsuppressed findings at or above HIGH)');
    expect(text).not.toContain('a secret');
    const log = JSON.parse(await readFile(path.join(dir, 'out.sarif'), 'utf8'));
    expect(log.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).toEqual([
      'security-scan/gitleaks/',
      'security-scan/semgrep/',
      'security-scan/trivy/',
    ]);
    expect(existsSync(path.join(dir, 'out.findings.json'))).toBe(true);
  });

  it('takes repeatable and input-named flags, refuses a non-SARIF file in --sarif-files, exits 0 below the threshold', async () => {
    const dir = await workdir();
    const code = await main(
      ['scan', '--trivy-report', 't.json', '--sarif-files', '*.sarif', '--sarif-files', 'g.json', '--fail-on', 'critical'],
      io(dir),
    );
    // g.json is not SARIF: given to --sarif-files it is refused
    expect(code).toBe(2);
    expect(await main(['scan', '--trivy-report', 't.json', '--sarif-files', '*.sarif', '--fail-on', 'critical'], io(dir))).toBe(0);
  });

  it("a report at an output's path: a previous run's output is skipped, another tool's report is refused, never overwritten", async () => {
    const dir = await workdir();
    const dockle = await readFile(path.join(dir, 'dockle.sarif'), 'utf8');
    // run twice in one folder with a glob that matches the first run's output: the same counts
    const twice = [io(dir), io(dir)];
    for (const cli of twice) {
      expect(await main(['scan', '--sarif-files', '*.sarif', '--sarif', 'security-scan.sarif', '--fail-on', 'none'], cli)).toBe(0);
    }
    const [first, second] = twice.map((cli) => cli.printed.join('\n').match(/Total \(deduplicated\)[\s\d]+/)![0]);
    expect(second).toBe(first);
    // the output named as the report it would replace: refused before anything is written
    const cli = io(dir);
    expect(await main(['scan', '--sarif-files', 'dockle.sarif', '--sarif', 'dockle.sarif'], cli)).toBe(2);
    expect(cli.log.lines.find((l) => l.level === 'error')?.message).toMatch(
      /^--sarif-files names '.*dockle\.sarif', which is where --output-sarif writes the SARIF file: the report would be overwritten\./,
    );
    expect(await readFile(path.join(dir, 'dockle.sarif'), 'utf8')).toBe(dockle);
  });

  it('an output path that is a named pipe is refused at once (opened, it would wait for a reader for ever)', async () => {
    const dir = await workdir();
    execFileSync('mkfifo', [path.join(dir, 'out.sarif')]);
    const cli = io(dir);
    expect(await main(['scan', '--trivy', 't.json', '--sarif', 'out.sarif'], cli)).toBe(2);
    expect(cli.log.lines.find((l) => l.level === 'error')?.message).toBe(
      "--output-sarif 'out.sarif' is a named pipe: refused (the action writes only regular files).",
    );
  });

  it('a report linked to a file outside the workspace: refused in a job (exit 2, naming the flag), read on a terminal (ADR-051)', async () => {
    const dir = await workdir();
    const outside = await mkdtemp(path.join(tmpdir(), 'cli-outside-'));
    try {
      await cp(path.join(dir, 't.json'), path.join(outside, 't.json'));
      await writeFile(path.join(outside, 'creds.env'), 'TOKEN=ghp_outsideSecret0123456789\n');
      await symlink(path.join(outside, 't.json'), path.join(dir, 'linked.json'));
      await symlink(path.join(outside, 'creds.env'), path.join(dir, 'creds.json'));
      const job = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir };
      for (const file of ['linked.json', 'creds.json']) {
        const cli = io(dir, job);
        expect(await main(['scan', '--trivy', file, '--fail-on', 'none'], cli)).toBe(2);
        const error = cli.log.lines.find((l) => l.level === 'error')?.message ?? '';
        expect(error).toMatch(
          new RegExp(`^--trivy-report '${file.replace('.', '\\.')}' is outside the workspace \\(${dir}\\) \\(through a symbolic link, to `),
        );
        expect(cli.log.lines.map((l) => l.message).join('\n') + cli.printed.join('\n')).not.toContain('ghp_');
        expect(existsSync(path.join(dir, 'security-scan.sarif'))).toBe(false);
      }
      // a person at a terminal owns their files: links are followed
      expect(await main(['scan', '--trivy', 'linked.json', '--fail-on', 'none'], io(dir))).toBe(0);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it.each([
    [['--gitleaks', 'nope.json'], /^--gitleaks-report: .*nope\.json: file not found; expected a Gitleaks JSON or SARIF report$/],
    [['--trivy', 's.json'], /^--trivy-report: .*s\.json: is a Semgrep JSON report; expected a Trivy JSON or SARIF report$/],
    [['--gitleaks', 'g.json', '--fail-on', 'urgent'], /^--fail-on must be one of critical, high, medium, low, none, got 'urgent'\.$/],
    [
      [],
      /^Nothing to scan: give at least one of --gitleaks-report, --semgrep-report, --trivy-report, --grype-report, --checkov-report, --sarif-files, --reports, or set --run-scanners to 'available'\.$/,
    ],
    [['--gitleaks', 'g.json', '--upload'], /^--upload needs --github-token/],
  ])('exits 2 on bad input %j, naming the flag', async (args, message) => {
    const dir = await workdir();
    const cli = io(dir);
    expect(await main(['scan', ...args], cli)).toBe(2);
    expect(cli.log.lines.find((l) => l.level === 'error')?.message).toMatch(message);
    expect(existsSync(path.join(dir, 'security-scan.sarif'))).toBe(false);
  });

  it('--upload posts to GITHUB_API_URL with the token from GITHUB_TOKEN, then waits for code scanning to process it', async () => {
    const dir = await workdir();
    const server = await startServer((req, res) =>
      req.method === 'GET' ? json(res, 200, { processing_status: 'complete' }) : json(res, 202, { id: 'abc' }),
    );
    try {
      const env = {
        GITHUB_API_URL: server.url,
        GITHUB_TOKEN: 'ghs_clitoken1234',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_SHA: 'f'.repeat(40),
        GITHUB_REF: 'refs/heads/main',
      };
      expect(await main(['scan', '--trivy', 't.json', '--fail-on', 'none', '--upload'], io(dir, env))).toBe(0);
      expect(server.requests.map((r) => [r.method, r.url])).toEqual([
        ['POST', '/repos/acme/shop/code-scanning/sarifs'],
        ['GET', '/repos/acme/shop/code-scanning/sarifs/abc'],
      ]);
      // --wait-for-processing=false: the upload only
      expect(await main(['scan', '--trivy', 't.json', '--fail-on', 'none', '--upload', '--wait-for-processing=false'], io(dir, env))).toBe(
        0,
      );
      expect(server.requests.slice(2).map((r) => r.method)).toEqual(['POST']);
      const body = JSON.parse(server.requests[0]!.body);
      expect(body).toMatchObject({ commit_sha: 'f'.repeat(40), ref: 'refs/heads/main' });
      expect(JSON.parse(gunzipSync(Buffer.from(body.sarif, 'base64')).toString()).runs[0].tool.driver.name).toBe('Trivy');
      expect(server.requests[0]!.headers['authorization']).toBe('Bearer ghs_clitoken1234');
    } finally {
      await server.close();
    }
  });
});

describe('pipeline-toolkit scan in a pull request job', () => {
  it('--ignore-unfixed, --baseline and --gate-scope new: the same report gives no new finding and exit 0', async () => {
    const dir = await workdir();
    await cp(path.join(fixtures, 'trivy/trivy-image-debian-buster-unfixed.json'), path.join(dir, 'd.json'));
    expect(await main(['scan', '--trivy', 'd.json', '--sarif', 'main.sarif', '--fail-on', 'low'], io(dir))).toBe(1);
    const cli = io(dir);
    const code = await main(
      ['scan', '--trivy', 'd.json', '--baseline', 'main.findings.json', '--gate-scope', 'new', '--ignore-unfixed', '--fail-on', 'low'],
      cli,
    );
    expect(code).toBe(0);
    // the unfixed ones are suppressed now: gone from the unsuppressed findings the baseline had (fixed), the rest unchanged
    const report = JSON.parse(await readFile(path.join(dir, 'd.json'), 'utf8')) as {
      Results: { Vulnerabilities: { FixedVersion?: string }[] }[];
    };
    const all = report.Results.flatMap((r) => r.Vulnerabilities);
    const unfixed = all.filter((v) => !v.FixedVersion).length;
    expect(cli.printed.join('\n')).toContain(
      `Baseline main.findings.json: new 0, fixed ${unfixed}, unchanged ${all.length - unfixed} (gate-scope: new)`,
    );
  });

  it("looks the base branch's findings up and comments, with the token from GITHUB_TOKEN", async () => {
    const dir = await workdir();
    const comments: string[] = [];
    const server = await startServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (url.pathname === '/repos/octo/shop/actions/workflows/ci.yml/runs') return json(res, 200, { workflow_runs: [] });
      if (url.pathname === '/repos/octo/shop/issues/7/comments' && req.method === 'GET') return json(res, 200, []);
      if (url.pathname === '/repos/octo/shop/issues/7/comments' && req.method === 'POST') {
        comments.push((JSON.parse(req.body) as { body: string }).body);
        return json(res, 201, { id: 1 });
      }
      return json(res, 404, {});
    });
    try {
      const event = path.join(dir, 'event.json');
      await import('node:fs/promises').then((fs) => fs.writeFile(event, JSON.stringify({ pull_request: { number: 7 } })));
      const cli = io(dir, {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_TOKEN: 'ghs_clitoken',
        GITHUB_REPOSITORY: 'octo/shop',
        GITHUB_API_URL: server.url,
        GITHUB_BASE_REF: 'main',
        GITHUB_WORKFLOW_REF: 'octo/shop/.github/workflows/ci.yml@refs/pull/7/merge',
      });
      expect(await main(['scan', '--trivy', 't.json'], cli)).toBe(1);
      const text = cli.printed.join('\n');
      expect(text).toContain(
        'Gate scope new needs a baseline, and no successful run of ci.yml on main (push, schedule, workflow_dispatch of octo/shop) has an artifact security-findings',
      );
      expect(comments).toHaveLength(1);
      expect(comments[0]).toContain('<!-- pipeline-toolkit/security-scan:security-scan -->');
    } finally {
      await server.close();
    }
  });
});

describe('pipeline-toolkit scan piped into a reader that stops early', () => {
  it('finishes its work and exits with its own code, without an EPIPE stack trace, when stdout is closed', async () => {
    const dir = await workdir();
    const bin = path.resolve(import.meta.dirname, '../src/bin.ts');
    const child = spawn(process.execPath, [bin, 'scan', '--gitleaks', 'g.json', '--trivy', 't.json', '--sarif', 'out.sarif'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '' },
    });
    // `| head -0`: the reader is gone before the first line
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|ERR_STREAM_DESTROYED|at .*bin\.ts/);
    expect(stderr).toMatch(/Security gate failed/);
    expect(code).toBe(1);
    expect(JSON.parse(await readFile(path.join(dir, 'out.sarif'), 'utf8')).runs.length).toBeGreaterThan(0);
  }, 60_000);
});
