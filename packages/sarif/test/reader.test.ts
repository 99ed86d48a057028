import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { InputError } from '@pipeline-toolkit/core';
import { aggregateJob, type AggregateJob, type ReportKind } from '../src/index.ts';
import { readerSplit } from '../src/job.ts';
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

function job(name: string, reports: [string, ReportKind][], parallelFrom: number, split?: number): AggregateJob {
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
  it('divides the reports by bytes, and keeps small or single reports in one thread', () => {
    expect(readerSplit([26, 31, 39], 0)).toBe(2);
    expect(readerSplit([50, 10, 10], 0)).toBe(1);
    expect(readerSplit([10, 10, 10, 10], 0)).toBe(2);
    expect(readerSplit([100], 0)).toBe(1);
    expect(readerSplit([3, 3], 8)).toBe(2);
  });

  it('gives byte for byte the outputs of reading every report in one thread', async () => {
    const one = await aggregateJob(job('one', REPORTS, Infinity));
    const two = await aggregateJob(job('two', REPORTS, 0));
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
    for (let split = 1; split < reports.length; split++) {
      const name = `split-${split}`;
      expect(await aggregateJob(job(name, reports, 0, split))).toEqual(one);
      for (const file of ['out.sarif', 'out.findings.json']) expect(read(name, file)).toBe(read('split-one', file));
    }
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
    expect(readerSplit([1, 1], 0)).toBe(1); // the Gitleaks report goes to the second thread
    await aggregateJob(job('secret', reports, 0));
    const findings = readFileSync(path.join(work, 'secret', 'out.findings.json'), 'utf8');
    expect(findings).toContain('token *** is hard-coded');
    for (const file of ['out.sarif', 'out.findings.json'])
      expect(readFileSync(path.join(work, 'secret', file), 'utf8')).not.toContain(secret);
  });

  it('a bad report read by the second thread fails with the error of the one-thread path', async () => {
    const bad = path.join(work, 'truncated.json');
    writeFileSync(bad, readFileSync(fixture('trivy/trivy-npm-with-suppressed.json'), 'utf8').slice(0, 500));
    const reports: [string, ReportKind][] = [...REPORTS.slice(0, 2), [bad, 'trivy'], REPORTS[3]!];
    const one = aggregateJob(job('bad-one', reports, Infinity));
    await expect(one).rejects.toThrow(InputError);
    const message = await one.catch((e: Error) => e.message);
    await expect(aggregateJob(job('bad-two', reports, 0))).rejects.toThrow(message);
    await expect(aggregateJob(job('bad-two', reports, 0))).rejects.toThrow(InputError);
  });
});
