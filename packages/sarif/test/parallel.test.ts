import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ExternalError, GateError, InputError } from '@pipeline-toolkit/core';
import type { AggregateJob, ReportKind } from '../src/index.ts';
import { fromRecord, toRecord } from '../src/parallel/errors.ts';
import { JsonStreamReader, NOT_MINE, type ReaderState } from '../src/parallel/reader.ts';
import { aggregateInWorker } from '../src/parallel/worker.ts';
import { IN_THREAD_BELOW, inThread, splitOf } from '../src/parallel/split.ts';
import { fixture } from './helpers.ts';

interface SarifLog {
  runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number }[] }[];
}

const work = mkdtempSync(path.join(tmpdir(), 'sarif-parallel-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Small real reports, one per shape of split array: Trivy's Results, Semgrep's results, a bare Gitleaks 7 array. */
const SMALL: [string, string][] = [
  ['trivy/trivy-gomod-unknown-severity.json', 'Results'],
  ['semgrep/semgrep-json-v1.84.1-low-severity.json', 'results'],
  ['gitleaks/gitleaks-v7-many.json', ''],
];

/** The elements of the split array and the document with that array emptied, as JSON.parse reads the whole text. */
function expected(text: string, key: string): { elements: unknown[]; rest: unknown } {
  const doc = JSON.parse(text.replace(/^\ufeff/, '')) as unknown;
  if (key === '') return { elements: doc as unknown[], rest: [] };
  const o = doc as Record<string, unknown[]>;
  return { elements: o[key]!, rest: { ...o, [key]: [] } };
}

/** Reads `bytes` pushed as the given chunks (each a copy, as from a file). */
function read(bytes: Buffer, key: string, cuts: number[]): { elements: unknown[]; rest: unknown; states: ReaderState[] } {
  const elements: unknown[] = [];
  const reader = new JsonStreamReader({ split: new Set([key]), arrayStart: () => (element) => elements.push(element) });
  const states: ReaderState[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    expect(reader.push(Buffer.from(bytes.subarray(from, cut)))).toBeUndefined();
    states.push(reader.state);
    from = cut;
  }
  return { elements, rest: reader.end(), states };
}

describe('the streaming reader', () => {
  it('reads a small real report cut in two at every byte boundary as JSON.parse reads it whole', () => {
    const seen = new Set<ReaderState>();
    const wrong: string[] = [];
    for (const [name, key] of SMALL) {
      const bytes = readFileSync(fixture(name));
      const whole = JSON.stringify(expected(bytes.toString('utf8'), key));
      expect(expected(bytes.toString('utf8'), key).elements.length).toBeGreaterThan(1);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const { elements, rest, states } = read(bytes, key, [cut]);
        if (JSON.stringify({ elements, rest }) !== whole) wrong.push(`${name} cut at ${cut}`);
        for (const state of states) seen.add(state);
      }
    }
    expect(wrong).toEqual([]);
    // the cuts fall in every state the reader passes through on these documents (unscanned: the
    // separator learned in the first chunk found the elements of the second, the fast path)
    expect([...seen].sort()).toEqual(['array-start', 'document', 'elements', 'unscanned'].sort());
  }, 60_000);

  it("reads a real Trivy report's Vulnerabilities item by item (nested), cut in two at every byte boundary", () => {
    const bytes = readFileSync(fixture(SMALL[0]![0]));
    const results = (JSON.parse(bytes.toString('utf8')) as { Results: Record<string, unknown>[] }).Results;
    // Trivy writes Target and Class before Vulnerabilities, so every Result's items are handed over first
    const whole = JSON.stringify(results.map((r) => ({ items: r['Vulnerabilities'], element: { ...r, Vulnerabilities: [] } })));
    expect(results.every((r) => Array.isArray(r['Vulnerabilities']) && r['Class'])).toBe(true);
    const wrong: string[] = [];
    for (let cut = 0; cut <= bytes.length; cut++) {
      const seen: { items: unknown[]; element?: unknown }[] = [{ items: [] }];
      const reader = new JsonStreamReader({
        split: new Set(['Results']),
        arrayStart: () => ({
          element: (element) => {
            seen.at(-1)!.element = element;
            seen.push({ items: [] });
          },
          handlers: { split: new Set(['Vulnerabilities']), arrayStart: () => (item) => seen.at(-1)!.items.push(item) },
        }),
      });
      for (const part of [bytes.subarray(0, cut), bytes.subarray(cut)]) expect(reader.push(Buffer.from(part))).toBeUndefined();
      reader.end();
      if (JSON.stringify(seen.slice(0, -1)) !== whole) wrong.push(`cut at ${cut}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('reads it cut in three, and with a byte order mark cut anywhere', () => {
    const [name, key] = SMALL[2]!;
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(fixture(name))]);
    const whole = expected(bytes.toString('utf8'), key);
    const text = JSON.stringify(whole);
    const wrong: string[] = [];
    for (let a = 0; a <= bytes.length; a += 3) {
      for (let b = a; b <= bytes.length; b += 7) {
        const { elements, rest } = read(bytes, key, [a, b]);
        if (JSON.stringify({ elements, rest }) !== text) wrong.push(`cut at ${a} and ${b}`);
      }
    }
    expect(wrong).toEqual([]);
    for (const cut of [1, 2, 3]) expect(read(bytes, key, [cut]).elements).toEqual(whole.elements);
  }, 60_000);

  it('answers NOT_MINE once a side of a division has stopped, and refuses a truncated document at every cut', () => {
    const bytes = readFileSync(fixture(SMALL[0]![0]));
    const reader = new JsonStreamReader({ split: new Set(['Results']), arrayStart: () => () => undefined }, { at: 0, side: 'before' });
    expect(reader.push(bytes)).toBe(NOT_MINE);
    expect(reader.state).toBe('not-mine');
    expect(reader.end()).toBe(NOT_MINE);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const truncated = new JsonStreamReader({ split: new Set(['Results']), arrayStart: () => () => undefined });
      expect(() => {
        truncated.push(Buffer.from(bytes.subarray(0, cut)));
        truncated.end();
      }).toThrow(SyntaxError);
    }
  }, 60_000);
});

describe('which thread aggregates', () => {
  it('reports under 1 MB in all are aggregated in the calling thread; larger ones, or a divided job, in workers', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'in-thread-'));
    try {
      const report = (name: string, bytes: number) => {
        const file = path.join(dir, name);
        writeFileSync(file, ' '.repeat(bytes));
        return { input: 'sarif-files', label: name, kind: 'sarif' as ReportKind, file };
      };
      const small = { sources: [report('a.sarif', IN_THREAD_BELOW / 2), report('b.sarif', IN_THREAD_BELOW / 2 - 1)] };
      const large = { sources: [report('c.sarif', IN_THREAD_BELOW / 2), report('d.sarif', IN_THREAD_BELOW / 2)] };
      const none = { sources: [] };
      const missing = { sources: [{ ...report('e.sarif', 1), file: path.join(dir, 'missing.sarif') }] };
      expect(inThread(small, splitOf(small as AggregateJob))).toBe(true);
      expect(inThread(none, splitOf(none as unknown as AggregateJob))).toBe(true);
      expect(inThread(missing, splitOf(missing as AggregateJob))).toBe(true);
      expect(inThread(large, splitOf(large as AggregateJob))).toBe(false);
      // a job divided between two threads (tests divide small reports too) always has its workers
      expect(inThread(small, { index: 1 })).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('errors across threads', () => {
  it('are records of kind, input and message that come back as the same typed errors', () => {
    const input = new InputError('trivy-report', "Input 'trivy-report': /r.json: is not valid JSON");
    expect(toRecord(input)).toEqual({ kind: 'input', input: 'trivy-report', message: input.message });
    expect(toRecord(new GateError('2 HIGH'))).toEqual({ kind: 'gate', message: '2 HIGH' });
    expect(toRecord(new TypeError('x is undefined'))).toEqual({ kind: 'internal', message: 'TypeError: x is undefined' });
    const back = fromRecord(toRecord(input));
    expect(back).toBeInstanceOf(InputError);
    expect([(back as InputError).input, back.message]).toEqual([input.input, input.message]);
    expect(fromRecord({ kind: 'external', message: 'HTTP 403' })).toBeInstanceOf(ExternalError);
    expect(fromRecord({ kind: 'gate', message: 'failed' })).toBeInstanceOf(GateError);
  });

  function job(name: string, reports: [string, ReportKind][]): AggregateJob {
    return {
      sources: reports.map(([file, kind]) => ({ input: `${kind}-report`, label: `Input '${kind}-report'`, kind, file })),
      root: work,
      gitleaksIgnore: [],
      failOn: 'none',
      categoryPrefix: 'ci',
      sarifFile: path.join(work, name, 'out.sarif'),
      findingsFile: path.join(work, name, 'out.findings.json'),
      parallelFrom: 0,
      split: { index: 1 },
    };
  }

  it('a malformed report in either thread fails with the InputError naming its input and file', async () => {
    const semgrep = path.join(work, 'semgrep.json');
    const trivy = path.join(work, 'trivy.json');
    const badTrivy = path.join(work, 'bad-trivy.json');
    const badGitleaks = path.join(work, 'bad-gitleaks.json');
    writeFileSync(semgrep, readFileSync(fixture(SMALL[1]![0])));
    writeFileSync(trivy, readFileSync(fixture(SMALL[0]![0])));
    writeFileSync(badTrivy, readFileSync(fixture(SMALL[0]![0]), 'utf8').slice(0, 700));
    writeFileSync(badGitleaks, '[{"RuleID": "r", "File": "a"},,]');
    const cases: [string, [string, ReportKind][], string, string][] = [
      // the first report is the coordinator's, the second the shard's (split at index 1)
      [
        'shard',
        [
          [semgrep, 'semgrep'],
          [badTrivy, 'trivy'],
        ],
        'trivy-report',
        badTrivy,
      ],
      [
        'coordinator',
        [
          [badGitleaks, 'gitleaks'],
          [trivy, 'trivy'],
        ],
        'gitleaks-report',
        badGitleaks,
      ],
      // both bad: the earlier report's error, as in one thread
      [
        'both',
        [
          [badGitleaks, 'gitleaks'],
          [badTrivy, 'trivy'],
        ],
        'gitleaks-report',
        badGitleaks,
      ],
    ];
    for (const [name, reports, input, file] of cases) {
      const error = await aggregateInWorker(job(name, reports)).catch((e: unknown) => e);
      expect([name, error]).toEqual([name, expect.any(InputError)]);
      expect([name, (error as InputError).input]).toEqual([name, input]);
      expect((error as Error).message).toMatch(new RegExp(`^Input '${input}': ${file}: is not valid JSON \\(.+\\); expected a`));
    }
  }, 60_000);

  it("a secret the coordinator found, in a rule id of the shard's findings, is redacted in the rules list and the results keep their rule", async () => {
    const secret = 'AKIAZQ3VNTWXB7HJ5K2M';
    const gitleaks = path.join(work, 'leak-gitleaks.json');
    const semgrep = path.join(work, 'leak-semgrep.json');
    writeFileSync(
      gitleaks,
      JSON.stringify([
        { RuleID: 'aws-access-token', Description: 'AWS', StartLine: 3, File: 'a.py', Match: `key = ${secret}`, Secret: secret },
      ]),
    );
    const result = (rule: string, file: string) => ({
      check_id: rule,
      path: file,
      start: { line: 1, col: 1 },
      end: { line: 1, col: 5 },
      extra: { message: `found by ${rule}`, severity: 'ERROR', metadata: {}, lines: 'x' },
    });
    writeFileSync(
      semgrep,
      JSON.stringify({ version: '1.0.0', errors: [], results: [result(`rules.leaky-${secret}`, 'b.py'), result('rules.plain', 'c.py')] }),
    );
    // the first report is the coordinator's, the second the shard's
    const divided = job('rule-secret', [
      [gitleaks, 'gitleaks'],
      [semgrep, 'semgrep'],
    ]);
    await aggregateInWorker(divided);
    const text = readFileSync(divided.sarifFile, 'utf8');
    expect(text).not.toContain(secret);
    expect(readFileSync(divided.findingsFile, 'utf8')).not.toContain(secret);
    const run = (JSON.parse(text) as SarifLog).runs.find((r) => r.tool.driver.name === 'Semgrep')!;
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual(['rules.leaky-***', 'rules.plain']);
    expect(run.results.map((r) => [r.ruleId, ids[r.ruleIndex]])).toEqual([
      ['rules.leaky-***', 'rules.leaky-***'],
      ['rules.plain', 'rules.plain'],
    ]);
  }, 60_000);

  it('a failure after both threads rendered leaves none of their temporary files behind', async () => {
    const semgrep = path.join(work, 'semgrep.json');
    const trivy = path.join(work, 'trivy.json');
    writeFileSync(semgrep, readFileSync(fixture(SMALL[1]![0])));
    writeFileSync(trivy, readFileSync(fixture(SMALL[0]![0])));
    const failing = job('unwritable', [
      [semgrep, 'semgrep'],
      [trivy, 'trivy'],
    ]);
    // the SARIF file's name is taken by a folder: assembly fails once both threads have rendered their parts
    mkdirSync(failing.sarifFile, { recursive: true });
    await expect(aggregateInWorker(failing)).rejects.toThrow(/EISDIR/);
    const parts = () => readdirSync(path.dirname(failing.sarifFile)).filter((f) => f.endsWith('.part'));
    // the shard's files go once it has stopped, after the error is reported
    for (let wait = 0; wait < 100 && parts().length; wait++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(parts()).toEqual([]);
  }, 60_000);
});
