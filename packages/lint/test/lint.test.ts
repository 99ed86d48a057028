import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError, MemoryLogger, type Exec } from '@pipeline-toolkit/core';
import {
  annotate,
  lintFailure,
  lintPassed,
  lintSummary,
  parseHelmLint,
  runLinters,
  selectLinters,
  type LintContext,
} from '@pipeline-toolkit/lint';

let repo: string;

beforeAll(async () => {
  repo = await mkdtemp(path.join(tmpdir(), 'ptk-lint-'));
  await mkdir(path.join(repo, '.github/workflows'), { recursive: true });
  await mkdir(path.join(repo, 'charts/shop/templates'), { recursive: true });
  await mkdir(path.join(repo, 'node_modules/dep'), { recursive: true });
  await writeFile(path.join(repo, 'app.py'), 'x = 1\n');
  await writeFile(path.join(repo, '.github/workflows/ci.yml'), 'on: push\n');
  await writeFile(path.join(repo, 'charts/shop/Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 0.1.0\n');
  // A chart inside node_modules is a dependency's, not the project's.
  await writeFile(path.join(repo, 'node_modules/dep/Chart.yaml'), 'apiVersion: v2\n');
});
afterAll(() => rm(repo, { recursive: true, force: true }));

/** An exec that records argv and answers like the real tools did (outputs captured from ruff 0.17, actionlint 1.7, helm 3.18). */
function recordingExec(answers: Record<string, { exitCode: number; stdout: string; stderr?: string }>) {
  const calls: string[][] = [];
  const run: Exec = async (command, args) => {
    calls.push([path.basename(command), ...args]);
    const answer = answers[`${path.basename(command)} ${args[0]}`] ?? { exitCode: 0, stdout: '' };
    return { stderr: '', ...answer };
  };
  return { run, calls };
}

const context = (exec: Exec, env: NodeJS.ProcessEnv): LintContext => ({ cwd: repo, root: repo, exec, log: new MemoryLogger(), env });

describe('auto-detection', () => {
  it('picks ruff for Python, actionlint for workflows, helm for charts outside node_modules, yamllint for YAML', async () => {
    const linters = await selectLinters(context(recordingExec({}).run, {}), 'auto');
    expect(linters.map((l) => l.name)).toEqual(['ruff', 'actionlint', 'helm', 'yamllint']);
  });

  it('finds mypy configured in pyproject.toml; a pyproject.toml that links to a device is an error naming it, not read', async () => {
    const project = await mkdtemp(path.join(tmpdir(), 'ptk-mypy-'));
    await writeFile(path.join(project, 'app.py'), 'x: int = 1\n');
    await writeFile(path.join(project, 'pyproject.toml'), '[tool.mypy]\nstrict = true\n');
    const ctx = { ...context(recordingExec({}).run, {}), cwd: project, root: project };
    expect((await selectLinters(ctx, 'auto')).map((l) => l.name)).toContain('mypy');
    const planted = await mkdtemp(path.join(tmpdir(), 'ptk-mypy-'));
    await writeFile(path.join(planted, 'app.py'), 'x: int = 1\n');
    await symlink('/dev/zero', path.join(planted, 'pyproject.toml'));
    const error = await selectLinters({ ...ctx, cwd: planted, root: planted }, 'auto').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe("The repository's pyproject.toml leads to '/dev/zero', outside the repository: refused.");
    await rm(project, { recursive: true, force: true });
    await rm(planted, { recursive: true, force: true });
  });
});

describe('running linters', () => {
  it('passes the exact argv and turns JSON and text output into findings with workspace-relative paths', async () => {
    const fake = recordingExec({
      'ruff check': {
        exitCode: 1,
        stdout: JSON.stringify([
          {
            code: 'F401',
            message: '`os` imported but unused',
            filename: path.join(repo, 'app.py'),
            location: { row: 1, column: 8 },
            end_location: { row: 1, column: 10 },
          },
        ]),
      },
      'actionlint -format': {
        exitCode: 1,
        stdout:
          '[{"message":"\\"github.event.issue.title\\" is potentially untrusted","filepath":".github/workflows/ci.yml","line":6,"column":23,"kind":"expression","end_column":46}]',
      },
      'helm lint': {
        exitCode: 1,
        stdout:
          '==> Linting charts/shop\n[INFO] Chart.yaml: icon is recommended\n[ERROR] templates/deployment.yaml: unable to parse YAML: error converting YAML to JSON: yaml: line 7: did not find expected key\n\nError: 1 chart(s) linted, 1 chart(s) failed\n',
      },
    });
    const bin = path.join(repo, 'bin');
    await mkdir(bin, { recursive: true });
    for (const tool of ['ruff', 'actionlint', 'helm']) await writeFile(path.join(bin, tool), '#!/bin/sh\n', { mode: 0o755 });
    const runs = await runLinters(context(fake.run, { PATH: bin }), 'auto');
    expect(fake.calls).toEqual([
      ['ruff', 'check', '--output-format', 'json', '--no-fix', '.'],
      ['ruff', 'format', '--check', '--output-format', 'json', '.'],
      ['actionlint', '-format', '{{json .}}', '.github/workflows/ci.yml'],
      ['helm', 'lint', 'charts/shop'],
    ]);
    expect(runs.flatMap((r) => r.findings)).toEqual([
      expect.objectContaining({ linter: 'ruff', file: 'app.py', line: 1, column: 8, rule: 'F401', severity: 'error' }),
      expect.objectContaining({ linter: 'actionlint', file: '.github/workflows/ci.yml', line: 6, rule: 'expression' }),
      expect.objectContaining({ linter: 'helm', file: 'charts/shop/templates/deployment.yaml', line: 7, severity: 'error' }),
    ]);
    expect(lintPassed(runs)).toBe(false);
    expect(lintFailure(runs)).toBe(
      'Lint failed (ruff: 1 error(s); actionlint: 1 error(s); helm: 1 error(s)); see the annotations and the job summary.',
    );
  });

  it('warns with install advice for an auto-detected linter that is missing, and fails for a requested one', async () => {
    const fake = recordingExec({});
    const auto = await runLinters(context(fake.run, { PATH: '/nonexistent' }), 'auto');
    expect(auto.map((r) => r.outcome)).toEqual(['missing', 'missing', 'missing', 'missing']);
    expect(auto[0]?.detail).toBe(
      "ruff is not installed (looked for 'ruff' on PATH). To install it: pip install ruff (or add it to your requirements; with uv: 'uv tool install ruff').",
    );
    expect(lintPassed(auto)).toBe(true);
    expect(fake.calls).toEqual([]);

    const requested = await runLinters(context(fake.run, { PATH: '/nonexistent' }), ['helm']);
    expect(requested).toEqual([expect.objectContaining({ linter: 'helm', outcome: 'missing', required: true })]);
    expect(lintPassed(requested)).toBe(false);
    const log = new MemoryLogger();
    annotate(log, requested);
    expect(log.lines[0]).toEqual(
      expect.objectContaining({ level: 'error', message: expect.stringContaining('To install it: install Helm') }),
    );
  });

  it('reports a linter that crashed as failed, not as clean', async () => {
    const bin = path.join(repo, 'bin');
    const crash: Exec = async () => {
      throw new Error("'ruff check' exited with code 2:\nruff failed: invalid pyproject.toml");
    };
    const runs = await runLinters(context(crash, { PATH: bin }), ['ruff']);
    expect(runs[0]).toEqual(expect.objectContaining({ outcome: 'failed', detail: expect.stringContaining('invalid pyproject.toml') }));
    expect(lintPassed(runs)).toBe(false);
  });
});

describe('reporting', () => {
  const ctx = { cwd: '/w', root: '/w' } as LintContext;
  const findings = parseHelmLint(ctx, 'charts/a', '[WARNING] templates/: directory not found\n[ERROR] Chart.yaml: version is required\n');

  it('annotates errors before warnings, on the file and line', () => {
    const log = new MemoryLogger();
    annotate(log, [{ linter: 'helm', outcome: 'ran', required: false, findings, durationMs: 5 }]);
    expect(log.lines.map((l) => [l.level, l.properties?.file])).toEqual([
      ['error', 'charts/a/Chart.yaml'],
      ['warning', 'charts/a/templates'],
    ]);
  });

  it('summarises per linter and lists findings, escaping user text', () => {
    const text = lintSummary([{ linter: 'helm', outcome: 'ran', required: false, findings, durationMs: 1500 }], false);
    expect(text).toContain('## Lint failed');
    expect(text).toContain('| helm | ❌ errors | 1 | 1 | 1.5s |');
    expect(text).toContain('| error | charts/a/Chart.yaml | helm |  | version is required |');
  });
});

describe('memory-bank linter', () => {
  it('reports the bank problems in-process, on the file and line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ptk-lint-bank-'));
    await mkdir(path.join(dir, 'memory-bank'));
    await writeFile(
      path.join(dir, 'memory-bank', 'ADR-001.md'),
      '# ADR-001: Use PostgreSQL\n\n- Status: maybe\n\n## Context\nWe need a database.\n',
    );
    const runs = await runLinters({ cwd: dir, root: dir, exec: recordingExec({}).run, log: new MemoryLogger(), env: {} }, ['memory-bank']);
    await rm(dir, { recursive: true, force: true });
    expect(runs[0]?.outcome).toBe('ran');
    const findings = runs[0]?.findings ?? [];
    expect(findings).toContainEqual(
      expect.objectContaining({ linter: 'memory-bank', file: 'memory-bank/ADR-001.md', line: 3, rule: 'status', severity: 'error' }),
    );
    expect(findings.some((f) => f.rule === 'section' && f.file === 'memory-bank/ADR-001.md')).toBe(true);
    expect(lintPassed(runs)).toBe(false);
  });
});
