import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@pipeline-toolkit/testing';

/** Source and test files tracked (or about to be) in the repository, outside dist/ and fixtures. */
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|mts|mjs|js|yml|yaml|sh)$/.test(f) && !f.startsWith('dist/') && !f.includes('/fixtures/'))
  .filter((f) => existsSync(path.join(repoRoot, f)));

describe('the repository is self-contained', () => {
  it('finds its files', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('no code or test reads a folder beside the repository', () => {
    const offenders = files.filter((f) => /\.\.\/shared\b|\/work\/shared\b/.test(readFileSync(path.join(repoRoot, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('every docs/*.md path cited in code exists in the repository', () => {
    const missing: string[] = [];
    for (const f of files) {
      for (const [doc] of readFileSync(path.join(repoRoot, f), 'utf8').matchAll(/\bdocs\/[\w./-]+\.md\b/g)) {
        if (!doc.startsWith('docs/memory-bank/') && !existsSync(path.join(repoRoot, doc))) missing.push(`${f}: ${doc}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
