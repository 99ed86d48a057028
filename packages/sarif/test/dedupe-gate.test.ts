import { describe, expect, it } from '@jest/globals';
import type { InputError } from '@pipeline-toolkit/core';
import { Aggregator, countByTool, countFindings, evaluateGate, parseText, parseThreshold, type Finding } from '../src/index.ts';
import { countAll } from '../src/aggregate.ts';
import { bucketOf, SEVERITIES } from '../src/model.ts';
import { ShardOutput } from '../src/output.ts';
import { annotations, consoleReport, headOf, joinHeads, summaryMarkdown } from '../src/report.ts';
import { usableFingerprint } from '../src/scanners/semgrep.ts';
import { aggregate } from './helpers.ts';

const ctx = (agg: Aggregator, file = 'r.json') => ({ file, root: '/repo', sink: agg });

const leak = (commit: string, line: number, secret: string, rule = 'aws-access-token') => ({
  RuleID: rule,
  Description: 'AWS',
  StartLine: line,
  EndLine: line,
  StartColumn: 1,
  EndColumn: 20,
  Match: `key = ${secret}`,
  Secret: secret,
  File: './app/config.py',
  Commit: commit,
  Tags: [],
  Fingerprint: `${commit}:app/config.py:${rule}:${line}`,
});

describe('deduplication', () => {
  it('Gitleaks: the same secret at the same place in several commits collapses; another secret or line does not', () => {
    const agg = new Aggregator();
    const report = [
      leak('c1', 3, 'AKIAAAAAAAAAAAAAAAAA'),
      leak('c2', 3, 'AKIAAAAAAAAAAAAAAAAA'),
      leak('c3', 3, 'AKIABBBBBBBBBBBBBBBB'),
      leak('c1', 4, 'AKIAAAAAAAAAAAAAAAAA'),
    ];
    parseText(JSON.stringify(report), 'gitleaks', ctx(agg));
    expect(agg.findings()).toHaveLength(3);
    expect(agg.findings()[0]!.location!.path).toBe('app/config.py');
  });

  it('finish() gives the same findings as findings() and then refuses more (its indexes are gone)', () => {
    const agg = new Aggregator();
    parseText(JSON.stringify([leak('c1', 3, 'AKIAAAAAAAAAAAAAAAAA'), leak('c2', 3, 'AKIAAAAAAAAAAAAAAAAA')]), 'gitleaks', ctx(agg));
    const before = [...agg.findings()];
    expect(agg.finish()).toEqual(before);
    expect(agg.findings()).toEqual(before);
    expect(() => parseText(JSON.stringify([leak('c3', 3, 'AKIAAAAAAAAAAAAAAAAA')]), 'gitleaks', ctx(agg))).toThrow(/after finish/);
  });

  it('Semgrep: the fingerprint identifies a finding across JSON and SARIF; masked fingerprints fall back to the position', async () => {
    const agg = new Aggregator();
    const result = (fingerprint: string, line: number) => ({
      check_id: 'r.eqeq',
      path: 'a.py',
      start: { line, col: 1 },
      end: { line, col: 9 },
      extra: { message: 'm', severity: 'WARNING', fingerprint },
    });
    const fp = `${'ab'.repeat(64)}_0`;
    parseText(
      JSON.stringify({
        version: '1.100.0',
        results: [result(fp, 1), result(fp, 1), result('requires login', 5), result('requires login', 5), result('requires login', 6)],
        errors: [],
      }),
      'semgrep',
      ctx(agg),
    );
    const sarif = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'Semgrep OSS', rules: [{ id: 'r.eqeq', defaultConfiguration: { level: 'error' } }] } },
          results: [
            {
              ruleId: 'r.eqeq',
              message: { text: 'm' },
              fingerprints: { 'matchBasedId/v1': fp },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'a.py' }, region: { startLine: 1 } } }],
            },
          ],
        },
      ],
    };
    parseText(JSON.stringify(sarif), 'semgrep', ctx(agg, 's.sarif'));
    const findings = agg.findings();
    expect(findings.map((f) => [f.location!.startLine, f.severity])).toEqual([
      [1, 'HIGH'], // WARNING in JSON, error in SARIF: the highest wins
      [5, 'MEDIUM'],
      [6, 'MEDIUM'],
    ]);
  });

  it('Semgrep: a fingerprint is usable when it reads ^[0-9a-f]{16,}(?:_\\d+)?$ in any case, and only then', () => {
    const pattern = /^[0-9a-f]{16,}(?:_\d+)?$/i;
    const hex = 'ab'.repeat(64);
    const crafted = [
      hex,
      `${hex}_0`,
      `${hex}_12`,
      hex.toUpperCase(),
      '0123456789abcdef',
      '0123456789abcde',
      `${hex}_`,
      `${hex}_1a`,
      `${hex}__1`,
      `_${hex}`,
      `${hex} `,
      `${hex}\n`,
      `${hex}g`,
      'requires login',
      '0x42',
      '',
      `${'0'.repeat(15)}\u0010`,
      `${'f'.repeat(16)}\u0046`,
      `${'1'.repeat(16)}\u0660`,
    ];
    // random texts over the characters that matter, and their neighbours in the code table
    const alphabet = '0123456789abcdefABCDEFgG_/:@`\u0010\u0030\u0660\uff10';
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const generated = Array.from({ length: 3000 }, () => {
      const length = Math.floor(next() * 24);
      let text = '';
      for (let i = 0; i < length; i++)
        text += next() < 0.8 ? '0123456789abcdefABCDEF'[Math.floor(next() * 22)]! : alphabet[Math.floor(next() * alphabet.length)]!;
      return text;
    });
    const usable = [...crafted, ...generated].filter((text) => usableFingerprint(text) === text);
    expect(usable).toEqual([...crafted, ...generated].filter((text) => pattern.test(text)));
    expect(usable.length).toBeGreaterThan(100);
    expect(usableFingerprint(undefined)).toBeUndefined();
  });

  it('Trivy: the same vulnerability of the same package in the same target is one finding; other targets are not', async () => {
    const agg = await aggregate([
      ['trivy/trivy-gomod-unknown-severity.json', 'trivy'],
      ['trivy/trivy-gomod-unknown-severity.json', 'trivy'],
    ]);
    expect(
      agg
        .findings()
        .filter((f) => f.rule === 'GMS-2022-20')
        .map((f) => f.location!.path),
    ).toEqual([
      'testdata/fixtures/repo/gomod/go.mod',
      'testdata/fixtures/repo/gomod/submod/go.mod',
      'testdata/fixtures/repo/gomod/submod2/go.mod',
    ]);
    expect(agg.findings()).toHaveLength(5);
  });

  it('across tools, a Trivy secret and a Gitleaks leak at the same path and line merge: highest severity, both tools', async () => {
    const agg = await aggregate([['trivy/trivy-repo-secrets.json', 'trivy']]);
    parseText(
      JSON.stringify([{ ...leak('c1', 3, 'AKIAAAAAAAAAAAAAAAAA'), File: 'testdata/fixtures/repo/secrets/deploy.sh' }]),
      'gitleaks',
      ctx(agg, 'g.json'),
    );
    const merged = agg.findings().filter((f) => f.location?.startLine === 3);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ tools: ['trivy', 'gitleaks'], severity: 'CRITICAL', category: 'secret' });
    expect(countByTool(agg.findings(), agg.tools).get('gitleaks')).toMatchObject({ CRITICAL: 1 });
    expect(countFindings(agg.findings()).total).toBe(2);
  });

  it('across tools in the other order: Gitleaks first, then a Trivy secret at the same place merges into the first leak there', async () => {
    const agg = new Aggregator();
    const place = { File: 'testdata/fixtures/repo/secrets/deploy.sh' };
    // two leaks at one place with different secrets: two findings of one tool (no merging by place within a tool)
    parseText(
      JSON.stringify([
        { ...leak('c1', 3, 'AKIAAAAAAAAAAAAAAAAA'), ...place },
        { ...leak('c2', 3, 'AKIABBBBBBBBBBBBBBBB'), ...place },
      ]),
      'gitleaks',
      ctx(agg, 'g.json'),
    );
    expect(agg.findings().map((f) => f.tools)).toEqual([['gitleaks'], ['gitleaks']]);
    await aggregate([['trivy/trivy-repo-secrets.json', 'trivy']], '/work/repo', agg);
    const there = agg.findings().filter((f) => f.location?.path === place.File && f.location.startLine === 3);
    expect(there.map((f) => [f.tools, f.severity])).toEqual([
      [['gitleaks', 'trivy'], 'CRITICAL'],
      [['gitleaks'], 'HIGH'],
    ]);
    expect(countFindings(agg.findings()).total).toBe(3);
  });

  it('across tools, thousands of secrets on one line pair up in order: each merges into the first one there that its tool has not reported', () => {
    const secretAt = (tool: string, i: number, line = 1) => ({
      tool,
      key: `${tool}|${line}|${i}`,
      rule: `${tool}-rule`,
      title: 'Secret',
      message: 'A secret',
      severity: 'HIGH' as const,
      category: 'secret' as const,
      location: { path: 'dist/bundle.min.js', startLine: line },
      suppressed: false,
      cwe: [],
      cve: [],
    });
    const agg = new Aggregator();
    // one tool after the other on line 1: Trivy 3000, Gitleaks 4000, Semgrep 2000
    for (let i = 0; i < 3000; i++) agg.finding(secretAt('trivy', i));
    for (let i = 0; i < 4000; i++) agg.finding(secretAt('gitleaks', i));
    for (let i = 0; i < 2000; i++) agg.finding(secretAt('semgrep', i));
    // taking turns on line 2: each Gitleaks leak merges into the Trivy secret before it
    for (let i = 0; i < 500; i++) {
      agg.finding(secretAt('trivy', i, 2));
      agg.finding(secretAt('gitleaks', i, 2));
    }
    const tools = (line: number) =>
      agg
        .findings()
        .filter((f) => f.location!.startLine === line)
        .map((f) => f.tools.join('+'));
    expect(tools(1)).toEqual([
      ...Array<string>(2000).fill('trivy+gitleaks+semgrep'),
      ...Array<string>(1000).fill('trivy+gitleaks'),
      ...Array<string>(1000).fill('gitleaks'),
    ]);
    expect(tools(2)).toEqual(Array<string>(500).fill('trivy+gitleaks'));
  });

  it('counts by tool: a finding of two tools counts for both, shared and changing tool lists alike, suppressed ones for none', () => {
    const gitleaks = ['gitleaks'];
    const trivy = ['trivy'];
    const finding = (tools: string[], severity: Finding['severity'], suppressed = false) => ({ tools, severity, suppressed }) as Finding;
    const findings = [
      finding(gitleaks, 'CRITICAL'),
      finding(gitleaks, 'HIGH'),
      finding(['gitleaks', 'trivy'], 'HIGH'),
      finding(trivy, 'HIGH'),
      finding(gitleaks, 'LOW', true),
      finding(gitleaks, 'LOW'),
      finding(trivy, 'MEDIUM'),
    ];
    const table = countByTool(findings, [{ id: 'semgrep', name: 'Semgrep' }]);
    expect([...table]).toEqual([
      ['semgrep', { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 }],
      ['gitleaks', { CRITICAL: 1, HIGH: 2, MEDIUM: 0, LOW: 1, INFO: 0 }],
      ['trivy', { CRITICAL: 0, HIGH: 2, MEDIUM: 1, LOW: 0, INFO: 0 }],
    ]);
  });
});

