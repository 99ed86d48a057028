import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRunnerEnv, repoRoot, requireTool, runBundle, type RunnerEnv } from '@pipeline-toolkit/testing';
import { requirePythonVenv } from './python-venv.ts';

/**
 * The lint action's bundle against the real linters: ruff (the Python venv of this tier),
 * actionlint, Helm 3, yamllint, ShellCheck and hadolint (npm run tools), the repository's own
 * ESLint, and memory-bank lint.
 */
let workspace: string;
let runner: RunnerEnv;
let PATH: string;

beforeAll(async () => {
  const venv = requirePythonVenv();
  PATH = [
    path.dirname(venv.bin('ruff')),
    path.dirname(requireTool('actionlint').path),
    path.dirname(requireTool('helm3').path),
    ...['yamllint', 'shellcheck', 'hadolint'].map((tool) => path.dirname(requireTool(tool).path)),
    path.dirname(process.execPath),
    '/usr/bin',
    '/bin',
  ].join(':');
  workspace = await mkdtemp(path.join(tmpdir(), 'ptk-lint-real-'));
  // A clean copy of the example service: every linter must pass on it.
  await cp(path.join(repoRoot, 'examples', 'python-service'), path.join(workspace, 'svc'), { recursive: true });
  await mkdir(path.join(workspace, 'svc', '.github', 'workflows'), { recursive: true });
  await cp(path.join(repoRoot, 'workflows', 'notify.yml'), path.join(workspace, 'svc', '.github', 'workflows', 'notify.yml'));
  // ESLint resolves its config's imports from the project's node_modules.
  await writeFile(
    path.join(workspace, 'svc', 'eslint.config.js'),
    "import js from '@eslint/js';\nexport default [js.configs.recommended, { files: ['**/*.js'] }];\n",
  );
  await writeFile(path.join(workspace, 'svc', 'tool.js'), 'export const answer = 42;\n');
  await symlink(path.join(repoRoot, 'node_modules'), path.join(workspace, 'svc', 'node_modules'));
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe('lint action with the real linters', () => {
  it('passes on the example service with every linter it detects', async () => {
    runner = await createRunnerEnv({ GITHUB_WORKSPACE: workspace });
    const run = await runBundle('lint', { runner, env: { PATH }, inputs: { 'working-directory': 'svc' }, timeoutMs: 120_000 });
    await runner.cleanup();
    expect(run.commands.filter((c) => c.command === 'error' || c.command === 'warning')).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs['linters'] ?? '[]')).toEqual([
      { linter: 'ruff', outcome: 'ran', errors: 0, warnings: 0 },
      { linter: 'eslint', outcome: 'ran', errors: 0, warnings: 0 },
      { linter: 'actionlint', outcome: 'ran', errors: 0, warnings: 0 },
      { linter: 'helm', outcome: 'ran', errors: 0, warnings: expect.any(Number) },
      { linter: 'memory-bank', outcome: 'ran', errors: 0, warnings: 0 },
      { linter: 'yamllint', outcome: 'ran', errors: 0, warnings: 0 },
      { linter: 'hadolint', outcome: 'ran', errors: 0, warnings: 0 },
    ]);
  });

  it('annotates what each linter finds, on the right file and line, and fails', async () => {
    const svc = path.join(workspace, 'svc');
    await writeFile(path.join(svc, 'src', 'broken.py'), 'import os\nx=1\n');
    await writeFile(path.join(svc, 'tool.js'), 'export const answer = 42;\nundefinedThing();\n');
    await writeFile(
      path.join(svc, '.github', 'workflows', 'bad.yml'),
      'on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n',
    );
    const chart = (await import('node:fs')).readdirSync(path.join(svc, 'charts'))[0] ?? '';
    await writeFile(
      path.join(svc, 'charts', chart, 'templates', 'broken.yaml'),
      'kind: ConfigMap\nmetadata:\n  name: {{ .Values.nope.deeper }}\n',
    );
    await writeFile(path.join(svc, 'memory-bank', 'ADR-099.md'), '# ADR-099: Half written\n\n- Status: maybe\n');
    // A key given twice (yamllint key-duplicates, line 2); a `cd` without `|| exit` (SC2164, a warning:
    // error) and an unquoted $1 (SC2086, info: warning); a `cd` in RUN (DL3003) and an unpinned pip
    // install (DL3013), both hadolint warnings: errors.
    await writeFile(path.join(svc, 'settings.yml'), 'name: x\nname: y\n');
    await mkdir(path.join(svc, 'scripts'), { recursive: true });
    await writeFile(path.join(svc, 'scripts', 'deploy.sh'), '#!/bin/sh\ncd /srv\necho $1\n');
    await writeFile(
      path.join(svc, 'Dockerfile.worker'),
      'FROM python:3.11-slim\nWORKDIR /app\nRUN cd /tmp && pip install --no-cache-dir requests\n',
    );

    runner = await createRunnerEnv({ GITHUB_WORKSPACE: workspace });
    const run = await runBundle('lint', { runner, env: { PATH }, inputs: { 'working-directory': 'svc' }, timeoutMs: 120_000 });
    await runner.cleanup();
    expect(run.exitCode).toBe(1);
    const errors = run.commands.filter((c) => c.command === 'error');
    const at = (file: string) => errors.filter((c) => c.properties['file'] === file);
    expect(at('svc/src/broken.py').map((c) => c.properties['title'])).toEqual(expect.arrayContaining(['ruff F401', 'ruff unformatted']));
    expect(at('svc/src/broken.py').find((c) => c.properties['title'] === 'ruff F401')?.properties['line']).toBe('1');
    expect(at('svc/tool.js')).toEqual([
      expect.objectContaining({ properties: expect.objectContaining({ line: '2', title: 'eslint no-undef' }) }),
    ]);
    expect(at('svc/.github/workflows/bad.yml')[0]?.message).toContain('potentially untrusted');
    expect(errors.some((c) => c.properties['file']?.startsWith(`svc/charts/${chart}`))).toBe(true);
    expect(at('svc/memory-bank/ADR-099.md').length).toBeGreaterThan(0);
    expect(at('svc/settings.yml').map((c) => [c.properties['line'], c.properties['title']])).toEqual([['2', 'yamllint key-duplicates']]);
    expect(at('svc/scripts/deploy.sh').map((c) => [c.properties['line'], c.properties['title']])).toEqual([['2', 'shellcheck SC2164']]);
    const warnings = run.commands.filter((c) => c.command === 'warning' && c.properties['file'] === 'svc/scripts/deploy.sh');
    expect(warnings.map((c) => [c.properties['line'], c.properties['title']])).toEqual([['3', 'shellcheck SC2086']]);
    expect(at('svc/Dockerfile.worker').map((c) => [c.properties['line'], c.properties['title']])).toEqual([
      ['3', 'hadolint DL3003'],
      ['3', 'hadolint DL3013'],
    ]);
    const counts = Object.fromEntries(
      JSON.parse(run.outputs['linters'] ?? '[]').map((l: { linter: string; errors: number }) => [l.linter, l.errors]),
    );
    expect(Object.values(counts).every((n) => (n as number) > 0)).toBe(true);
    expect(run.summary).toContain('## Lint failed');
    expect(errors.at(-1)?.message).toMatch(
      /^Lint failed \(ruff: \d+ error\(s\); eslint: 1 error\(s\); actionlint: \d+ error\(s\); helm: \d+ error\(s\); memory-bank: \d+ error\(s\); yamllint: 1 error\(s\); shellcheck: 1 error\(s\); hadolint: 2 error\(s\)\)/,
    );
  });
});
