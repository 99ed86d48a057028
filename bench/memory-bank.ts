/**
 * Memory-bank parsing under hostile input: every parser (ADR reader, lint, language detection,
 * progress and current-state upserts) on pathological texts of 24 KB against a normal bank text
 * of the same size, run through the same work. Budget: ≤ 3× the normal text's time (a super-linear
 * pattern shows up as 100× and more at this size).
 *
 *   node bench/memory-bank.ts [--runs 30]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { detectLanguage, lintBank, parseAdr, updateDecisionLog, type Bank } from '../packages/memory-bank/src/index.ts';
import { updateCurrentState, upsertEntry } from '../packages/memory-bank/src/progress.ts';

const root = path.resolve(import.meta.dirname, '..');
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 30;
const SIZE = 24 * 1024;
const BUDGET = 3;

/** Real ADRs (test fixtures) repeated to SIZE: the normal input. */
const folder = path.join(root, 'test/fixtures/adr/adr-tools/doc/adr');
const real = readdirSync(folder)
  .sort()
  .map((f) => readFileSync(path.join(folder, f), 'utf8'))
  .join('\n');
const fit = (text: string) => (text.repeat(Math.ceil(SIZE / text.length)) + ' '.repeat(SIZE)).slice(0, SIZE);
const normal = fit(real);

const n = SIZE - 64;
const CASES: Record<string, string> = {
  'heading of spaces': fit(`#${' '.repeat(n)}x\n`),
  'heading closed by #s': fit(`# a${' #'.repeat(n / 2)}x\n`),
  // The attack on the former heading pattern (cubic: 1,000 spaces took 35 s).
  'heading of spaces and a CR': fit(`#${' '.repeat(n)}x\r!\n`),
  'heading of spaces, #, CR': fit(`#${' '.repeat(n)}#\rx\n`),
  'status line of spaces': fit(`- Status:${' '.repeat(n)}x\n`),
  'status line of spaces and a CR': fit(`- Status:${' '.repeat(n)}\r!\n`),
  'status line of emphasis': fit(`**Status:${'*'.repeat(n)}x\n`),
  'status section of relations': fit(`# T\n\n## Status\n\n${'Superceded by [1. x'.repeat(n / 18)}\n`),
  'front matter of spaces': fit(`---\nstatus:${' '.repeat(n)}"x\n---\n`),
  'title number': fit(`# ADR-1${' '.repeat(n)}x\n`),
  'date line of digits': fit(`Date ${'1/'.repeat(n / 2)}\n`),
  'open brackets': fit('['.repeat(n)),
  'link openers': fit('[]('.repeat(n / 3)),
  'unclosed fences': fit('```x\n'.repeat(n / 5)),
  'fences between links': fit('[a](https://x.example)\n```\n'.repeat(n / 27)),
  'key comments': fit('<!--key:'.repeat(n / 8)),
  'index markers': fit('<!-- adr-index:start '.repeat(n / 21)),
  'state heading': fit(`## current state ${'['.repeat(n)}x\n`),
  'list of spaces': fit(`-${' '.repeat(n)}*\n`),
};

/** Everything that reads a bank's text: the ADR reader, lint (links, secrets, entries, index), language, upserts. */
function work(text: string): void {
  const adr = parseAdr('ADR-001-x.md', text);
  const bank: Bank = {
    dir: '/nonexistent-bench-bank',
    language: detectLanguage([text]),
    files: new Map([
      ['ADR-001-x.md', text],
      ['progress.md', text],
      ['decisionLog.md', text],
      ['activeContext.md', text],
    ]),
    adrs: [adr],
  };
  lintBank(bank);
  updateDecisionLog(text, [adr], 'en');
  upsertEntry(text, 'deploys', { key: 'deploy/production/1', body: '- 2026-01-01 · x', date: '2026-01-01' }, 'en');
  updateCurrentState(text, { environment: 'production', runId: '1', version: 'v1', result: 'success', date: '2026-01-01' }, 'en');
}

function median(text: string): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const start = process.hrtime.bigint();
    work(text);
    if (i >= 3) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN;
}

let over = false;
const base = median(normal);
console.log(`Memory-bank parsing, ${SIZE / 1024} KB inputs (median of ${RUNS}, Node ${process.version})`);
console.log(`${'normal bank text'.padEnd(30)} ${base.toFixed(2).padStart(8)} ms  1.00×`);
for (const [name, text] of Object.entries(CASES)) {
  const ms = median(text);
  const ratio = ms / base;
  over ||= ratio > BUDGET;
  console.log(
    `${name.padEnd(30)} ${ms.toFixed(2).padStart(8)} ms  ${ratio.toFixed(2)}×${ratio > BUDGET ? `  OVER ${BUDGET}× BUDGET` : ''}`,
  );
}
process.exitCode = over ? 1 : 0;