describe('gate', () => {
  const finding = (severity: Finding['severity'], suppressed = false) => ({ severity, suppressed }) as Finding;

  it('fails at or above the threshold, default high; suppressed findings never gate; none never fails', () => {
    const findings = [finding('MEDIUM'), finding('CRITICAL', true), finding('LOW')];
    expect(evaluateGate(findings, 'high')).toEqual({ passed: true, threshold: 'high', failing: 0 });
    expect(evaluateGate(findings, 'medium')).toEqual({ passed: false, threshold: 'medium', failing: 1 });
    expect(evaluateGate(findings, 'low')).toEqual({ passed: false, threshold: 'low', failing: 2 });
    expect(evaluateGate([finding('CRITICAL')], 'critical').passed).toBe(false);
    expect(evaluateGate([finding('CRITICAL')], 'none').passed).toBe(true);
    expect(evaluateGate([finding('INFO')], 'low').passed).toBe(true);
  });

  it('the suppressed VEX finding of a real report does not gate, its live HIGH does', async () => {
    const agg = await aggregate([['trivy/trivy-npm-with-suppressed.json', 'trivy']]);
    expect(evaluateGate(agg.findings(), 'low')).toMatchObject({ passed: false, failing: 1 });
    expect(evaluateGate(agg.findings(), 'critical').passed).toBe(true);
  });

  it('parses thresholds case-insensitively and names the input on a bad one', () => {
    expect(parseThreshold('HIGH')).toBe('high');
    expect(() => parseThreshold('severe')).toThrow("fail-on must be one of critical, high, medium, low, none, got 'severe'.");
    // the error names the input itself, whatever label the message uses
    let error: InputError | undefined;
    try {
      parseThreshold('severe', 'fail-on', "Input 'fail-on'");
    } catch (e) {
      error = e as InputError;
    }
    expect([error?.input, error?.message]).toEqual([
      'fail-on',
      "Input 'fail-on' must be one of critical, high, medium, low, none, got 'severe'.",
    ]);
  });
});

