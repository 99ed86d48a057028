import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import path from 'node:path';
import { repoRoot } from '@pipeline-toolkit/testing';

/** The rules the repository's own ESLint configuration reports for a snippet of source. */
async function rulesHit(code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, 'packages/core/src/snippet.ts') });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the build rejects regular expressions that are super-linear on hostile text', () => {
  it('a pattern that backtracks polynomially inside one attempt', async () => {
    expect(await rulesHit('export const heading = (s: string) => /^#+\\s*(.*?)\\s*#*\\s*$/.exec(s);\n')).toContain(
      'regexp/no-super-linear-backtracking',
    );
  });

  it('a pattern retried from every position of a long run that then fails (`/\\/+$/` on a run of slashes)', async () => {
    expect(await rulesHit("export const trim = (s: string) => s.replace(/\\/+$/, '');\n")).toContain('regexp/no-super-linear-move');
    expect(await rulesHit("export const squash = (s: string) => s.replace(/\\s*\\r?\\n\\s*/g, ' ');\n")).toContain(
      'regexp/no-super-linear-move',
    );
  });

  it('the linear rewrites used in the code base pass', async () => {
    expect(await rulesHit("export const squash = (s: string) => s.replace(/\\s+/g, (w) => (w.includes('\\n') ? ' ' : w));\n")).toEqual([]);
    expect(await rulesHit('export const part = /(\\d+(?:\\.\\d+)?)(ms|s|m|h)/gy;\n')).toEqual([]);
  });
});
