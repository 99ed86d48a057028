/**
 * The lint action's bundle with real linters on real files, for what goes beyond reporting:
 * SARIF validated against the SARIF 2.1.0 schema and uploaded through the code-scanning upload,
 * changed-files scope in a real git repository with a pull_request event payload (full and
 * shallow clones), fix mode, and mypy. Expected counts come from reading the files written here.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createRunnerEnv, json, repoRoot, requireTool, runBundle, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { githubUploadProblems, sarifValidators } from '../../packages/sarif/test/helpers.ts';
import { requirePythonVenv } from './python-venv.ts';

let PATH: string;
let scratch: string;
let github: LoopbackServer;
let answers: number[] = [];

beforeAll(async () => {
  PATH = [
    path.dirname(requirePythonVenv().bin('ruff')),
    ...['helm3', 'yamllint', 'mypy', 'shellcheck', 'hadolint'].map((tool) => path.dirname(requireTool(tool).path)),
    path.dirname(process.execPath),
    '/usr/bin',
    '/bin',
  ].join(':');
  scratch = await mkdtemp(path.join(tmpdir(), 'ptk-lint-depth-'));
  github = await startServer((req, res) => {
    // the upload's processing status, asked after it was accepted
    if (req.method === 'GET') return json(res, 200, { processing_status: 'complete' });
    const status = answers.shift() ?? 202;
    json(res, status, status === 202 ? { id: 'lint-sarif-1', url: 'https://api.example/lint-sarif-1' } : { message: 'try later' });
  });
});
afterAll(async () => {
  await github.close();
  await rm(scratch, { recursive: true, force: true });
});

/** The example service copied to `dir` with problems any reader can count (one comment per file). */
async function brokenService(dir: string): Promise<void> {
  await cp(path.join(repoRoot, 'examples', 'python-service'), dir, { recursive: true });
  // `os` imported and never used (ruff F401, line 1), with no blank line after the import block
  // (isort, I001, line 1, selected in the service's pyproject.toml); `x=1` unformatted (line 2).
  await writeFile(path.join(dir, 'src', 'broken.py'), 'import os\nx=1\n');
  // A key given twice (yamllint key-duplicates, line 2).
  await writeFile(path.join(dir, 'settings.yml'), 'name: x\nname: y\n');
  // `cd` in RUN (DL3003) and an unpinned pip install (DL3013), both on line 3.
  await writeFile(
    path.join(dir, 'Dockerfile.worker'),
    'FROM python:3.11-slim\nWORKDIR /app\nRUN cd /tmp && pip install --no-cache-dir requests\n',
  );
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

const SKIP = new Set(['.git', '__pycache__', 'node_modules']);
async function walk(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) out.push(...(await walk(dir, child)));
    } else out.push(child);
  }
  return out;
}

