import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  aggregateJob,
  Aggregator,
  evaluateGate,
  parseText,
  ReportError,
  SEVERITIES,
  THRESHOLDS,
  type Finding,
  type ReportKind,
} from '../src/index.ts';
import { aggregateInWorker } from '../src/parallel/worker.ts';
import { fixture, jobOf } from './helpers.ts';

/** Small real reports of every format (the seeds the mutations start from). */
const SEEDS: [string, ReportKind][] = [
  ['gitleaks/gitleaks-golden-json_simple.json', 'gitleaks'],
  ['gitleaks/gitleaks-v7-many.json', 'gitleaks'],
  ['gitleaks/gitleaks-golden-sarif_simple.sarif', 'gitleaks'],
  ['semgrep/semgrep-json-v1.100.0-logged-out.json', 'semgrep'],
  ['semgrep/semgrep-sarif-include-nosemgrep.sarif', 'semgrep'],
  ['trivy/trivy-repo-secrets.json', 'trivy'],
  ['trivy/trivy-legacy-array-mix.json', 'trivy'],
  ['trivy/trivy-v0.72.0-image-alpine310-critical.json', 'trivy'],
  ['other/dockle-0.3.15-image-no-locations.sarif', 'any'],
  ['grype/grype-json-dir-golden.json', 'any'],
  ['checkov/checkov-terraform-severity.json', 'any'],
  ['checkov/checkov-3.3.30-secrets.json', 'any'],
  ['checkov/checkov-3.3.30-secrets.sarif', 'any'],
  ['other/pmd-6.31-docs-example-grouped-locations.sarif.json', 'any'],
];

/** A small deterministic generator (mulberry32): the same 10,000 reports on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SECRET = 'ghp_4Jt7Qk2Lm9Zx8Vb3Nc6Rd1Sf5Gh0Wq2Ey7Tu';
const HOSTILE: unknown[] = [
  null,
  -1,
  0,
  1e308,
  true,
  '',
  '::error::injected',
  '\u0000\u001b[31m\u202e',
  `x ${SECRET} y`,
  'CRITICAL',
  'critical',
  '9.9',
  'n/a',
  [],
  {},
  [null],
  { a: [1, { b: 'c' }] },
  '../../etc/passwd',
  'file:///etc/shadow',
  'x'.repeat(5000),
];

/** One mutation somewhere in the document: a value replaced, a key removed, an element duplicated or dropped. */
function mutate(doc: unknown, rnd: () => number): unknown {
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v))
      v.forEach((c, i) => {
        nodes.push({ parent: v, key: i });
        walk(c);
      });
    else if (v && typeof v === 'object')
      for (const [k, c] of Object.entries(v)) {
        nodes.push({ parent: v as Record<string, unknown>, key: k });
        walk(c);
      }
  };
  walk(doc);
  if (!nodes.length || rnd() < 0.02) return structuredClone(HOSTILE[Math.floor(rnd() * HOSTILE.length)]);
  const { parent, key } = nodes[Math.floor(rnd() * nodes.length)]!;
  const op = rnd();
  if (op < 0.6) (parent as Record<string | number, unknown>)[key] = structuredClone(HOSTILE[Math.floor(rnd() * HOSTILE.length)]);
  else if (op < 0.8) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
  else (parent as Record<string, unknown>)[`${key}`] = structuredClone(parent[key as string]);
  return doc;
}

