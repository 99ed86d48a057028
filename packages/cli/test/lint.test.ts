import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { main, type CliIO } from 'pipeline-toolkit';

function io(cwd: string, env: NodeJS.ProcessEnv = {}): CliIO & { printed: string[]; log: MemoryLogger } {
  const printed: string[] = [];
  return { log: new MemoryLogger(), out: (t) => printed.push(t), env, cwd, printed };
}

describe('pipeline-toolkit lint', () => {
  it('refuses --scope changed with nothing to compare with, naming --base (exit 2)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ptk-cli-lint-'));
    const cli = io(dir);
    expect(await main(['lint', '--scope', 'changed'], cli)).toBe(2);
    await rm(dir, { recursive: true, force: true });
    expect(cli.log.lines[0]?.message).toBe(
      'Changed-files scope needs a commit to compare with: run it on a pull_request event, or set --base (e.g. main or a commit SHA), or set --scope to all.',
    );
  });

  it('writes --sarif with the memory-bank findings as SARIF runs under the lint category', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ptk-cli-lint-'));
    await mkdir(path.join(dir, 'memory-bank'));
    // `Status: maybe` is not a status the bank knows (line 3).
    await writeFile(
      path.join(dir, 'memory-bank', 'ADR-001.md'),
      '# ADR-001: Use PostgreSQL\n\n- Status: maybe\n\n## Context\nWe need a database.\n',
    );
    const cli = io(dir);
    expect(await main(['lint', '--linters', 'memory-bank', '--sarif', 'out/lint.sarif'], cli)).toBe(1);
    const sarif = JSON.parse(await readFile(path.join(dir, 'out', 'lint.sarif'), 'utf8'));
    await rm(dir, { recursive: true, force: true });
    expect(sarif.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).toEqual(['lint/memory-bank/']);
    expect(sarif.runs[0].results).toContainEqual(
      expect.objectContaining({
        ruleId: 'status',
        level: 'error',
        locations: [{ physicalLocation: { artifactLocation: { uri: 'memory-bank/ADR-001.md' }, region: { startLine: 3 } } }],
      }),
    );
    expect(cli.printed.at(-1)).toBe(`\nSARIF: ${path.join(dir, 'out', 'lint.sarif')}`);
  });
});