describe('SARIF output and upload', () => {
  it('writes one valid SARIF run per linter, each under its own category, and uploads it through the code-scanning upload', async () => {
    const runner = await createRunnerEnv({ GITHUB_API_URL: github.url });
    await brokenService(path.join(runner.dir, 'svc'));
    answers = [500, 202]; // a server error is retried, as in security-scan's upload
    const before = github.requests.length;
    const run = await runBundle('lint', {
      runner,
      env: { PATH },
      inputs: { 'working-directory': 'svc', sarif: 'reports/lint.sarif', upload: 'true', 'github-token': 'ghs_linttoken0123456789' },
      timeoutMs: 180_000,
    });
    const text = await readFile(path.join(runner.dir, 'reports', 'lint.sarif'), 'utf8');
    const outputs = run.outputs;
    await runner.cleanup();

    expect(run.exitCode).toBe(1);
    expect(outputs['sarif-file']).toBe(path.join(runner.dir, 'reports', 'lint.sarif'));
    const sarif = JSON.parse(text);
    const { oasis, codeql } = sarifValidators();
    expect([oasis(sarif), oasis.errors]).toEqual([true, null]);
    expect([codeql(sarif), codeql.errors]).toEqual([true, null]);
    expect(githubUploadProblems(sarif)).toEqual([]);

    const linters = JSON.parse(outputs['linters'] ?? '[]') as { linter: string; outcome: string; errors: number; warnings: number }[];
    expect(linters.map((l) => l.linter)).toEqual(['ruff', 'helm', 'memory-bank', 'yamllint', 'hadolint']);
    const runs = sarif.runs as {
      automationDetails: { id: string };
      results: {
        ruleId: string;
        level: string;
        locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
      }[];
    }[];
    expect(runs.map((r) => r.automationDetails.id)).toEqual(linters.map((l) => `lint/${l.linter}/`));
    for (const [i, l] of linters.entries()) expect(runs[i]?.results.length).toBe(l.errors + l.warnings);

    const at = (i: number) =>
      runs[i]!.results.map((r) => [
        r.ruleId,
        r.level,
        r.locations[0]?.physicalLocation.artifactLocation.uri,
        r.locations[0]?.physicalLocation.region?.startLine,
      ]);
    expect(at(0)).toEqual([
      ['I001', 'error', 'svc/src/broken.py', 1],
      ['F401', 'error', 'svc/src/broken.py', 1],
      ['unformatted', 'error', 'svc/src/broken.py', 2],
    ]);
    expect(at(3)).toEqual([['key-duplicates', 'error', 'svc/settings.yml', 2]]);
    expect(at(4)).toEqual([
      ['DL3003', 'error', 'svc/Dockerfile.worker', 3],
      ['DL3013', 'error', 'svc/Dockerfile.worker', 3],
    ]);

    const posts = github.requests.slice(before);
    expect(posts.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/repos/acme/shop/code-scanning/sarifs'],
      ['POST', '/repos/acme/shop/code-scanning/sarifs'],
      // then, as GitHub's own upload does, whether code scanning processed it
      ['GET', '/repos/acme/shop/code-scanning/sarifs/lint-sarif-1'],
    ]);
    const body = JSON.parse(posts[1]!.body) as { sarif: string; tool_name: string; ref: string };
    expect(body.tool_name).toBe('pipeline-toolkit lint');
    expect(body.ref).toBe('refs/heads/main');
    expect(gunzipSync(Buffer.from(body.sarif, 'base64')).toString('utf8')).toBe(text);
    expect(run.stdout.split('\n').filter((l) => l.includes('ghs_linttoken0123456789'))).toEqual(['::add-mask::ghs_linttoken0123456789']);
  }, 200_000);
});

