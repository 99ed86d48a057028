/**
 * Every parser and renderer that takes untrusted text, on pathological texts built to trigger
 * super-linear behaviour (runs of the characters their patterns look for, unclosed openers,
 * prefixes of secret patterns followed by long runs), against a normal text of the same size run
 * through the same work in the same run. Budget: ≤ 3× the normal text's time per character (a
 * quadratic pattern shows up as 100× and more at this size). The memory bank has its own bench (memory-bank.ts).
 *
 * Streamed reports get their own figure: a report whose one text spans thousands of 64 KB chunks
 * (an element, a Trivy Result's own fields, a SARIF file read whole) against a report of ordinary
 * findings of the same size, per byte (≤ 3×; a cost per chunk that grew with the chunks carried
 * showed as 4.2× at 48 MB, and a 560 MB element read for more than ten minutes).
 *
 * A policy of thousands of entries gets one too: 100,000 Trivy findings through a .trivyignore of
 * 5,000 ids, none of them the findings', against no policy at all (≤ 3×; every entry was tried
 * for every finding: 14×).
 *
 *   node bench/pathological.ts [--runs 15] [--size 24] [--stream-mb 48]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cutText, markdownToText, quoteValue, redactPatterns, table, visibleControls } from '../packages/core/src/index.ts';
import {
  Aggregator,
  EMPTY_POLICY,
  loadReport,
  parseText,
  PolicySink,
  policyMatchers,
  SecretIndex,
  type FindingPolicy,
  type ReportKind,
} from '../packages/sarif/src/index.ts';
import { renderMessage, safeText, slackLink } from '../packages/slack/src/index.ts';
import { parseSuite } from '../packages/smoke/src/load.ts';

const root = path.resolve(import.meta.dirname, '..');
const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const RUNS = flag('--runs', 15);
const SIZE = flag('--size', 24) * 1024;
const BUDGET = 3;

/** Real prose of the repository (its architecture notes and README) repeated to SIZE: the normal input. */
const prose = ['README.md', 'docs/actions.md'].map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
/** SIZE code units of `text` repeated, well formed (a cut through an emoji would leave a lone surrogate). */
const fit = (text: string) =>
  text
    .repeat(Math.ceil(SIZE / text.length))
    .slice(0, SIZE)
    .toWellFormed();
const normal = fit(prose);

const n = SIZE;
const run = (unit: string, tail = '!') => (unit.repeat(Math.ceil(n / unit.length)).slice(0, n - tail.length) + tail).toWellFormed();
/** Texts aimed at the patterns of the code: each a long run that a pattern starts matching and then rejects. */
const CASES: Record<string, string> = {
  'spaces then a letter': run(' ', 'x'),
  'newlines and spaces': run('\n \t', 'x'),
  slashes: run('/', 'x'),
  dashes: run('-', 'x'),
  'open brackets': run('['),
  'link openers': run('[]('),
  'angle openers': run('<'),
  'slack link openers': run('<a|'),
  'entities unclosed': run('&#'),
  'escaped newlines': run('\\'),
  emphasis: run('*'),
  backticks: run('`'),
  pipes: run('|'),
  hashes: run('#'),
  colons: run(':'),
  digits: run('1', 'x'),
  'percent codes': run('%2'),
  mentions: run('@'),
  'url schemes': run('a://'),
  'query keys': run('?token='),
  'aws secret prefix and spaces': `aws_secret_access_key=${run(' ', 'x').slice(23)}`,
  'authorization prefix and spaces': `Authorization:${run(' ', 'x').slice(14)}`,
  // the prefix of a Gitleaks rule's matches, which the redaction target below knows by the thousand
  'secret match prefix': run('aws_access_key_id = "AKIA'),
  'private key header unclosed': `-----BEGIN RSA PRIVATE KEY-----${run('A').slice(31)}`,
  'jwt-like dots': run('eyJaaaaaaaa.'),
  'control characters': run('\u001b\u0007\u202e'),
  'zero-width and tags': run('\u200b\u{E0041}'),
  'emoji joiners': run('👨\u200d'),
  'combining marks': `a${run('\u0301')}`,
};

/**
 * `input` builds the document a parser reads from the text (a SARIF file, a smoke.yml); `work`
 * reads it. Times are compared per character of the document: escaping in JSON or YAML makes some
 * documents longer than others, and a linear parser takes time in proportion to what it reads.
 */
interface Target {
  name: string;
  input?: (text: string) => string;
  work: (document: string) => unknown;
}

/** A SARIF report whose rule title, message, path and tool name are the text. */
function sarifReport(text: string): string {
  return JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: text.slice(0, 200), rules: [{ id: 'r1', shortDescription: { text }, fullDescription: { text } }] } },
        results: [
          {
            ruleId: 'r1',
            level: 'error',
            message: { text },
            locations: [{ physicalLocation: { artifactLocation: { uri: text.slice(0, 2000) }, region: { startLine: 1 } } }],
          },
        ],
      },
    ],
  });
}

