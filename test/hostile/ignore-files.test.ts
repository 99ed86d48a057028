import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ActionsLogger,
  Inputs,
  MemoryOutputs,
  MemoryState,
  MemorySummary,
  mapInputs,
  runAction,
  type ActionContext,
} from '@pipeline-toolkit/core';
import { MAX_EXPANDED_PATTERNS, MAX_GLOB_PATTERNS } from '@pipeline-toolkit/sarif';
import { run as scan } from '../../actions/security-scan/src/main.ts';

/**
 * Globs a pull request controls (the repository's ignore files, a suppressions file it commits, a
 * workflow's skip-paths) whose brace sets stand for a hundred thousand patterns each: one line of
 * `{a,b}/` seventeen times cost 1.8 s and 100 MB to compile, 32 of them a minute and 3.3 GB. Each
 * run here must end with an InputError naming the file and line (exit 2) before any report is read
 * and with nothing written, or, for .semgrepignore (no brace sets in gitignore syntax), read the
 * braces as characters. No time is measured: without the bound these runs take minutes.
 */

/** The review's pathological glob: `{a,b}/` seventeen times, 2^17 patterns (minimatch stopped at 100,000). */
const BOMB = (i: number) => `${'{a,b}/'.repeat(17)}x${i}`;

/** A Semgrep report of one finding at app.py. */
const SEMGREP = {
  results: [
    {
      check_id: 'python.lang.security.audit.eval-detected',
      path: 'app.py',
      start: { line: 1, col: 1 },
      end: { line: 1, col: 10 },
      extra: { message: 'eval used', severity: 'ERROR', lines: 'eval(x)', metadata: {} },
    },
  ],
  errors: [],
};

async function workspace(files: Record<string, string>): Promise<string> {
  const ws = await mkdtemp(path.join(tmpdir(), 'ptk-ignore-files-'));
  await writeFile(path.join(ws, 'semgrep.json'), JSON.stringify(SEMGREP));
  await writeFile(path.join(ws, 'app.py'), 'eval(x)\n');
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(ws, name), text);
  return ws;
}

