import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRunnerEnv, requireTool, runBundle, type BundleRun, type RunnerEnv } from '@pipeline-toolkit/testing';

/**
 * The real scanners installed by `npm run tools` (gitleaks, semgrep, trivy at pinned versions) run
 * by the built action (`run-scanners: available`) over a small repository with planted problems,
 * offline: Semgrep with a local rule file, Trivy's misconfiguration and secret scanners with their
 * embedded checks.
 */
const AWS_KEY = 'AKIAZ3MSJV4WWNKWW5GF';
const AWS_SECRET = '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';

const FILES: Record<string, string> = {
  'app/config.py': `import os\n\naws_access_key_id = "${AWS_KEY}"\naws_secret_access_key = "${AWS_SECRET}"\n\n\ndef run(user_input):\n    return eval(user_input)\n`,
  Dockerfile: 'FROM alpine:3.10\nRUN apk add --no-cache curl\nCMD ["sh"]\n',
  'rules/python.yml': [
    'rules:',
    '  - id: no-eval',
    '    languages: [python]',
    '    severity: ERROR',
    '    message: eval() of data that may come from a user',
    '    pattern: eval(...)',
    '    metadata:',
    '      cwe: ["CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code"]',
    '',
  ].join('\n'),
};

describe('security-scan with the real gitleaks, semgrep and trivy', () => {
  let runner: RunnerEnv;
  let scratch: string;
  let run: BundleRun;

  beforeAll(async () => {
    const tools = ['gitleaks', 'semgrep', 'trivy'].map((name) => requireTool(name));
    scratch = await mkdtemp(path.join(tmpdir(), 'security-scan-real-'));
    // Scanner reports go to RUNNER_TEMP, outside the scanned workspace, as on a runner.
    runner = await createRunnerEnv({ RUNNER_TEMP: scratch });
    for (const [name, text] of Object.entries(FILES)) {
      await mkdir(path.dirname(path.join(runner.dir, name)), { recursive: true });
      await writeFile(path.join(runner.dir, name), text);
    }
    run = await runBundle('security-scan', {
      runner,
      inputs: { 'run-scanners': 'available', 'semgrep-config': 'rules/python.yml', 'fail-on': 'high' },
      env: {
        PATH: [...new Set(tools.map((t) => path.dirname(t.path)))].join(path.delimiter) + path.delimiter + (process.env['PATH'] ?? ''),
        TRIVY_SCANNERS: 'misconfig,secret',
        TRIVY_SKIP_CHECK_UPDATE: 'true',
        TRIVY_CACHE_DIR: path.join(scratch, 'trivy-cache'),
      },
      timeoutMs: 240_000,
    });
  }, 300_000);

  afterAll(async () => {
    await runner?.cleanup();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('runs the three scanners and fails the gate on the planted problems', () => {
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(1);
    // gitleaks: AWS key (l.3) and generic key (l.4), HIGH; trivy: the same two as CRITICAL secrets → merged, CRITICAL;
    // trivy Dockerfile: DS-0002 root user HIGH, DS-0026 no HEALTHCHECK LOW; semgrep: eval (ERROR → HIGH).
    expect(run.outputs).toMatchObject({
      critical: '2',
      high: '2',
      medium: '0',
      low: '1',
      info: '0',
      suppressed: '0',
      total: '5',
      gate: 'failed',
    });
  });

  it('writes one SARIF run per scanner and merges the secrets both found', async () => {
    const log = JSON.parse(await readFile(run.outputs['sarif-file']!, 'utf8'));
    expect(
      log.runs.map((r: { tool: { driver: { name: string } }; automationDetails: { id: string } }) => [
        r.tool.driver.name,
        r.automationDetails.id,
      ]),
    ).toEqual([
      ['Gitleaks', 'security-scan/gitleaks/'],
      ['Semgrep', 'security-scan/semgrep/'],
      ['Trivy', 'security-scan/trivy/'],
    ]);
    const findings = JSON.parse(await readFile(run.outputs['findings-file']!, 'utf8')) as {
      tools: string[];
      severity: string;
      location?: { path: string; startLine: number };
      rule: string;
    }[];
    const secrets = findings
      .filter((f) => f.location?.path === 'app/config.py' && f.location.startLine <= 4)
      .sort((a, b) => a.location!.startLine - b.location!.startLine);
    expect(secrets.map((f) => [f.location!.startLine, f.severity, f.tools])).toEqual([
      [3, 'CRITICAL', ['gitleaks', 'trivy']],
      [4, 'CRITICAL', ['gitleaks', 'trivy']],
    ]);
    expect(findings.find((f) => f.rule === 'rules.no-eval')).toMatchObject({
      severity: 'HIGH',
      location: { path: 'app/config.py', startLine: 8 },
    });
    expect(findings.find((f) => f.rule === 'DS-0002')).toMatchObject({ severity: 'HIGH', location: { path: 'Dockerfile' } });
  });

  it('never shows the planted secrets', async () => {
    const texts = [
      run.stdout,
      run.stderr,
      run.summary,
      JSON.stringify(run.outputs),
      await readFile(run.outputs['sarif-file']!, 'utf8'),
      await readFile(run.outputs['findings-file']!, 'utf8'),
    ];
    for (const text of texts) {
      expect(text).not.toContain(AWS_KEY);
      expect(text).not.toContain(AWS_SECRET);
    }
  });

  it('annotates the findings on their files', () => {
    const annotated = run.commands
      .filter((c) => c.properties['file'])
      .map((c) => `${c.command} ${c.properties['file']}:${c.properties['line']}`);
    expect(annotated).toEqual(
      expect.arrayContaining(['error app/config.py:3', 'error app/config.py:4', 'error app/config.py:8', 'notice Dockerfile:1']),
    );
  });
});

/**
 * The diff flags with the real binaries: a git repository made here, whose base commit holds a
 * secret and a Semgrep finding, and whose pull request commit adds one new secret and one new
 * finding. With diff-base, Gitleaks scans only the commits after the merge base (`gitleaks git
 * --log-opts`) and Semgrep reports only what they introduced (`--baseline-commit`); without it,
 * both scan everything. Trivy is not on PATH here (its report is skipped with a notice).
 */
describe('diff-base with the real gitleaks and semgrep', () => {
  const OLD_KEY = 'AKIAZ3MSJV4WWNKWW5GF';
  const NEW_KEY = 'AKIAQ7XKW2LMNHPRS5TV';
  const RULES = FILES['rules/python.yml']!;
  const BASE: Record<string, string> = {
    'rules/python.yml': RULES,
    'app/settings.py': `import os\n\naws_access_key_id = "${OLD_KEY}"\n\n\ndef load(text):\n    return eval(text)\n`,
  };
  const PR: Record<string, string> = {
    'app/feature.py': `\n\ndef apply(expression):\n    value = eval(expression)\n    return value\n\n\naws_access_key_id = "${NEW_KEY}"\n`,
  };
  let repo: RunnerEnv;
  let temp: string;
  let baseSha: string;
  let prHead: string;
  let env: Record<string, string>;

  /** Where a line holding `needle` is in a file written here (1-based), so that expected values follow the files. */
  const lineOf = (files: Record<string, string>, file: string, needle: string) => {
    const index = files[file]!.split('\n').findIndex((line) => line.includes(needle));
    expect(index).toBeGreaterThanOrEqual(0);
    return index + 1;
  };

  beforeAll(async () => {
    const tools = ['gitleaks', 'semgrep'].map((name) => requireTool(name));
    temp = await mkdtemp(path.join(tmpdir(), 'security-scan-diff-'));
    repo = await createRunnerEnv({ RUNNER_TEMP: temp });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
        cwd: repo.dir,
        encoding: 'utf8',
      }).trim();
    const commit = async (files: Record<string, string>, message: string) => {
      for (const [name, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(repo.dir, name)), { recursive: true });
        await writeFile(path.join(repo.dir, name), text);
        git('add', name);
      }
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    };
    git('init', '-q', '-b', 'main');
    baseSha = await commit(BASE, 'base');
    git('checkout', '-q', '-b', 'feature');
    prHead = await commit(PR, 'pull request');
    env = {
      // only the two scanners (and git) on PATH
      PATH: [...new Set(tools.map((t) => path.dirname(t.path))), '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter),
    };
  }, 60_000);

  afterAll(async () => {
    await repo?.cleanup();
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  interface Found {
    tools: string[];
    rule: string;
    match: string;
    location?: { path: string; startLine: number };
  }
  /** The matches (line-independent fingerprints) of each run, to compare across runs. */
  const matches: Record<string, Record<string, string>> = {};
  const scan = async (inputs: Record<string, string>, name: string) => {
    const result = await runBundle('security-scan', {
      runner: repo,
      inputs: { 'run-scanners': 'available', 'semgrep-config': 'rules/python.yml', 'fail-on': 'none', 'output-sarif': name, ...inputs },
      env,
      timeoutMs: 240_000,
    });
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const findings = JSON.parse(await readFile(result.outputs['findings-file']!, 'utf8')) as Found[];
    const texts = [result.stdout, result.summary, await readFile(result.outputs['sarif-file']!, 'utf8'), JSON.stringify(findings)];
    // the findings file is what the pipeline publishes as the baseline artifact: no secret in it, nor anywhere else
    for (const text of texts) for (const key of [OLD_KEY, NEW_KEY]) expect(text).not.toContain(key);
    const found = findings.map((f) => `${f.tools.join('+')} ${f.location?.path}:${f.location?.startLine}`);
    matches[name] = Object.fromEntries(findings.map((f, i) => [found[i]!, `${f.rule} ${f.match}`]));
    return { result, found: found.sort() };
  };

  it('with diff-base: only the secret and the finding the pull request adds', async () => {
    const { result, found } = await scan({ 'diff-base': baseSha }, 'diff.sarif');
    expect(found).toEqual(
      [
        `gitleaks app/feature.py:${lineOf(PR, 'app/feature.py', NEW_KEY)}`,
        `semgrep app/feature.py:${lineOf(PR, 'app/feature.py', 'eval(')}`,
      ].sort(),
    );
    // Gitleaks read the pull request's one commit, not the history before it
    expect(result.stdout).toMatch(/(?<!\d)1 commits scanned/);
    expect(result.stdout).toContain(`Diff-aware scan: the changes since ${baseSha}`);
    // Semgrep checked the base out in a private worktree, gone now: the workspace stayed on the pull request
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' }).trim();
    expect(git('rev-parse', 'HEAD')).toBe(prHead);
    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(git('status', '--porcelain', '--untracked-files=no')).toBe('');
  }, 300_000);

  it("without diff-base: everything, the base commit's secret and finding too", async () => {
    const { found } = await scan({}, 'full.sarif');
    expect(found).toEqual(
      [
        `gitleaks app/settings.py:${lineOf(BASE, 'app/settings.py', OLD_KEY)}`,
        `semgrep app/settings.py:${lineOf(BASE, 'app/settings.py', 'eval(')}`,
        `gitleaks app/feature.py:${lineOf(PR, 'app/feature.py', NEW_KEY)}`,
        `semgrep app/feature.py:${lineOf(PR, 'app/feature.py', 'eval(')}`,
      ].sort(),
    );
  }, 300_000);

  it('names the new findings alike in both scans (same rule ids and matches), so that a baseline from a full scan still tells them apart', () => {
    const diff = matches['diff.sarif']!;
    const full = matches['full.sarif']!;
    expect(Object.keys(diff)).toHaveLength(2);
    for (const [where, match] of Object.entries(diff)) expect([where, full[where]]).toEqual([where, match]);
    expect(Object.values(diff).find((m) => m.startsWith('rules.'))).toMatch(/^rules\.no-eval /);
  });
});

/**
 * A pull request's diff-aware scan (diff-base, ADR-035) of a git repository: the base commit holds
 * problems of its own, the pull request adds a file with a secret and an eval and removes the USER of
 * a Dockerfile in another folder. Gitleaks (the commits after the base), Semgrep (--baseline-commit)
 * and Trivy (the copy of the changed files and their folder) report the change only, at its
 * repository paths.
 */
const PR_KEY = 'AKIAQYLPMN5HJTW2ZQXR';
const PR_SECRET = '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';
const SVC_DOCKERFILE = 'FROM alpine:3.20\nRUN adduser -D app\nUSER app\nHEALTHCHECK CMD true\nCMD ["sh"]\n';

describe('a pull request scan with the real scanners (diff-base)', () => {
  let prRunner: RunnerEnv;
  let prScratch: string;
  let pr: BundleRun;
  let findings: { tools: string[]; rule: string; severity: string; location?: { path: string; startLine: number } }[];

  beforeAll(async () => {
    const tools = ['gitleaks', 'semgrep', 'trivy'].map((name) => requireTool(name));
    prScratch = await mkdtemp(path.join(tmpdir(), 'security-scan-pr-'));
    prRunner = await createRunnerEnv({ RUNNER_TEMP: prScratch });
    const repo = path.join(prRunner.dir, 'repo');
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'dev',
          GIT_AUTHOR_EMAIL: 'dev@example.com',
          GIT_COMMITTER_NAME: 'dev',
          GIT_COMMITTER_EMAIL: 'dev@example.com',
        },
      }).trim();
    const put = async (files: Record<string, string>) => {
      for (const [name, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(repo, name)), { recursive: true });
        await writeFile(path.join(repo, name), text);
      }
    };
    await mkdir(repo);
    git('init', '-q', '-b', 'main');
    await put({ ...FILES, 'svc/Dockerfile': SVC_DOCKERFILE, 'svc/app.py': 'print("svc")\n' });
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const base = git('rev-parse', 'HEAD');
    await put({
      'svc/settings.py': `aws_access_key_id = "${PR_KEY}"\naws_secret_access_key = "${PR_SECRET}"\n\n\ndef load(text):\n    return eval(text)\n`,
      'svc/Dockerfile': SVC_DOCKERFILE.replace('USER app\n', ''),
    });
    git('add', '-A');
    git('commit', '-q', '-m', 'settings');
    pr = await runBundle('security-scan', {
      runner: prRunner,
      cwd: repo,
      inputs: { 'run-scanners': 'available', 'semgrep-config': 'rules/python.yml', 'fail-on': 'high', 'diff-base': base },
      env: {
        GITHUB_WORKSPACE: repo,
        PATH: [...new Set(tools.map((t) => path.dirname(t.path)))].join(path.delimiter) + path.delimiter + (process.env['PATH'] ?? ''),
        TRIVY_SCANNERS: 'misconfig,secret',
        TRIVY_SKIP_CHECK_UPDATE: 'true',
        TRIVY_CACHE_DIR: path.join(prScratch, 'trivy-cache'),
      },
      timeoutMs: 240_000,
    });
    findings = JSON.parse(await readFile(pr.outputs['findings-file']!, 'utf8'));
  }, 300_000);

  afterAll(async () => {
    await prRunner?.cleanup();
    if (prScratch) await rm(prScratch, { recursive: true, force: true });
  });

  it('reports what the pull request introduced, with each scanner, at its repository paths', () => {
    expect(pr.stderr).toBe('');
    expect(pr.exitCode).toBe(1);
    expect(pr.stdout).toContain('run-scanners: trivy scans the change: 2 changed files, 3 with the files read together with them.');
    const secrets = findings
      .filter((f) => f.location?.path === 'svc/settings.py' && f.location.startLine <= 2)
      .sort((a, b) => a.location!.startLine - b.location!.startLine);
    expect(secrets.map((f) => [f.location!.startLine, f.tools])).toEqual([
      [1, ['gitleaks', 'trivy']],
      [2, ['gitleaks', 'trivy']],
    ]);
    expect(findings.find((f) => f.rule === 'rules.no-eval')).toMatchObject({ location: { path: 'svc/settings.py', startLine: 6 } });
    expect(findings.find((f) => f.rule === 'DS-0002')).toMatchObject({
      severity: 'HIGH',
      tools: ['trivy'],
      location: { path: 'svc/Dockerfile' },
    });
  });

  it('leaves out what the base already had: the problems of app/config.py and of the root Dockerfile', () => {
    const paths = [...new Set(findings.map((f) => f.location?.path))].sort();
    expect(paths).toEqual(['svc/Dockerfile', 'svc/settings.py']);
  });

  it('never shows the secrets the pull request added', async () => {
    for (const text of [
      pr.stdout,
      pr.stderr,
      pr.summary,
      await readFile(pr.outputs['findings-file']!, 'utf8'),
      await readFile(pr.outputs['sarif-file']!, 'utf8'),
    ]) {
      expect(text).not.toContain(PR_KEY);
      expect(text).not.toContain(PR_SECRET);
    }
  });
});