describe('changed files only on a pull request', () => {
  let origin: string;
  let base: string;
  let lintable: number;

  beforeAll(async () => {
    // The default branch has legacy problems (brokenService); the pull request adds one file with one problem.
    origin = path.join(scratch, 'origin');
    await brokenService(origin);
    git(origin, 'init', '--quiet');
    git(origin, 'add', '-A');
    git(origin, 'commit', '--quiet', '-m', 'legacy');
    base = git(origin, 'rev-parse', 'HEAD');
    git(origin, 'checkout', '--quiet', '-b', 'feature');
    // `os` imported and never used: one ruff F401 on line 1; the rest is formatted as ruff wants.
    await writeFile(path.join(origin, 'src', 'orders_service', 'extra.py'), 'import os\n\n\ndef answer() -> int:\n    return 42\n');
    await writeFile(path.join(origin, 'README.md'), `${await readFile(path.join(origin, 'README.md'), 'utf8')}\nOne more line.\n`);
    git(origin, 'add', '-A');
    git(origin, 'commit', '--quiet', '-m', 'feature');
    const files = await walk(origin);
    // What the linters that apply here look at: Python (ruff), YAML outside chart templates
    // (yamllint), the chart (helm), the memory bank, Dockerfiles (hadolint).
    lintable = files.filter(
      (f) =>
        f.endsWith('.py') ||
        (/\.ya?ml$/.test(f) && !f.startsWith('charts/orders-service/templates/')) ||
        f.startsWith('charts/orders-service/') ||
        f.startsWith('memory-bank/') ||
        /^Dockerfile/.test(f),
    ).length;
  });

  async function lintPullRequest(workspace: string) {
    const runner = await createRunnerEnv({
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REF: 'refs/pull/1/merge',
    });
    await writeFile(
      runner.env['GITHUB_EVENT_PATH']!,
      JSON.stringify({ pull_request: { number: 1, base: { ref: 'main', sha: base } }, repository: { default_branch: 'main' } }),
    );
    const run = await runBundle('lint', { runner, env: { PATH }, timeoutMs: 180_000 });
    await runner.cleanup();
    return run;
  }

  function expectOnlyTheChangedFile(run: Awaited<ReturnType<typeof lintPullRequest>>) {
    expect(run.exitCode).toBe(1);
    expect(run.outputs['scope']).toBe('changed');
    expect(run.outputs['skipped-files']).toBe(String(lintable - 1));
    expect(JSON.parse(run.outputs['linters'] ?? '[]')).toEqual([
      { linter: 'ruff', outcome: 'ran', errors: 1, warnings: 0 },
      { linter: 'helm', outcome: 'unchanged', errors: 0, warnings: 0 },
      { linter: 'memory-bank', outcome: 'unchanged', errors: 0, warnings: 0 },
      { linter: 'yamllint', outcome: 'unchanged', errors: 0, warnings: 0 },
      { linter: 'hadolint', outcome: 'unchanged', errors: 0, warnings: 0 },
    ]);
    const errors = run.commands.filter((c) => c.command === 'error' && c.properties['file']);
    expect(errors.map((c) => [c.properties['file'], c.properties['line'], c.properties['title']])).toEqual([
      ['src/orders_service/extra.py', '1', 'ruff F401'],
    ]);
    expect(run.summary).toContain(
      `Changed files only (compared with \`${base.slice(0, 12)}\`): 1 changed file(s) linted, ${lintable - 1} unchanged file(s) skipped.`,
    );
  }

  it('lints only the file the pull request touches, in a full clone', async () => {
    const clone = path.join(scratch, 'full');
    git(scratch, 'clone', '--quiet', '--branch', 'feature', origin, clone);
    expectOnlyTheChangedFile(await lintPullRequest(clone));
  }, 200_000);

  it('fetches the base into a shallow clone (as actions/checkout makes) and lints the same', async () => {
    const clone = path.join(scratch, 'shallow');
    git(scratch, 'clone', '--quiet', '--depth=1', '--branch', 'feature', `file://${origin}`, clone);
    expect(() => git(clone, 'cat-file', '-e', `${base}^{commit}`)).toThrow();
    const run = await lintPullRequest(clone);
    expect(run.stdout).toContain(`Fetching the base ${base} to compare with.`);
    expectOnlyTheChangedFile(run);
  }, 200_000);

  it('with scope: all, lints everything, legacy problems included', async () => {
    const runner = await createRunnerEnv({ GITHUB_WORKSPACE: path.join(scratch, 'full'), GITHUB_EVENT_NAME: 'pull_request' });
    const run = await runBundle('lint', { runner, env: { PATH }, inputs: { scope: 'all', linters: 'ruff' }, timeoutMs: 180_000 });
    await runner.cleanup();
    const files = run.commands
      .filter((c) => c.command === 'error' && c.properties['title'] === 'ruff F401')
      .map((c) => c.properties['file']);
    expect(files.sort()).toEqual(['src/broken.py', 'src/orders_service/extra.py']);
    expect(run.outputs['scope']).toBe('all');
  }, 200_000);
});

