import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadBaseline } from '@pipeline-toolkit/sarif';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ptk-huge-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The `match` of finding `i`: 32 hex digits, as security-scan writes them. */
const matchOf = (i: number) => i.toString(16).padStart(32, '0');

describe('reports larger than the longest JavaScript text (536,870,888 characters)', () => {
  it('a findings file of 800,000 findings (560 MB) is a baseline, read finding by finding', async () => {
    const file = path.join(dir, 'security-scan.findings.json');
    // one finding per line, as security-scan writes its findings file; every 100th suppressed
    const finding = (i: number) =>
      JSON.stringify({
        tools: ['trivy'],
        rule: `CVE-2024-${i}`,
        title: 'pkg: a vulnerability with a title of ordinary length, as the advisories give them',
        message: `CVE-2024-${i} in pkg-${i % 300}@1.0.0 (fixed in 1.0.1): pkg: a vulnerability with a title of ordinary length, as the advisories give them. ${'More detail. '.repeat(24)}`,
        severity: 'HIGH',
        category: 'vulnerability',
        location: { path: `services/svc${i % 40}/package-lock.json`, startLine: 1 + (i % 900) },
        package: `pkg-${i % 300}@1.0.0`,
        fingerprint: matchOf(i + 1),
        match: matchOf(i),
        suppressed: i % 100 === 0,
        cwe: ['CWE-400'],
        cve: [`CVE-2024-${i}`],
        report: '/home/runner/work/app/app/trivy.json',
      });
    const count = 800_000;
    let bytes = 0;
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, '[\n');
      for (let start = 0; start < count; start += 10_000) {
        const lines = Array.from({ length: Math.min(10_000, count - start) }, (_, k) => finding(start + k));
        const text = `${start ? ',\n' : ''}${lines.join(',\n')}`;
        bytes += writeSync(fd, text);
      }
      writeSync(fd, '\n]');
    } finally {
      closeSync(fd);
    }
    expect(bytes).toBeGreaterThan(2 ** 29);
    const baseline = await loadBaseline(file, {
      input: 'baseline',
      label: "Input 'baseline'",
      shown: 'findings.json',
      root: dir,
      scope: 'all',
      skipPaths: [],
    });
    // the suppressed ones (every 100th) are left out
    expect(baseline.matches).toHaveLength(count - count / 100);
    expect(baseline.matches[0]).toBe(matchOf(1));
    expect(baseline.matches.at(-1)).toBe(matchOf(count - 1));
    expect(baseline.lines.at(-1)).toBe(1 + ((count - 1) % 900));
  }, 180_000);
});
