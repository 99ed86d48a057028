/**
 * Benchmarks, always as ratios against a baseline measured in the same run (machines are noisy):
 *  1. cold start of every action bundle on its input-validation path vs bare `node -e 0`
 *     (budget ≤ 2.5×), runs interleaved, median of N;
 *  2. every bench/<name>.ts script (throughput and memory benchmarks of single packages).
 *
 *   node scripts/bench.ts [--runs 20]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 20;
const BUDGET = 2.5;

/** One invalid input per action: the path every user with a typo meets first. */
const INVALID: Record<string, Record<string, string>> = {
  'slack-notify': { INPUT_STATUS: 'bogus' },
  'security-scan': { 'INPUT_FAIL-ON': 'bogus' },
  'smoke-test': { INPUT_TARGET: 'ftp://nowhere' },
  'memory-bank': { INPUT_COMMAND: 'bogus' },
  deploy: { INPUT_MODE: 'bogus' },
  lint: { INPUT_LINTERS: 'bogus' },
  release: { INPUT_RECORD: 'bogus' },
};

function time(args: string[], env: Record<string, string>): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: 'pipe' });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  return elapsed;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

const bundles = Object.keys(INVALID).filter((name) => existsSync(path.join(root, 'dist', name, 'index.js')));
const samples: Record<string, number[]> = { baseline: [] };
for (let i = 0; i < RUNS + 2; i++) {
  const warm = i < 2;
  const base = time(['-e', '0'], {});
  if (!warm) samples['baseline']!.push(base);
  for (const name of bundles) {
    const t = time([path.join(root, 'dist', name, 'index.js')], INVALID[name]!);
    if (!warm) (samples[name] ??= []).push(t);
  }
}

const baseline = median(samples['baseline']!);
let over = false;
console.log(`Cold start, input-validation path (median of ${RUNS}, Node ${process.version})`);
console.log(`${'node -e 0'.padEnd(16)} ${baseline.toFixed(1).padStart(7)} ms  1.00×`);
for (const name of bundles) {
  const ms = median(samples[name]!);
  const ratio = ms / baseline;
  over ||= ratio > BUDGET;
  console.log(
    `${name.padEnd(16)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}×${ratio > BUDGET ? `  OVER ${BUDGET}× BUDGET` : ''}`,
  );
}

const benchDir = path.join(root, 'bench');
for (const file of existsSync(benchDir)
  ? readdirSync(benchDir)
      .filter((f) => f.endsWith('.ts'))
      .sort()
  : []) {
  console.log(`\n${file}`);
  const result = spawnSync(process.execPath, [path.join(benchDir, file)], { stdio: 'inherit' });
  over ||= result.status !== 0;
}
process.exitCode = over ? 1 : 0;