describe('heads', () => {
  const finding = (i: number, severity: Finding['severity'], onFile: boolean): Finding => ({
    tools: ['trivy'],
    rule: `R${i}`,
    title: `title ${i}`,
    message: `message ${i}`,
    severity,
    category: 'vulnerability',
    location: onFile ? { path: `src/f${i}.ts`, startLine: i + 1 } : undefined,
    target: onFile ? undefined : 'image:latest',
    package: undefined,
    fingerprint: `fp${i}`,
    match: `m${i}`,
    suppressed: false,
    justification: undefined,
    cwe: [],
    cve: [],
    helpUri: undefined,
    report: 'trivy.json',
  });

  it('hold what the annotations and the summary read: the first of each severity, and annotatable findings further down', () => {
    // 22 HIGH findings off the files first, then 3 on them; 12 MEDIUM on them; 30 LOW off them
    const findings = [
      ...Array.from({ length: 25 }, (_, i) => finding(i, 'HIGH', i >= 22)),
      ...Array.from({ length: 12 }, (_, i) => finding(100 + i, 'MEDIUM', true)),
      ...Array.from({ length: 30 }, (_, i) => finding(200 + i, 'LOW', false)),
    ];
    const tools = [{ id: 'trivy', name: 'Trivy' }];
    const head = joinHeads([headOf(new ShardOutput(findings, '/repo').buckets)]);
    const rules = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `R${from + i}`);
    // HIGH: the first 20 and the 3 on files; MEDIUM: all 12; LOW: the first 20
    expect(head.map((f) => f.rule)).toEqual([...rules(0, 20), ...rules(22, 25), ...rules(100, 112), ...rules(200, 220)]);
    expect(annotations(head, tools)).toEqual(annotations(findings, tools));
    expect(annotations(head, tools)).toHaveLength(3 + 10);
  });

  it('of real reports, divided anywhere into two lists, hold what the annotations read of the whole', async () => {
    // image vulnerabilities (no file), Kubernetes and Terraform misconfigurations, Checkov checks, secrets and SAST findings on files
    const agg = await aggregate([
      ['trivy/trivy-image-debian-buster-unfixed.json', 'trivy'],
      ['trivy/trivy-image-alpine39.json', 'trivy'],
      ['trivy/trivy-k8s-cluster.json', 'trivy'],
      ['trivy/trivy-v0.72.0-config-terraform.json', 'trivy'],
      ['checkov/checkov-3.3.30-multi-framework.json', 'any'],
      ['gitleaks/gitleaks-baseline-report.json', 'gitleaks'],
      ['semgrep/semgrep-json-with-errors-cwe-owasp.json', 'semgrep'],
    ]);
    const findings = agg.findings();
    const tools = agg.tools;
    // more than the annotations of one level in the HIGH and MEDIUM buckets (Checkov's 32 failed checks are HIGH)
    expect(findings.filter((f) => f.severity === 'HIGH').length).toBeGreaterThan(20);
    expect(findings.filter((f) => f.severity === 'MEDIUM').length).toBeGreaterThan(10);
    const whole = annotations(findings, tools);
    expect(whole.length).toBeGreaterThan(0);
    for (const at of [0, 1, Math.floor(findings.length / 3), Math.floor(findings.length / 2), findings.length - 1]) {
      // two threads' lists: each sorted by bucket, the first's findings before the second's within a bucket
      const heads = [findings.slice(0, at), findings.slice(at)].map((part) => headOf(new ShardOutput(part, '/work/repo').buckets));
      expect([at, annotations(joinHeads(heads), tools)]).toEqual([at, whole]);
    }
  });

  it('of real reports with suppressed findings, divided anywhere, give the summary and console report of the whole', async () => {
    // suppressed by their tools: Trivy's VEX not_affected vulnerability, Checkov's skipped check with its comment
    const agg = await aggregate([
      ['trivy/trivy-npm-with-suppressed.json', 'trivy'],
      ['checkov/checkov-3.3.30-pair-skipped.json', 'any'],
      ['trivy/trivy-image-debian-buster-unfixed.json', 'trivy'],
      ['checkov/checkov-3.3.30-multi-framework.json', 'any'],
      ['semgrep/semgrep-json-with-errors-cwe-owasp.json', 'semgrep'],
    ]);
    const tools = agg.tools;
    // and every third finding by the suppressions file, as it marks them: more than one head's worth in several buckets
    const marked = agg
      .findings()
      .map((f, i) => (i % 3 || f.suppressed ? f : { ...f, suppressed: true, justification: `accepted until the upgrade ${i}` }));
    const findings = SEVERITIES.flatMap((_, rank) =>
      [false, true].flatMap((suppressed) => marked.filter((f) => f.suppressed === suppressed && bucketOf(f) % 5 === rank)),
    ).sort((a, b) => bucketOf(a) - bucketOf(b));
    expect(findings.filter((f) => f.suppressed && f.severity === 'HIGH').length).toBeGreaterThan(10);
    const whole = { findings, tools, gate: evaluateGate(findings, 'high'), problems: [] };
    expect(summaryMarkdown(whole)).toMatch(/### Suppressed findings\n\n(.*\n){12}\n…and \d+ more in the SARIF and findings files\./);
    expect(consoleReport(whole)).toContain('(reason: accepted until the upgrade 0)');
    for (const at of [0, 1, Math.floor(findings.length / 3), Math.floor(findings.length / 2), findings.length - 1]) {
      const heads = [findings.slice(0, at), findings.slice(at)].map((part) => headOf(new ShardOutput(part, '/work/repo').buckets));
      const joined = { ...whole, findings: joinHeads(heads), counts: countAll(findings, tools) };
      expect([at, summaryMarkdown(joined), consoleReport(joined)]).toEqual([at, summaryMarkdown(whole), consoleReport(whole)]);
    }
  });
});
