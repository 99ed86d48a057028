import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Aggregator, loadReport, parseText, ReportError, type ReportKind } from '../src/index.ts';
import { fixture } from './helpers.ts';

async function load(content: string | undefined, kind: ReportKind): Promise<unknown> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sarif-bad-'));
  const file = path.join(dir, 'report.json');
  if (content !== undefined) await writeFile(file, content);
  return loadReport(file, kind, { root: dir, sink: new Aggregator() }).catch((error: unknown) => error);
}

describe('bad reports give a clear error naming the file and what was expected', () => {
  const text = (name: string) => readFile(fixture(name), 'utf8');

  it.each([
    ['malformed JSON', '{"results": [', 'semgrep', /report\.json: is not valid JSON \(.+\); expected a Semgrep JSON or SARIF report/],
    ['an empty file', '', 'trivy', /report\.json: is empty \(0 bytes\); expected a Trivy JSON or SARIF report/],
    ['only whitespace', ' \n\t', 'gitleaks', /report\.json: is empty; expected a Gitleaks JSON or SARIF report/],
    ['a missing file', undefined, 'gitleaks', /report\.json: file not found; expected a Gitleaks JSON or SARIF report/],
    [
      'a JSON value of no known report',
      '{"foo": 1}',
      'sarif',
      /report\.json: is not a SARIF log nor a Gitleaks, Semgrep, Trivy, Grype or Checkov JSON report; expected a SARIF 2.1.0 log/,
    ],
    [
      'an unknown SARIF version',
      '{"version": "2.0.0", "runs": []}',
      'sarif',
      /report\.json: SARIF version "2\.0\.0" is not supported; expected "2\.1\.0"/,
    ],
    [
      'a SARIF 1.0 log (its $schema names 1.0.0)',
      '{"$schema": "http://json.schemastore.org/sarif-1.0.0", "version": "1.0.0", "runs": []}',
      'sarif',
      /report\.json: SARIF version "1\.0\.0" is not supported; expected "2\.1\.0"/,
    ],
    [
      'a tool version as the SARIF version, without a $schema to say which SARIF it is',
      '{"version": "v8.0.0", "runs": []}',
      'gitleaks',
      /report\.json: SARIF version "v8\.0\.0" is not supported; expected "2\.1\.0"/,
    ],
  ] as const)('%s', async (_name, content, kind, message) => {
    const error = await load(content, kind);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as Error).message).toMatch(message);
  });

  it('a truncated real report', async () => {
    const full = await text('trivy/trivy-image-alpine39.json');
    const error = await load(full.slice(0, full.length / 2), 'trivy');
    expect((error as Error).message).toMatch(/report\.json: is not valid JSON .*expected a Trivy JSON or SARIF report/);
  });

  it.each([
    ['trivy/trivy-repo-secrets.json', 'gitleaks', /is a Trivy JSON report; expected a Gitleaks JSON or SARIF report/],
    ['gitleaks/gitleaks-baseline-report.json', 'semgrep', /is a Gitleaks JSON report; expected a Semgrep JSON or SARIF report/],
    ['semgrep/semgrep-sarif-autofix.sarif', 'trivy', /is a SARIF log of 'Semgrep OSS'; expected a Trivy JSON or SARIF report/],
    ['grype/grype-0.34.7-cxf.sarif', 'gitleaks', /is a SARIF log of 'Grype'; expected a Gitleaks JSON or SARIF report/],
  ] as const)('%s given as a %s report', async (file, kind, message) => {
    const error = await load(await text(file), kind);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as Error).message).toMatch(message);
  });

  it('a finding without its required fields names its index', async () => {
    const agg = new Aggregator();
    expect(() =>
      parseText('[{"RuleID": "r", "File": "a"}, {"RuleID": "b"}]', 'gitleaks', { file: 'g.json', root: '/r', sink: agg }),
    ).toThrow(/g\.json: finding 1 has no RuleID \(or rule\) or File \(or file\); expected a Gitleaks JSON report/);
  });
});

