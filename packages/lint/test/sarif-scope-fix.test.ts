import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError, Inputs, mapInputs, MemoryLogger, type Exec } from '@pipeline-toolkit/core';
import {
  ALL_LINTERS,
  checkFixAllowed,
  fixReport,
  lint,
  lintOutputs,
  lintSarif,
  lintSummary,
  readLintRequest,
  snapshot,
  type LintContext,
  type LinterRun,
} from '@pipeline-toolkit/lint';
import { githubUploadProblems, sarifValidators } from '../../sarif/test/helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ptk-lint-unit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const runs: LinterRun[] = [
  {
    linter: 'ruff',
    outcome: 'ran',
    required: false,
    durationMs: 3,
    findings: [
      {
        linter: 'ruff',
        severity: 'error',
        file: 'src/app.py',
        line: 1,
        column: 8,
        endLine: 1,
        endColumn: 10,
        rule: 'F401',
        message: '`os` imported but unused',
      },
      {
        linter: 'ruff',
        severity: 'error',
        file: 'src/app.py',
        line: 4,
        column: 1,
        endLine: 4,
        endColumn: 1,
        rule: 'F401',
        message: '`os` imported but unused',
      },
      { linter: 'ruff', severity: 'error', file: 'src/app.py', rule: 'unformatted', message: 'File would be reformatted' },
    ],
  },
  {
    linter: 'helm',
    outcome: 'ran',
    required: false,
    durationMs: 3,
    findings: [{ linter: 'helm', severity: 'warning', file: 'charts/a', message: 'icon is recommended' }],
  },
  { linter: 'actionlint', outcome: 'ran', required: false, durationMs: 1, findings: [] },
  { linter: 'hadolint', outcome: 'missing', required: false, durationMs: 0, findings: [] },
  { linter: 'yamllint', outcome: 'unchanged', required: false, durationMs: 0, findings: [] },
];

describe('lint SARIF', () => {
  const sarif = lintSarif(runs, { categoryPrefix: 'lint', linters: ALL_LINTERS });

  it('is valid SARIF 2.1.0 that code scanning accepts', () => {
    const { oasis, codeql } = sarifValidators();
    expect([oasis(sarif), oasis.errors]).toEqual([true, null]);
    expect([codeql(sarif), codeql.errors]).toEqual([true, null]);
    expect(githubUploadProblems(sarif as never)).toEqual([]);
  });

  it('has one run per linter that ran (a clean one too), each under its own category', () => {
    expect(sarif.runs.map((r) => [r.tool.driver.name, r.automationDetails.id, r.results.length])).toEqual([
      ['Ruff', 'lint/ruff/', 3],
      ['Helm lint', 'lint/helm/', 1],
      ['actionlint', 'lint/actionlint/', 0],
    ]);
  });

  it('keeps levels, locations and regions, and tells identical findings apart', () => {
    const [first, second, unformatted] = sarif.runs[0]!.results;
    expect(first).toEqual(
      expect.objectContaining({
        ruleId: 'F401',
        level: 'error',
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'src/app.py' },
              region: { startLine: 1, startColumn: 8, endLine: 1, endColumn: 10 },
            },
          },
        ],
      }),
    );
    // An end column that is not after the start column is left out rather than written invalid.
    expect(second?.locations[0]?.physicalLocation.region).toEqual({ startLine: 4, startColumn: 1, endLine: 4 });
    expect(unformatted?.locations[0]?.physicalLocation).toEqual({ artifactLocation: { uri: 'src/app.py' } });
    expect(first?.partialFingerprints['pipelineToolkitLint/v1']).not.toBe(second?.partialFingerprints['pipelineToolkitLint/v1']);
    expect(sarif.runs[1]?.results[0]?.level).toBe('warning');
  });
});

describe('lint inputs', () => {
  const read = (values: Record<string, string>, env: NodeJS.ProcessEnv = {}) => readLintRequest(new Inputs(mapInputs(values)), env);

  it('lints the changed files by default on pull requests only', () => {
    expect(read({}, { GITHUB_EVENT_NAME: 'pull_request' }).scope).toBe('changed');
    expect(read({}, { GITHUB_EVENT_NAME: 'push' }).scope).toBe('all');
    expect(read({ scope: 'all' }, { GITHUB_EVENT_NAME: 'pull_request' }).scope).toBe('all');
  });

  it('refuses a bad scope, fix value or category prefix, naming the input and what it accepts', () => {
    expect(() => read({ scope: 'diff' })).toThrow("Input 'scope' must be one of changed, all");
    expect(() => read({ fix: 'yes' })).toThrow(InputError);
    expect(() => read({ 'category-prefix': 'lint checks' })).toThrow("Input 'category-prefix' must be letters, digits");
    expect(() => read({ base: '--output=/tmp/x' })).toThrow(
      "Input 'base' must be a branch, tag or commit (e.g. main or a commit SHA), got '--output=/tmp/x'.",
    );
  });

  it('falls back to all files when a pull request event names no base, unless scope: changed was asked for', async () => {
    const event = path.join(dir, 'event-no-base.json');
    await writeFile(event, JSON.stringify({ pull_request: { number: 7, base: { ref: 'main' } } }));
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event };
    const exec: Exec = async () => {
      throw new Error('no linter applies, nothing runs');
    };
    const ctx: LintContext = { cwd: dir, root: dir, exec, log: new MemoryLogger(), env };
    const label = (name: string) => `Input '${name}'`;
    const defaulted = await lint(ctx, read({}, env), label);
    expect(defaulted.scope).toEqual({ mode: 'all', fallback: 'The event names no base commit to compare with: linting all files.' });
    await expect(lint(ctx, read({ scope: 'changed' }, env), label)).rejects.toThrow(
      "Changed-files scope needs a commit to compare with: run it on a pull_request event, or set Input 'base' (e.g. main or a commit SHA), or set Input 'scope' to all.",
    );
  });
});