describe('fix mode', () => {
  async function fixable(): Promise<string> {
    const dir = await mkdtemp(path.join(scratch, 'fix-'));
    await writeFile(path.join(dir, 'pyproject.toml'), '[tool.ruff]\nline-length = 120\n');
    // ruff: `os` unused (F401, fixable) and `x=1` unformatted; ESLint prefer-const: `let` never reassigned (fixable).
    await writeFile(path.join(dir, 'broken.py'), 'import os\nx=1\n');
    await writeFile(path.join(dir, 'eslint.config.js'), "export default [{ files: ['**/*.js'], rules: { 'prefer-const': 'error' } }];\n");
    await writeFile(path.join(dir, 'tool.js'), 'let answer = 42;\nexport { answer };\n');
    await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
    return dir;
  }

  it('applies ruff and ESLint fixes on a branch and shows them as a diff', async () => {
    const dir = await fixable();
    const runner = await createRunnerEnv({ GITHUB_WORKSPACE: dir, GITHUB_REF: 'refs/heads/feature' });
    await writeFile(runner.env['GITHUB_EVENT_PATH']!, JSON.stringify({ repository: { default_branch: 'main' } }));
    const run = await runBundle('lint', { runner, env: { PATH }, inputs: { fix: 'true' }, timeoutMs: 180_000 });
    await runner.cleanup();
    expect(run.exitCode).toBe(0);
    expect(await readFile(path.join(dir, 'broken.py'), 'utf8')).toBe('x = 1\n');
    expect(await readFile(path.join(dir, 'tool.js'), 'utf8')).toBe('const answer = 42;\nexport { answer };\n');
    expect(run.outputs['fixed-files']).toBe('broken.py,tool.js');
    expect(run.summary).toContain('Fixes applied to 2 file(s): broken.py, tool.js');
    expect(run.summary).toContain('--- a/broken.py\n+++ b/broken.py\n@@ -1,2 +1,1 @@\n-import os\n-x=1\n+x = 1\n');
    expect(run.summary).toContain('-let answer = 42;\n+const answer = 42;\n');
  }, 200_000);

  it('is refused on the default branch with a clear message, changing nothing', async () => {
    const dir = await fixable();
    const runner = await createRunnerEnv({ GITHUB_WORKSPACE: dir, GITHUB_REF: 'refs/heads/main' });
    await writeFile(runner.env['GITHUB_EVENT_PATH']!, JSON.stringify({ repository: { default_branch: 'main' } }));
    const run = await runBundle('lint', { runner, env: { PATH }, inputs: { fix: 'true' }, timeoutMs: 60_000 });
    await runner.cleanup();
    expect(run.exitCode).toBe(2);
    expect(run.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([
      "Fix mode (Input 'fix') is refused on the default branch 'main': fixes belong on a pull request branch, where they can be reviewed. Set Input 'allow-fix-on-default-branch' to true to fix the default branch on purpose.",
    ]);
    expect(await readFile(path.join(dir, 'broken.py'), 'utf8')).toBe('import os\nx=1\n');
    expect(run.outputs).toEqual({});
  }, 90_000);
});

describe('mypy and shellcheck', () => {
  it('type-checks a project that configures mypy, and checks shell scripts', async () => {
    const dir = await mkdtemp(path.join(scratch, 'typed-'));
    await writeFile(path.join(dir, 'mypy.ini'), '[mypy]\nstrict = True\n');
    // Line 2 returns an int where str is declared (return-value); line 4 passes a str for an int (arg-type).
    await writeFile(path.join(dir, 'typed.py'), 'def f(x: int) -> str:\n    return x\n\nf("a")\n');
    await writeFile(path.join(dir, 'clean.py'), 'def g(x: int) -> int:\n    return x + 1\n');
    // `cd` without `|| exit` (SC2164, warning: error) on line 2; unquoted $1 (SC2086, info: warning) on line 3.
    await mkdir(path.join(dir, 'bin'));
    await writeFile(path.join(dir, 'bin', 'deploy.sh'), '#!/bin/sh\ncd /srv\necho $1\n');
    const runner = await createRunnerEnv({ GITHUB_WORKSPACE: dir });
    const run = await runBundle('lint', {
      runner,
      env: { PATH },
      inputs: { linters: 'mypy,shellcheck', sarif: 'lint.sarif' },
      timeoutMs: 180_000,
    });
    const sarif = JSON.parse(await readFile(path.join(dir, 'lint.sarif'), 'utf8'));
    await runner.cleanup();
    expect(run.exitCode).toBe(1);
    const found = run.commands
      .filter((c) => c.properties['file'])
      .map((c) => [c.command, c.properties['file'], c.properties['line'], c.properties['title']]);
    expect(found).toEqual([
      ['error', 'typed.py', '2', 'mypy return-value'],
      ['error', 'typed.py', '4', 'mypy arg-type'],
      ['error', 'bin/deploy.sh', '2', 'shellcheck SC2164'],
      ['warning', 'bin/deploy.sh', '3', 'shellcheck SC2086'],
    ]);
    const { oasis } = sarifValidators();
    expect([oasis(sarif), oasis.errors]).toEqual([true, null]);
    expect(sarif.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).toEqual([
      'lint/mypy/',
      'lint/shellcheck/',
    ]);
  }, 200_000);
});