/** A small deterministic PRNG so that a failing fuzz case can be reproduced from its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  '',
  'x',
  true,
  [],
  {},
  [null],
  { a: 1 },
  1e308,
  '2.1.0',
  'CRITICAL',
  'file:///%zz',
  '../../etc',
];

/** Mutates a parsed document in place: replaces, deletes or retypes a few random values. */
function mutate(doc: unknown, rnd: () => number): unknown {
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (value: unknown) => {
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : value && typeof value === 'object'
        ? Object.entries(value)
        : [];
    for (const [key, child] of entries) {
      nodes.push({ parent: value as Record<string, unknown>, key });
      walk(child);
    }
  };
  walk(doc);
  if (!nodes.length) return ODD_VALUES[Math.floor(rnd() * ODD_VALUES.length)];
  for (let n = 1 + Math.floor(rnd() * 4); n > 0; n--) {
    const { parent, key } = nodes[Math.floor(rnd() * nodes.length)]!;
    const p = parent as Record<string | number, unknown>;
    const r = rnd();
    if (r < 0.3 && !Array.isArray(parent)) delete p[key];
    else if (r < 0.9) p[key] = ODD_VALUES[Math.floor(rnd() * ODD_VALUES.length)];
    else p[key] = [p[key], p[key]];
  }
  return doc;
}

describe('fuzz', () => {
  it('10,000 mutated reports (structure and bytes) end in findings or a ReportError, never a crash or a hang', async () => {
    const sources: [string, ReportKind][] = [
      ['gitleaks/gitleaks-golden-json_simple.json', 'gitleaks'],
      ['gitleaks/gitleaks-golden-sarif_simple.sarif', 'gitleaks'],
      ['semgrep/semgrep-json-v1.100.0-logged-out.json', 'semgrep'],
      ['semgrep/semgrep-sarif-dataflow-traces.sarif', 'semgrep'],
      ['trivy/trivy-npm-with-suppressed.json', 'trivy'],
      ['trivy/trivy-repo-secrets.json', 'trivy'],
      ['trivy/trivy-v0.72.0-config-terraform.json', 'trivy'],
      ['trivy/trivy-image-alpine310.sarif', 'trivy'],
      ['trivy/trivy-0.20.0-alpine310-pair.sarif', 'trivy'],
      ['grype/grype-sarif-image-golden.sarif', 'grype'],
      ['grype/grype-0.4.0-json-directory.json', 'grype'],
      ['gitleaks/gitleaks-8.30.1-pair-git.sarif', 'gitleaks'],
      ['gitleaks/gitleaks-8.0.0-sarif-version-v8.sarif', 'gitleaks'],
      ['other/codeql-action-valid-multirun.sarif', 'sarif'],
      ['other/dockle-0.3.15-image-no-locations.sarif', 'sarif'],
    ];
    const texts = await Promise.all(sources.map(([f]) => readFile(fixture(f), 'utf8')));
    const rnd = random(20261129);
    const outcomes = { parsed: 0, rejected: 0 };
    for (let i = 0; i < 10_000; i++) {
      const which = i % sources.length;
      const [file, kind] = sources[which]!;
      const base = texts[which]!;
      let text: string;
      if (i % 4 === 3) {
        // byte-level: cut, duplicate or flip a character
        const at = Math.floor(rnd() * base.length);
        const r = rnd();
        text =
          r < 0.33
            ? base.slice(0, at)
            : r < 0.66
              ? base.slice(0, at) + base.slice(at - 10, at) + base.slice(at)
              : base.slice(0, at) + String.fromCharCode(32 + Math.floor(rnd() * 90)) + base.slice(at + 1);
      } else text = JSON.stringify(mutate(JSON.parse(base), rnd));
      const agg = new Aggregator();
      try {
        parseText(text, rnd() < 0.1 ? 'sarif' : kind, { file: `${file}#${i}`, root: '/repo', sink: agg });
        agg.findings();
        outcomes.parsed++;
      } catch (error) {
        if (!(error instanceof ReportError))
          throw new Error(`case ${i} (${file}) crashed: ${String(error)}\n${text.slice(0, 2000)}`, { cause: error });
        outcomes.rejected++;
      }
    }
    expect(outcomes.parsed + outcomes.rejected).toBe(10_000);
    expect(outcomes.parsed).toBeGreaterThan(1000);
    expect(outcomes.rejected).toBeGreaterThan(1000);
  });
});