describe('fix mode on the default branch', () => {
  const exec: Exec = async () => {
    throw new Error('git is not called inside a workflow run');
  };
  const context = async (ref: string): Promise<LintContext> => {
    const event = path.join(dir, `event-${ref.replace(/\W/g, '-')}.json`);
    await writeFile(event, JSON.stringify({ repository: { default_branch: 'main' } }));
    return {
      cwd: dir,
      root: dir,
      exec,
      log: new MemoryLogger(),
      env: { GITHUB_ACTIONS: 'true', GITHUB_REF: ref, GITHUB_EVENT_PATH: event },
    };
  };
  const labels = { fix: "Input 'fix'", allow: "Input 'allow-fix-on-default-branch'" };

  it('is refused with a clear message, unless allowed', async () => {
    const onMain = await context('refs/heads/main');
    await expect(checkFixAllowed(onMain, false, labels)).rejects.toThrow(
      "Fix mode (Input 'fix') is refused on the default branch 'main': fixes belong on a pull request branch, where they can be reviewed. Set Input 'allow-fix-on-default-branch' to true to fix the default branch on purpose.",
    );
    await expect(checkFixAllowed(onMain, true, labels)).resolves.toBeUndefined();
  });

  it('is allowed on other branches and on pull requests', async () => {
    await expect(checkFixAllowed(await context('refs/heads/feature'), false, labels)).resolves.toBeUndefined();
    await expect(checkFixAllowed(await context('refs/pull/7/merge'), false, labels)).resolves.toBeUndefined();
  });
});

describe('fix report and summary', () => {
  it('shows what the fixes changed as a unified diff with workspace paths', async () => {
    await writeFile(path.join(dir, 'a.py'), 'import os\nx=1\n');
    await writeFile(path.join(dir, 'b.py'), 'y = 2\n');
    const before = await snapshot(dir, ['a.py', 'b.py']);
    await writeFile(path.join(dir, 'a.py'), 'x = 1\n');
    const report = await fixReport({ cwd: dir, root: path.dirname(dir) }, before);
    const shown = `${path.basename(dir)}/a.py`;
    expect(report.files).toEqual([shown]);
    expect(report.patch).toBe(`--- a/${shown}\n+++ b/${shown}\n@@ -1,2 +1,1 @@\n-import os\n-x=1\n+x = 1\n`);

    const fixed: LinterRun = { linter: 'ruff', outcome: 'ran', required: false, durationMs: 1, findings: [], fixed: report };
    const summary = lintSummary([fixed], true);
    expect(summary).toContain(`Fixes applied to 1 file(s): ${shown}`);
    expect(summary).toContain('```diff\n--- a/');
    expect(lintOutputs([fixed], true)['fixed-files']).toBe(shown);
  });

  it('leaves out of the diff a file that is a link to a device or to a file outside the repository', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'lint-outside-'));
    await writeFile(path.join(outside, 'other.py'), 'z = 3\n');
    await writeFile(path.join(dir, 'c.py'), 'w = 4\n');
    await symlink('/dev/zero', path.join(dir, 'zero.py'));
    await symlink(path.join(outside, 'other.py'), path.join(dir, 'other.py'));
    const before = await snapshot(dir, ['c.py', 'zero.py', 'other.py', 'missing.py']);
    expect([...before]).toEqual([['c.py', 'w = 4\n']]);
    await rm(outside, { recursive: true, force: true });
  });

  it('says how many unchanged files were skipped, and that a linter with none changed did not run', () => {
    const scope = { mode: 'changed' as const, base: 'a'.repeat(40), changed: ['src/app.py'], linted: 1, skipped: 41 };
    const summary = lintSummary(runs, false, scope);
    expect(summary).toContain('Changed files only (compared with `aaaaaaaaaaaa`): 1 changed file(s) linted, 41 unchanged file(s) skipped.');
    expect(summary).toContain('| yamllint | ⏭️ no changed files | 0 | 0 |');
    expect(lintOutputs(runs, false, scope)).toEqual(expect.objectContaining({ scope: 'changed', 'skipped-files': 41 }));
  });
});
