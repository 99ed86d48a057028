import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRunnerEnv, runBundle, type RunnerEnv } from '@pipeline-toolkit/testing';

let runner: RunnerEnv;
afterEach(() => runner.cleanup());

describe('dist/lint', () => {
  it('rejects an unknown linter before running anything, naming the input and the accepted values', async () => {
    runner = await createRunnerEnv();
    const run = await runBundle('lint', { runner, inputs: { linters: 'ruff, pylint' } });
    expect(run.exitCode).toBe(2);
    expect(run.commands).toEqual([
      {
        command: 'error',
        properties: {},
        message:
          "Input 'linters' must list items from auto, ruff, eslint, actionlint, helm, memory-bank, yamllint, mypy, shellcheck, hadolint; unknown: pylint.",
      },
    ]);
    expect(run.outputs).toEqual({});
  });

  it('passes with a summary saying so when nothing in the workspace has a linter', async () => {
    runner = await createRunnerEnv();
    const run = await runBundle('lint', { runner });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({
      result: 'passed',
      errors: '0',
      warnings: '0',
      skipped: '',
      linters: '[]',
      scope: 'all',
      'skipped-files': '0',
      'fixed-files': '',
      'sarif-file': '',
    });
    expect(run.summary).toContain('No linter applies to this repository');
  });

  it('warns how to install an auto-detected linter that is missing, and fails when it was asked for', async () => {
    runner = await createRunnerEnv();
    await mkdir(path.join(runner.dir, 'svc'));
    await writeFile(path.join(runner.dir, 'svc', 'app.py'), 'print("hi")\n');
    const env = { PATH: path.dirname(process.execPath) };

    const auto = await runBundle('lint', { runner, env, inputs: { 'working-directory': 'svc' } });
    expect(auto.exitCode).toBe(0);
    const warning = auto.commands.find((c) => c.command === 'warning');
    expect(warning?.message).toContain("ruff is not installed (looked for 'ruff' on PATH). To install it: pip install ruff");
    expect(JSON.parse(auto.outputs['linters'] ?? '')).toEqual([{ linter: 'ruff', outcome: 'skipped', errors: 0, warnings: 0 }]);
    expect(auto.outputs['skipped']).toBe('ruff');
    expect(auto.summary).toContain('## Lint passed, 1 of 1 linter skipped (not installed)');
    expect(auto.summary).toContain('| ruff | ⚠️ skipped (not installed) |');

    const asked = await runBundle('lint', {
      runner: await createRunnerEnv({ GITHUB_WORKSPACE: runner.dir }),
      env,
      inputs: { 'working-directory': 'svc', linters: 'ruff' },
    });
    expect(asked.exitCode).toBe(1);
    expect(asked.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([
      expect.stringContaining('ruff is not installed'),
      'Lint failed (ruff is not installed); see the annotations and the job summary.',
    ]);
  });

  it('refuses a SARIF path outside the workspace before linting, and fix mode on the default branch', async () => {
    runner = await createRunnerEnv();
    const outside = await runBundle('lint', { runner, inputs: { sarif: '../../lint.sarif' } });
    expect(outside.exitCode).toBe(2);
    expect(outside.commands.map((c) => c.command)).toEqual(['error']);
    expect(outside.commands[0]?.message).toMatch(/^Input 'sarif' '\.\.\/\.\.\/lint\.sarif' /);
    expect(outside.outputs).toEqual({});

    await writeFile(runner.env['GITHUB_EVENT_PATH']!, JSON.stringify({ repository: { default_branch: 'main' } }));
    const onMain = await runBundle('lint', { runner, inputs: { fix: 'true' } });
    expect(onMain.exitCode).toBe(2);
    expect(onMain.commands.map((c) => c.message)).toEqual([
      expect.stringContaining("Fix mode (Input 'fix') is refused on the default branch 'main'"),
    ]);
    expect(onMain.outputs).toEqual({});
  });
});