describe('10,000 mutated real reports', () => {
  it('give findings or a ReportError naming the file, never a crash; the gate is monotonic; planted secrets never survive', () => {
    const rnd = random(13);
    const texts = SEEDS.map(([file, kind]) => ({ text: readFileSync(fixture(file), 'utf8'), kind, size: statSync(fixture(file)).size }));
    let parsed = 0;
    let refused = 0;
    for (let n = 0; n < 10_000; n++) {
      const seed = texts[n % texts.length]!;
      let doc: unknown = JSON.parse(seed.text);
      for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) doc = mutate(doc, rnd);
      // some reports are cut short instead: truncated JSON
      let text = JSON.stringify(doc) ?? 'null';
      if (rnd() < 0.05) text = text.slice(0, Math.floor(rnd() * text.length));
      const agg = new Aggregator();
      agg.secret(SECRET);
      const file = `mutant-${n}.json`;
      agg.startReport(file);
      try {
        parseText(text, seed.kind, { file, root: '/repo', sink: agg });
      } catch (error) {
        if (!(error instanceof ReportError) || !error.message.startsWith(`${file}: `))
          throw new Error(`mutant ${n}: ${String(error)}\n${text.slice(0, 500)}`, { cause: error });
        refused++;
        continue;
      }
      parsed++;
      const findings = agg.findings();
      if (JSON.stringify(findings).includes(SECRET) || JSON.stringify(agg.tools).includes(SECRET))
        throw new Error(`mutant ${n}: the secret survived`);
      for (const threshold of THRESHOLDS) {
        if (evaluateGate(findings, threshold).passed) continue;
        // adding any finding never turns a failed gate into a passed one
        for (const severity of SEVERITIES) {
          const extra: Finding = { ...findings[0]!, severity, suppressed: false, fingerprint: `extra-${severity}` };
          expect(evaluateGate([...findings, extra], threshold).passed).toBe(false);
        }
      }
    }
    expect(parsed + refused).toBe(10_000);
    expect(parsed).toBeGreaterThan(2_000);
    expect(refused).toBeGreaterThan(100);
  });

  it('give the same outputs, or the same error, in two threads as in one (120 pairs, divided at random)', async () => {
    const rnd = random(29);
    const dir = mkdtempSync(path.join(tmpdir(), 'mutants-'));
    // the secret is found by the first thread: it must be redacted from the second thread's findings too
    const leaks = path.join(dir, 'leaks.json');
    writeFileSync(
      leaks,
      JSON.stringify([{ RuleID: 'github-pat', File: 'ci.env', StartLine: 2, Secret: SECRET, Match: `TOKEN=${SECRET}` }]),
    );
    const seeds = SEEDS.map(([file, kind]) => ({ text: readFileSync(fixture(file), 'utf8'), kind }));
    const source = (file: string, kind: ReportKind) => ({ input: `${kind}-report`, label: `Input '${kind}-report'`, kind, file });
    let same = 0;
    let failed = 0;
    try {
      for (let n = 0; n < 120; n++) {
        const sources = [source(leaks, 'gitleaks')];
        for (const k of [0, 1]) {
          const seed = seeds[Math.floor(rnd() * seeds.length)]!;
          let doc: unknown = JSON.parse(seed.text);
          for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) doc = mutate(doc, rnd);
          const file = path.join(dir, `mutant-${n}-${k}.json`);
          writeFileSync(file, JSON.stringify(doc) ?? 'null');
          sources.push(source(file, seed.kind));
        }
        const one = await aggregateJob(jobOf(sources, dir, `one-${n}`)).catch((error: unknown) => error as Error);
        const two = await aggregateInWorker(jobOf(sources, dir, `two-${n}`, { index: 1 + Math.floor(rnd() * 2) })).catch(
          (error: unknown) => error as Error,
        );
        if (one instanceof Error) {
          expect([n, two instanceof Error ? two.message : 'no error']).toEqual([n, one.message]);
          failed++;
          continue;
        }
        expect([n, two]).toEqual([n, one]);
        for (const file of ['out.sarif', 'out.findings.json']) {
          const text = readFileSync(path.join(dir, `two-${n}`, file), 'utf8');
          expect([n, text]).toEqual([n, readFileSync(path.join(dir, `one-${n}`, file), 'utf8')]);
          expect([n, text.includes(SECRET)]).toEqual([n, false]);
        }
        same++;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(same).toBeGreaterThan(60);
    expect(failed).toBeGreaterThan(3);
  }, 180_000);
});