/** Parsing, aggregation, redaction and visible controls of a SARIF report. */
function readSarif(report: string): void {
  const sink = new Aggregator();
  sink.startReport('bench.sarif');
  parseText(report, 'sarif', { file: 'bench.sarif', root: '/repo', sink });
  sink.findings();
}

/**
 * An index of 20,000 secrets such as one Gitleaks rule's matches (`aws_access_key_id = "AKIA…"`):
 * they share their first 24 characters. Each text is redacted once (redact remembers texts it has
 * redacted): a number in front makes each run's text new.
 */
const matches = new SecretIndex();
for (let i = 0; i < 20_000; i++) matches.add(`aws_access_key_id = "AKIA${(i * 7919).toString(16).toUpperCase().padStart(16, '0')}"`);
let redactions = 0;

const TARGETS: Target[] = [
  { name: 'SARIF report', input: sarifReport, work: readSarif },
  { name: 'redaction, 20k secrets, one prefix', work: (text) => matches.redact(`${redactions++} ${text}`) },
  {
    name: 'smoke config',
    input: (text) =>
      `checks:\n  - name: ${JSON.stringify(text)}\n    http: { path: /x, expect: { body-contains: ${JSON.stringify(text)}, status: ${JSON.stringify(text)} } }\n`,
    work: (yaml) => parseSuite(yaml, { file: 'smoke.yml', env: {} }).catch(() => undefined),
  },
  {
    name: 'Slack text',
    work: (text) => {
      safeText(text);
      slackLink('https://example.com/x', text);
      renderMessage({
        status: 'failure',
        language: 'en',
        title: text,
        run: { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', repository: 'acme/shop', branch: text, workflow: text },
        failedJobs: [{ name: text, conclusion: 'failure', step: text }],
        mentions: [],
      } as Parameters<typeof renderMessage>[0]);
    },
  },
  { name: 'markdown (summary, terminal)', work: (text) => markdownToText(`# ${text}\n\n${table(['a', 'b'], [[text, text]])}\n${text}\n`) },
  {
    name: 'core text (redact, controls, cut)',
    work: (text) => {
      redactPatterns(text);
      visibleControls(text);
      quoteValue(text);
      cutText(text, 140);
    },
  },
];

async function median(work: Target['work'], text: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const start = process.hrtime.bigint();
    await work(text);
    if (i >= 2) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN;
}

/**
 * The time per character of each case against the normal text's (budget ≤ 3×). It counts constant
 * factors too: a text made only of control characters becomes six-character escapes everywhere.
 */
let over = false;
console.log(
  `Untrusted text, ${SIZE / 1024} KB inputs, time per character against a normal text (median of ${RUNS}, Node ${process.version})`,
);
for (const target of TARGETS) {
  const document = target.input ?? ((text: string) => text);
  const normalDocument = document(normal);
  const base = await median(target.work, normalDocument);
  let worst = { name: '', ratio: 0 };
  const offenders: string[] = [];
  for (const [name, text] of Object.entries(CASES)) {
    const input = document(text);
    const ms = await median(target.work, input);
    const ratio = ms / input.length / (base / normalDocument.length);
    if (ratio > worst.ratio) worst = { name, ratio };
    if (ratio > BUDGET) offenders.push(`${name} ${ratio.toFixed(1)}× (${ms.toFixed(2)} ms)`);
  }
  over ||= offenders.length > 0;
  console.log(`${target.name.padEnd(34)} normal ${base.toFixed(2).padStart(7)} ms  worst ${worst.ratio.toFixed(2)}× (${worst.name})`);
  if (offenders.length) console.log(`  OVER ${BUDGET}× BUDGET: ${offenders.join('; ')}`);
}

const STREAM_BYTES = flag('--stream-mb', 48) * 1024 * 1024;
/** A long run of `unit`: the one text of a streamed case. */
const longText = (unit: string) => unit.repeat(Math.ceil(STREAM_BYTES / unit.length)).slice(0, STREAM_BYTES);
const leak = (i: number, match: string) => ({
  RuleID: 'generic-api-key',
  File: `src/f${i % 500}.py`,
  StartLine: 1 + (i % 900),
  Secret: `k${i}-abcdefgh`,
  Match: match,
});
/** Reports of about STREAM_BYTES each: ordinary leaks (the normal one), and one long text each. */
const STREAMED: Record<string, { kind: ReportKind; text: () => string }> = {
  'ordinary leaks (normal)': {
    kind: 'gitleaks',
    text: () =>
      JSON.stringify(
        Array.from({ length: Math.ceil(STREAM_BYTES / 180) }, (_, i) => leak(i, `token = "${'x'.repeat(60)}${i}"`)),
        null,
        1,
      ),
  },
  'one leak, one long match': { kind: 'gitleaks', text: () => JSON.stringify([leak(0, longText('abc é '))]) },
  "one Trivy Result's long target": {
    kind: 'trivy',
    text: () =>
      JSON.stringify({
        SchemaVersion: 2,
        ArtifactName: '.',
        Results: [
          {
            Target: longText('services/a/'),
            Class: 'lang-pkgs',
            Vulnerabilities: [{ VulnerabilityID: 'CVE-1', PkgName: 'p', Severity: 'HIGH' }],
          },
        ],
      }),
  },
  'SARIF read whole, one long message': {
    kind: 'sarif',
    text: () =>
      JSON.stringify({
        version: '2.1.0',
        runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'r', message: { text: longText('see ') } }] }],
      }),
  },
};
const dir = mkdtempSync(path.join(tmpdir(), 'bench-stream-'));
try {
  const timeRead = async (file: string, kind: ReportKind) => {
    const samples: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      const start = process.hrtime.bigint();
      await loadReport(file, kind, { root: dir, sink: new Aggregator() });
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  };
  console.log(
    `\nStreamed reports of ${STREAM_BYTES >> 20} MB in 64 KB chunks, time per byte against ordinary findings (median of ${Math.min(RUNS, 3)})`,
  );
  let base = 0;
  for (const [name, { kind, text }] of Object.entries(STREAMED)) {
    const file = path.join(dir, `${kind}.json`);
    const body = text();
    writeFileSync(file, body);
    const perByte = (await timeRead(file, kind)) / Buffer.byteLength(body);
    base ||= perByte;
    const ratio = perByte / base;
    over ||= ratio > BUDGET;
    console.log(
      `${name.padEnd(34)} ${(perByte * 2 ** 20).toFixed(2).padStart(7)} ms/MB  ${ratio.toFixed(2)}×${ratio > BUDGET ? `  OVER ${BUDGET}× BUDGET` : ''}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * 100,000 Trivy findings through a policy: the time of reading them into an Aggregator. Their
 * files: 30 lock files, or with `files` that many distinct ones (a monorepo's worth).
 */
async function throughPolicy(policy: FindingPolicy, files = 30): Promise<number> {
  const sink = new PolicySink(new Aggregator(), policy, await policyMatchers(policy));
  const start = process.hrtime.bigint();
  for (let i = 0; i < 100_000; i++)
    sink.finding({
      tool: 'trivy',
      key: `k${i}`,
      rule: `CVE-2024-${i % 20_000}`,
      title: 't',
      message: 'm',
      severity: 'HIGH',
      category: 'vulnerability',
      location: { path: files === 30 ? `services/s${i % 30}/package-lock.json` : `services/s${i % 400}/m${i % files}/package-lock.json` },
      package: `p${i % 300}@1`,
      suppressed: false,
      cwe: [],
      cve: [],
    });
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const trivyIgnore = Array.from({ length: 5000 }, (_, i) => ({ id: `CVE-2019-${i}`, file: '.trivyignore' }));
// skip-paths of a monorepo (23 globs, none matching) over 30,000 distinct files, against one glob
const skipPaths = Array.from({ length: 23 }, (_, i) => `packages/p${i}/**/*.min.js`);
const policyRuns: number[][] = [];
for (let r = 0; r < Math.min(RUNS, 5); r++)
  policyRuns.push([
    await throughPolicy({ ...EMPTY_POLICY, trivyIgnore: [{ id: 'x', file: '.trivyignore' }] }),
    await throughPolicy({ ...EMPTY_POLICY, trivyIgnore }),
    await throughPolicy({ ...EMPTY_POLICY, skipPaths: skipPaths.slice(0, 1) }, 30_000),
    await throughPolicy({ ...EMPTY_POLICY, skipPaths }, 30_000),
  ]);
const policyMedian = (k: number) => policyRuns.map((r) => r[k]!).sort((a, b) => a - b)[Math.floor(policyRuns.length / 2)]!;
for (const [what, [of, against]] of [
  ['a .trivyignore of 5,000 ids against one of 1', [1, 0]],
  ['30,000 files, 23 skip-paths globs against 1', [3, 2]],
] as const) {
  const ratio = policyMedian(of) / policyMedian(against);
  over ||= ratio > BUDGET;
  console.log(
    `${of === 1 ? '\n' : ''}Policy: 100k Trivy findings, ${what} (median of ${policyRuns.length})  ${policyMedian(of).toFixed(0)} ms against ${policyMedian(against).toFixed(0)} ms  ${ratio.toFixed(2)}×${ratio > BUDGET ? `  OVER ${BUDGET}× BUDGET` : ''}`,
  );
}
process.exitCode = over ? 1 : 0;
