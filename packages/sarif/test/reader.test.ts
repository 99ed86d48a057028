import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { InputError } from '@pipeline-toolkit/core';
import { aggregateJob, EMPTY_POLICY, type AggregateJob, type Finding, type ReportKind } from '../src/index.ts';
import type { FindingPolicy, Suppression } from '../src/policy.ts';
import { PAUSE_EVERY } from '../src/parallel/reader.ts';
import { divideReports, type Split } from '../src/parallel/split.ts';
import { fixture } from './helpers.ts';

const work = mkdtempSync(path.join(tmpdir(), 'sarif-reader-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Reports of every tool, several of them secrets found by two tools, in an order that mixes formats. */
const REPORTS: [string, ReportKind][] = [
  ['gitleaks/gitleaks-baseline-report.json', 'gitleaks'],
  ['semgrep/semgrep-json-with-errors-cwe-owasp.json', 'semgrep'],
  ['trivy/trivy-repo-secrets.json', 'trivy'],
  ['gitleaks/gitleaks-v8-unsafe-bank.sarif', 'gitleaks'],
  ['trivy/trivy-npm-with-suppressed.json', 'trivy'],
  ['semgrep/semgrep-sarif-include-nosemgrep.sarif', 'semgrep'],
];

function job(name: string, reports: [string, ReportKind][], parallelFrom: number, split?: Split): AggregateJob {
  return {
    sources: reports.map(([file, kind]) => ({
      input: `${kind}-report`,
      label: `Input '${kind}-report'`,
      kind,
      file: path.isAbsolute(file) ? file : fixture(file),
    })),
    root: '/work/repo',
    gitleaksIgnore: [],
    failOn: 'high',
    categoryPrefix: 'ci',
    sarifFile: path.join(work, name, 'out.sarif'),
    findingsFile: path.join(work, name, 'out.findings.json'),
    parallelFrom,
    ...(split === undefined ? {} : { split }),
  };
}

describe('reading reports in a second thread', () => {
  it('divides the reports by bytes, within a report unless near its ends, and keeps small inputs in one thread', () => {
    const MB = 1 << 20;
    // in the middle
    const half = (sizes: number[]) => divideReports(sizes, 0, MB, 0.5);
    expect(half([26 * MB, 31 * MB, 39 * MB])).toEqual({ index: 1, at: 22 * MB });
    expect(half([50 * MB, 10 * MB, 10 * MB])).toEqual({ index: 0, at: 35 * MB });
    expect(half([100 * MB])).toEqual({ index: 0, at: 50 * MB });
    expect(half([10 * MB, 10 * MB, 10 * MB, 10 * MB])).toEqual({ index: 2 });
    // the point falls within 1 MB of a report's end: the next report is the shard's first
    expect(half([20.5 * MB, 0.5 * MB, 20 * MB])).toEqual({ index: 1 });
    expect(divideReports([3 * MB, 3 * MB], 8 * MB)).toEqual({ index: 2 });
    // by default the coordinator, which redacts before it merges, takes 46.5% of the bytes
    expect(divideReports([100 * MB], 0)).toEqual({ index: 0, at: Math.round(46.5 * MB) });
    expect(divideReports([40 * MB, 60 * MB], 0)).toEqual({ index: 1, at: Math.round(6.5 * MB) });
  });

  it('gives byte for byte the outputs of reading every report in one thread', async () => {
    const one = await aggregateJob(job('one', REPORTS, Infinity));
    const two = await aggregateJob(job('two', REPORTS, 0, { index: 2 }));
    expect(two).toEqual(one);
    expect(one.counts.total).toBeGreaterThan(10);
    for (const file of ['out.sarif', 'out.findings.json']) {
      expect(readFileSync(path.join(work, 'two', file), 'utf8')).toBe(readFileSync(path.join(work, 'one', file), 'utf8'));
    }
  });

  it('gives the same outputs wherever the reports are divided, with duplicates and shared secrets across the threads', async () => {
    // the same leaks in a Gitleaks SARIF and its JSON twin, a secret that Gitleaks and Trivy both found, a report read twice
    const secrets = path.join(work, 'shared-secret');
    const leak = {
      RuleID: 'generic-api-key',
      File: 'config/app.env',
      StartLine: 4,
      Secret: 'Zx9Qw8Er7Ty6Ui5O',
      Match: 'k=Zx9Qw8Er7Ty6Ui5O',
    };
    const trivySecret = {
      SchemaVersion: 2,
      ArtifactName: '.',
      ArtifactType: 'filesystem',
      Results: [
        {
          Target: 'config/app.env',
          Class: 'secret',
          Secrets: [{ RuleID: 'generic-secret', Category: 'Generic', Severity: 'CRITICAL', Title: 'Secret', StartLine: 4, EndLine: 4 }],
        },
      ],
    };
    writeFileSync(`${secrets}.gitleaks.json`, JSON.stringify([leak]));
    writeFileSync(`${secrets}.trivy.json`, JSON.stringify(trivySecret));
    const reports: [string, ReportKind][] = [
      ...REPORTS,
      [`${secrets}.trivy.json`, 'trivy'],
      REPORTS[2]!,
      [`${secrets}.gitleaks.json`, 'gitleaks'],
      REPORTS[0]!,
      [`${secrets}.trivy.json`, 'trivy'],
    ];
    const one = await aggregateJob(job('split-one', reports, Infinity));
    const read = (name: string, file: string) => readFileSync(path.join(work, name, file), 'utf8');
    expect(read('split-one', 'out.findings.json')).toContain('"tools":["trivy","gitleaks"]');
    // between reports, and within each report at a tenth, half and nine tenths of it (the JSON ones are divided there)
    const splits: Split[] = [];
    for (const [index, [file]] of reports.entries()) {
      if (index) splits.push({ index });
      const size = statSync(path.isAbsolute(file) ? file : fixture(file)).size;
      for (const part of [0.1, 0.5, 0.9]) splits.push({ index, at: Math.round(size * part) });
    }
    for (const split of splits) {
      const name = `split-${split.index}-${split.at ?? 0}`;
      expect([split, await aggregateJob(job(name, reports, 0, split))]).toEqual([split, one]);
      for (const file of ['out.sarif', 'out.findings.json']) expect([split, read(name, file)]).toEqual([split, read('split-one', file)]);
    }
  }, 180_000);

  it('gives the same outputs with a policy (suppressions by rule, path and fingerprint, skip-paths, ignore-unfixed) wherever the reports are divided', async () => {
    // the policy names findings of the reports themselves, as read in one thread without it
    await aggregateJob(job('policy-none', REPORTS, Infinity));
    const found = JSON.parse(readFileSync(path.join(work, 'policy-none', 'out.findings.json'), 'utf8')) as Finding[];
    const pick = (tool: string, at: number) => found.filter((f) => f.tools[0] === tool)[at]!;
    const entry = (kind: Suppression['kind'], value: string, i: number): Suppression => ({
      kind,
      value,
      reason: `accepted risk ${i}`,
      expires: '2099-12-31',
      where: `suppressions.yml:${i + 1}`,
    });
    const policy: FindingPolicy = {
      ...EMPTY_POLICY,
      suppressions: [
        entry('rule', pick('semgrep', 0).rule, 0),
        entry('path', pick('trivy', 0).location!.path, 1),
        entry('fingerprint', pick('gitleaks', 1).match, 2),
      ],
      skipPaths: [pick('semgrep', 2).location!.path],
      ignoreUnfixed: true,
    };
    const one = await aggregateJob({ ...job('policy-one', REPORTS, Infinity), policy });
    const read = (name: string, file: string) => readFileSync(path.join(work, name, file), 'utf8');
    // each entry took effect
    expect(one.counts.suppressed).toBeGreaterThanOrEqual(3);
    expect(one.summary).toContain('skip-paths');
    for (const index of [1, 2, 3, 4, 5]) {
      const name = `policy-${index}`;
      expect([index, await aggregateJob({ ...job(name, REPORTS, 0, { index }), policy })]).toEqual([index, one]);
      for (const file of ['out.sarif', 'out.findings.json']) expect([index, read(name, file)]).toEqual([index, read('policy-one', file)]);
    }
  }, 120_000);

  it('lists the first 50 different problems and counts every one, wherever the reports are divided', async () => {
    // Semgrep errors e0…e29 twice, then e20…e49, then e45…e84: 130 reports, 85 different ones
    const errors = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => ({ level: 'error', type: 'Syntax error', message: `e${from + i}` }));
    /** Semgrep reports holding only these errors, one per list. */
    const reports = (name: string, ...lists: object[][]): [string, ReportKind][] =>
      lists.map((list, i) => {
        const file = path.join(work, `problems-${name}-${i}.json`);
        writeFileSync(file, JSON.stringify({ version: '1.100.0', results: [], errors: list }));
        return [file, 'semgrep'];
      });
    const files = reports('abc', [...errors(0, 29), ...errors(0, 29)], errors(20, 49), errors(45, 84));
    const one = await aggregateJob(job('problems-one', files, Infinity));
    expect(one.problems).toEqual(Array.from({ length: 50 }, (_, i) => `Semgrep error: e${i}`));
    expect(one.problemReports).toBe(130);
    const more = 'the scanners reported 130 problems in all (repeats included); the first 50 different ones are listed.';
    expect(one.summary).toContain(more);
    expect(one.summary.match(/^- Semgrep error: e\d+$/gm)).toHaveLength(50);
    expect(one.console).toContain(more);
    for (const index of [1, 2]) expect([index, await aggregateJob(job(`problems-${index}`, files, 0, { index }))]).toEqual([index, one]);
    // the second thread's list was cut, and the first thread's problems are all among its first 50
    const within = reports('de', errors(0, 9), errors(0, 59));
    const cut = await aggregateJob(job('problems-within-one', within, Infinity));
    expect(cut.problemReports).toBe(70);
    expect(await aggregateJob(job('problems-within-two', within, 0, { index: 1 }))).toEqual(cut);
    // a real Semgrep run over 120 files it could read only in part, divided inside its results
    const real = fixture('semgrep/semgrep-1.185.0-partial-parsing-120-files.json');
    const partial = [[real, 'semgrep']] as [string, ReportKind][];
    const whole = await aggregateJob(job('problems-real-one', partial, Infinity));
    expect(whole.problems).toHaveLength(50);
    expect(whole.problems[0]).toBe('Semgrep warn: Syntax error at line src/pkg1/module.py:7:');
    expect(whole.problemReports).toBe(120);
    expect(whole.counts.total).toBe(120);
    const middle = Math.floor(statSync(real).size / 2);
    expect(await aggregateJob(job('problems-real-two', partial, 0, { index: 0, at: middle }))).toEqual(whole);
    // 50 different ones or fewer: all listed, and no count
    const few = await aggregateJob(job('problems-few', files.slice(0, 2), Infinity));
    expect(few.problems).toHaveLength(50);
    expect(few.problemReports).toBeUndefined();
    expect(few.summary).not.toContain('…and more');
  });

  it('a secret that only the second thread read is redacted from the findings read in the first', async () => {
    const secret = 'zq8Hv3kT0pLr5Yw2';
    const semgrep = path.join(work, 'semgrep.json');
    const gitleaks = path.join(work, 'gitleaks.json');
    const result = {
      check_id: 'rule.token',
      path: 'app.py',
      start: { line: 3 },
      end: { line: 3 },
      extra: { message: `token ${secret} is hard-coded`, severity: 'ERROR' },
    };
    writeFileSync(semgrep, JSON.stringify({ version: '1.100.0', errors: [], results: [result] }));
    writeFileSync(
      gitleaks,
      JSON.stringify([{ RuleID: 'generic-api-key', File: 'config.py', StartLine: 7, Secret: secret, Match: `key = ${secret}` }]),
    );
    const reports: [string, ReportKind][] = [
      [semgrep, 'semgrep'],
      [gitleaks, 'gitleaks'],
    ];
    await aggregateJob(job('secret', reports, 0, { index: 1 })); // the Gitleaks report goes to the second thread
    const findings = readFileSync(path.join(work, 'secret', 'out.findings.json'), 'utf8');
    expect(findings).toContain('token *** is hard-coded');
    for (const file of ['out.sarif', 'out.findings.json'])
      expect(readFileSync(path.join(work, 'secret', file), 'utf8')).not.toContain(secret);
  });

  it("the first thread's secrets reach the second while both read (every few MB), and are redacted there as in one thread", async () => {
    // a Gitleaks report of several MB for the first thread, whose secrets are sent at its pauses,
    // and a Semgrep report of several MB for the second, whose messages quote some of them
    const leaks = Array.from({ length: 12_000 }, (_, i) => ({
      RuleID: 'generic-api-key',
      Description: 'Detected a Generic API Key, potentially exposing access to various services and sensitive operations.',
      File: `src/module${i % 50}/settings${i}.py`,
      StartLine: 1 + (i % 90),
      Secret: `Kq${i.toString(36).padStart(6, '0')}Vz${(i * 7919).toString(36).padStart(8, '0')}`,
      Match: `api_key = "Kq${i.toString(36).padStart(6, '0')}Vz${(i * 7919).toString(36).padStart(8, '0')}"`,
      Commit: `${i.toString(16).padStart(40, 'c')}`,
      Author: 'Jane Developer',
      Email: 'jane@example.com',
    }));
    const quoted = (i: number) => leaks[(i * 37) % leaks.length]!.Secret;
    const results = Array.from({ length: 12_000 }, (_, i) => ({
      check_id: `python.lang.security.rule-${i % 40}`,
      path: `src/module${i % 50}/views${i}.py`,
      start: { line: 1 + (i % 300), col: 5 },
      end: { line: 1 + (i % 300), col: 60 },
      extra: {
        message: `Detected a hard-coded credential ${quoted(i)} passed to a request without validation, which allows an attacker in.`,
        severity: 'ERROR',
        metadata: { cwe: ['CWE-798: Use of Hard-coded Credentials'], source: `https://semgrep.dev/r/rule-${i % 40}` },
        lines: `    requests.get(url, headers={"Authorization": token})`,
      },
    }));
    const gitleaks = path.join(work, 'big-gitleaks.json');
    const semgrep = path.join(work, 'big-semgrep.json');
    writeFileSync(gitleaks, JSON.stringify(leaks, null, 1));
    writeFileSync(semgrep, JSON.stringify({ version: '1.100.0', errors: [], results }, null, 1));
    for (const file of [gitleaks, semgrep]) expect(statSync(file).size).toBeGreaterThan(PAUSE_EVERY);
    const reports: [string, ReportKind][] = [
      [gitleaks, 'gitleaks'],
      [semgrep, 'semgrep'],
    ];
    const one = await aggregateJob(job('pauses-one', reports, Infinity));
    const two = await aggregateJob(job('pauses-two', reports, 0, { index: 1 }));
    expect(two).toEqual(one);
    const read = (name: string, file: string) => readFileSync(path.join(work, name, file), 'utf8');
    for (const file of ['out.sarif', 'out.findings.json']) {
      const text = read('pauses-two', file);
      expect(text).toBe(read('pauses-one', file));
      for (const i of [0, 1, 5_000, 11_999]) expect(text).not.toContain(quoted(i));
    }
    expect(read('pauses-two', 'out.findings.json')).toContain('Detected a hard-coded credential *** passed');
  }, 120_000);

  it('a bad report read by the second thread fails with the error of the one-thread path', async () => {
    const bad = path.join(work, 'truncated.json');
    writeFileSync(bad, readFileSync(fixture('trivy/trivy-npm-with-suppressed.json'), 'utf8').slice(0, 500));
    const reports: [string, ReportKind][] = [...REPORTS.slice(0, 2), [bad, 'trivy'], REPORTS[3]!];
    const one = aggregateJob(job('bad-one', reports, Infinity));
    await expect(one).rejects.toThrow(InputError);
    const message = await one.catch((e: Error) => e.message);
    for (const split of [{ index: 2 }, { index: 1 }, { index: 1, at: 2000 }, { index: 2, at: 300 }]) {
      const two = aggregateJob(job('bad-two', reports, 0, split));
      await expect(two).rejects.toThrow(InputError);
      await expect(two).rejects.toThrow(message);
    }
  }, 60_000);
});