async function run(ws: string, inputs: Record<string, string>) {
  const lines: string[] = [];
  const outputs = new MemoryOutputs();
  const ctx: ActionContext = {
    inputs: new Inputs(mapInputs({ 'semgrep-report': 'semgrep.json', 'fail-on': 'high', 'output-sarif': 'out/scan.sarif', ...inputs })),
    log: new ActionsLogger({ write: (line) => lines.push(line) }),
    outputs,
    state: new MemoryState(),
    summary: new MemorySummary(),
    env: { GITHUB_WORKSPACE: ws, GITHUB_ACTIONS: 'true', RUNNER_TEMP: ws, PATH: '' },
  };
  const code = await runAction((c) => scan(c), ctx);
  return { code, log: lines.join('\n'), outputs: outputs.values };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('brace sets in globs a pull request controls', () => {
  it('.trivyignore.yaml: 32 entries of 2^17 patterns each end with exit 2 naming the file and line of the first, before any report is read', async () => {
    const yaml = ['vulnerabilities:', ...Array.from({ length: 32 }, (_, i) => `  - id: CVE-2024-${i}\n    paths: ["${BOMB(i)}"]`)];
    const ws = await workspace({ '.trivyignore.yaml': `${yaml.join('\n')}\n` });
    const { code, log, outputs } = await run(ws, {});
    expect(code).toBe(2);
    expect(log).toContain(
      `::error::.trivyignore.yaml:3 (vulnerabilities[0], CVE-2024-0): the glob '${BOMB(0)}' stands for more than ${MAX_GLOB_PATTERNS} patterns once its brace sets are expanded`,
    );
    expect(outputs).toEqual({});
    expect(existsSync(path.join(ws, 'out'))).toBe(false);
  });

  it(`.trivyignore.yaml: globs within the bound one by one, past ${MAX_EXPANDED_PATTERNS} patterns together, end with exit 2 naming the line where the sum passes it`, async () => {
    // `{a,b}/` eight times: 256 patterns, the most one glob may stand for; sixteen of them are 4,096
    const glob = (i: number) => `${'{a,b}/'.repeat(8)}x${i}`;
    const yaml = ['vulnerabilities:', ...Array.from({ length: 17 }, (_, i) => `  - id: CVE-2024-${i}\n    paths: ["${glob(i)}"]`)];
    const ws = await workspace({ '.trivyignore.yaml': `${yaml.join('\n')}\n` });
    const { code, log } = await run(ws, {});
    expect(code).toBe(2);
    expect(log).toContain(
      `::error::.trivyignore.yaml:35 (vulnerabilities[16], CVE-2024-16): the brace sets of the globs up to '${glob(16)}' stand for more than ${MAX_EXPANDED_PATTERNS} patterns together`,
    );
  });

  it('a suppressions file: a path of 2^17 patterns ends with exit 2 naming the input, the file and the line', async () => {
    const ws = await workspace({
      'suppressions.yml': `suppressions:\n  - rule: r1\n    reason: ok\n    expires: "2999-01-01"\n  - path: "${BOMB(0)}"\n    reason: generated\n    expires: "2999-01-01"\n`,
    });
    const { code, log, outputs } = await run(ws, { suppressions: 'suppressions.yml' });
    expect(code).toBe(2);
    expect(log).toContain(
      `::error::Input 'suppressions': suppressions.yml:5: the glob '${BOMB(0)}' stands for more than ${MAX_GLOB_PATTERNS} patterns`,
    );
    expect(outputs).toEqual({});
    expect(existsSync(path.join(ws, 'out'))).toBe(false);
  });

  it('skip-paths: a glob of 2^17 patterns ends with exit 2 naming the input', async () => {
    const ws = await workspace({});
    const { code, log, outputs } = await run(ws, { 'skip-paths': `vendor/**\n${BOMB(0)}` });
    expect(code).toBe(2);
    expect(log).toContain(`::error::Input 'skip-paths': the glob '${BOMB(0)}' stands for more than ${MAX_GLOB_PATTERNS} patterns`);
    expect(outputs).toEqual({});
    expect(existsSync(path.join(ws, 'out'))).toBe(false);
  });

  it('.semgrepignore: 32 such lines are names with braces in them (gitignore has no brace sets); the finding gates', async () => {
    const ws = await workspace({ '.semgrepignore': `${Array.from({ length: 32 }, (_, i) => BOMB(i)).join('\n')}\n{app,zzz}.py\n` });
    const { code, log, outputs } = await run(ws, {});
    expect(log).toContain('Security gate failed: 1 unsuppressed finding at or above HIGH');
    expect(code).toBe(1);
    expect(outputs['suppressed']).toBe('0');
    const findings = JSON.parse(await readFile(String(outputs['findings-file']), 'utf8')) as { suppressed: boolean }[];
    expect(findings.map((f) => f.suppressed)).toEqual([false]);
  });
});

describe('YAML built to exhaust memory', () => {
  /** A billion laughs: nine lists of nine aliases of the one before, 9^10 strings once expanded. */
  const laughs = () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1, prev = 'a'; i < 10; prev = `l${i}`, i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*${prev}`).join(',')}]`);
    return `${lines.join('\n')}\n`;
  };

  it('a billion laughs as .trivyignore.yaml ends with exit 2 naming the file, with nothing written', async () => {
    const ws = await workspace({ '.trivyignore.yaml': laughs() });
    const { code, log, outputs } = await run(ws, {});
    expect(code).toBe(2);
    expect(log).toContain('::error::.trivyignore.yaml is not a valid .trivyignore.yaml: Excessive alias count');
    expect(outputs).toEqual({});
    expect(existsSync(path.join(ws, 'out'))).toBe(false);
  });
});