/**
 * Semgrep run with an invalid rule file exits 7 and, with `--quiet --json --output`, writes its
 * reason only into its report's `errors`: the action fails (exit code 1, as for any failure
 * outside the toolkit) with that reason, naming the rule file. A GitHub-token-shaped value in the
 * rule file's folder and in the rule (which Semgrep repeats in its message) is redacted. Only
 * Semgrep is on PATH.
 */
describe('security-scan with the real semgrep and an invalid rule file', () => {
  const TOKEN = 'ghp_Q8xZ3mN7vB2kL9pR4tY6wE1sD5fG0hJ8aC3x';
  let runner: RunnerEnv;
  let scratch: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const semgrep = requireTool('semgrep');
    scratch = await mkdtemp(path.join(tmpdir(), 'security-scan-bad-rule-'));
    runner = await createRunnerEnv({ RUNNER_TEMP: scratch });
    const files: Record<string, string> = {
      'app.py': 'def run(text):\n    return eval(text)\n',
      // no `message`: Semgrep's schema check fails on the rule (line 2)
      'rules/invalid.yml': 'rules:\n  - id: no-eval\n    languages: [python]\n    severity: ERROR\n    pattern: eval(...)\n',
      // a severity Semgrep does not know, which it quotes in its message, in a folder named like a token
      [`rules/${TOKEN}/leaky.yml`]: `rules:\n  - id: no-eval\n    languages: [python]\n    severity: ${TOKEN}\n    message: eval\n    pattern: eval(...)\n`,
    };
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(runner.dir, name)), { recursive: true });
      await writeFile(path.join(runner.dir, name), text);
    }
    env = { PATH: [path.dirname(semgrep.path), '/usr/local/bin', '/usr/bin', '/bin'].join(path.delimiter) };
  }, 60_000);

  afterAll(async () => {
    await runner?.cleanup();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const scan = (config: string) =>
    runBundle('security-scan', {
      runner,
      inputs: { 'run-scanners': 'available', 'semgrep-config': config, 'fail-on': 'none' },
      env,
      timeoutMs: 240_000,
    });

  it("fails with exit code 1, naming the rule file and Semgrep's reason", async () => {
    const run = await scan('rules/invalid.yml');
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 1, stderr: '' });
    const errors = run.commands.filter((c) => c.command === 'error').map((c) => c.message);
    expect(errors).toHaveLength(1);
    const lines = errors[0]!.split('\n');
    expect(lines[0]).toMatch(/^run-scanners: Semgrep failed: '.*\/semgrep scan --config' exited with code 7:$/);
    expect(lines.slice(1)).toEqual([
      'Semgrep reports 2 errors:',
      `- InvalidRuleSchemaError: One of these properties is missing: 'message' (${path.join(runner.dir, 'rules/invalid.yml')}:2)`,
      '- SemgrepError: invalid configuration file found (1 configs were invalid)',
    ]);
  }, 300_000);

  it('never shows a secret in the rule file path or in the message Semgrep quotes', async () => {
    const run = await scan(`rules/${TOKEN}/leaky.yml`);
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 1, stderr: '' });
    const error = run.commands.find((c) => c.command === 'error')!.message;
    // Semgrep's reason, with the value and the folder masked
    expect(error).toContain("- InvalidRuleSchemaError: '***' is not one of ['ERROR', 'WARNING', 'INFO'");
    expect(error).toContain(`(${path.join(runner.dir, 'rules/***/leaky.yml')}:2)`);
    for (const text of [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)]) expect(text).not.toContain(TOKEN);
  }, 300_000);
});
