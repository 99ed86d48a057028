/**
 * The measured side of bench/sarif.ts, in plain JavaScript: a TypeScript entry would load Node's
 * type stripper into the measured process (about 17 MB of peak RSS that the action never pays).
 *
 *   node bench/sarif-child.mjs --parse|--aggregate <dir> <figures.json>
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const REPORTS = ['gitleaks.json', 'semgrep.json', 'trivy.json'];

/** CPU time (user + system, all threads) since `since`, in ms: steadier than wall time on a busy machine. */
function cpuMs(since) {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

/** JSON.parse every report, one after another, as the baseline. */
function parse(dir, out) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let items = 0;
  for (const name of REPORTS) {
    const doc = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    if (Array.isArray(doc)) items += doc.length;
    else if (doc.results) items += doc.results.length;
    else for (const r of doc.Results ?? []) items += r.Vulnerabilities?.length ?? 0;
  }
  writeFileSync(out, JSON.stringify({ ms: performance.now() - start, cpuMs: cpuMs(cpu), items, maxRssKb: process.resourceUsage().maxRSS }));
}

/**
 * The aggregation as the runner runs it — the built action, dist/security-scan/index.js, with the
 * three reports as inputs (fail-on: none) and a fresh output folder, as in a new checkout —
 * imported in this process so that its peak RSS can be read here afterwards. Workflow commands
 * go to stdout; the figures go to a file.
 */
async function aggregate(dir, out) {
  for (const name of ['output', 'state', 'summary', 'env']) writeFileSync(path.join(dir, `runner-${name}`), '');
  rmSync(path.join(dir, 'out'), { recursive: true, force: true });
  Object.assign(process.env, {
    'INPUT_GITLEAKS-REPORT': 'gitleaks.json',
    'INPUT_SEMGREP-REPORT': 'semgrep.json',
    'INPUT_TRIVY-REPORT': 'trivy.json',
    'INPUT_FAIL-ON': 'none',
    'INPUT_OUTPUT-SARIF': 'out/security-scan.sarif',
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: path.join(dir, 'runner-output'),
    GITHUB_STATE: path.join(dir, 'runner-state'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'runner-summary'),
    GITHUB_ENV: path.join(dir, 'runner-env'),
    GITHUB_REPOSITORY: 'acme/bench',
    GITHUB_SHA: 'f'.repeat(40),
  });
  const start = performance.now();
  const cpu = process.cpuUsage();
  await import(process.env['BENCH_DIST'] ?? path.join(root, 'dist', 'security-scan', 'index.js'));
  const ms = performance.now() - start;
  const cpuTime = cpuMs(cpu);
  if (process.exitCode) throw new Error(`the action failed (exit code ${process.exitCode})`);
  writeFileSync(out, JSON.stringify({ ms, cpuMs: cpuTime, maxRssKb: process.resourceUsage().maxRSS }));
}

const [mode, dir, out] = process.argv.slice(2);
if (mode === '--parse') parse(dir, out);
else if (mode === '--aggregate') await aggregate(dir, out);
else throw new Error(`usage: node bench/sarif-child.mjs --parse|--aggregate <dir> <figures.json>`);
