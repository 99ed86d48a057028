/**
 * Security-scan scanner benchmark with the real Gitleaks, Semgrep and Trivy of `npm run tools`, run
 * by run-scanners (runAvailableScanners, the action's own path: the registry's pinned command lines)
 * (Trivy with the vulnerability database built offline from the advisories kept in the repository)
 * over a large real repository: Django's source distribution from PyPI at a pinned version and hash,
 * kept in ~/.cache/pipeline-toolkit/bench/django-<version>/ as a git repository with a base commit
 * (the release) and a pull-request commit that changes one file (it adds an eval of user input and
 * an AWS key pair, which every scanner must then report). Two figures, each against a baseline
 * measured in the same run, median of --runs rounds (the scanners alone, side by side, and the
 * pull request scan interleaved in each round):
 *  1. side by side: the full scan of the three scanners at once / the slowest scanner alone (≤ 1.15×);
 *  2. pull request: the diff-aware scan (diff-base = the base commit) / the full scan (≤ 20%).
 * Skips (exit 0, with the reason) when the scanners are not installed.
 *
 *   node bench/scan.ts [--runs 3]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { exec, MemoryLogger } from '../packages/core/src/index.ts';
import { runAvailableScanners } from '../packages/sarif/src/index.ts';
import type { AvailableOptions } from '../packages/sarif/src/scanners/run.ts';
import { toolsManifest, type ToolEntry } from '../packages/testing/src/tools.ts';
import { offlineTrivyCache } from '../packages/testing/src/trivy-db.ts';

const SIDE_BY_SIDE_BUDGET = 1.15;
const PR_BUDGET = 0.2;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;
const CORES = availableParallelism();

const root = path.resolve(import.meta.dirname, '..');
const SCANNERS = ['gitleaks', 'semgrep', 'trivy'] as const;
/** The rules security-scan runs when semgrep-config is empty. */
const SEMGREP_RULES = path.join(root, 'actions', 'security-scan', 'scanners', 'semgrep-rules');

/** The large real repository: Django's sdist on PyPI; the hash is the one PyPI lists for the file. */
const SOURCE = {
  name: 'django',
  version: '5.2.8',
  file: 'django-5.2.8.tar.gz',
  sha256: '23254866a5bb9a2cfa6004e8b809ec6246eba4b58a7589bc2772f1bcc8456c7f',
};
/** The one file the pull request changes (under django/, which Semgrep's default ignore list does not skip). */
const CHANGED = 'django/utils/text.py';
const AWS_KEY = ['AKIA', 'Z3MSJV4WWNKWW5GF'].join('');
const AWS_SECRET = ['uH3kLqR8vT2nW9xY4zA6', 'bC1dE5fG7hJ0kL3mN8pQ'].join('');
const CHANGE = `\n\ndef run_expression(user_input):\n    aws_access_key_id = "${AWS_KEY}"\n    aws_secret_access_key = "${AWS_SECRET}"\n    return eval(user_input)\n`;

const cacheDir = path.join(homedir(), '.cache', 'pipeline-toolkit', 'bench', `${SOURCE.name}-${SOURCE.version}`);

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1).padStart(6)} s`;

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 }).trim();
}

interface Repository {
  dir: string;
  base: string;
  head: string;
}

/**
 * The cached repository, made on first use: pip downloads the sdist (hash-checked), it is unpacked
 * and committed as the base, then the change is committed on top. Fixed dates and author make
 * the two commits the same on every machine. A half-made folder is never taken for a ready one.
 */
function repository(): Repository {
  const marker = path.join(cacheDir, 'commits.json');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as Repository;
  const stage = `${cacheDir}.partial`;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(path.join(stage, 'download'), { recursive: true });
  writeFileSync(path.join(stage, 'requirements.txt'), `${SOURCE.name}==${SOURCE.version} --hash=sha256:${SOURCE.sha256}\n`);
  console.log(`Downloading ${SOURCE.name} ${SOURCE.version} (sdist) with pip into ${cacheDir} …`);
  const pip = spawnSync(
    'python3',
    [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--no-binary',
      ':all:',
      '--require-hashes',
      '-r',
      'requirements.txt',
      '--dest',
      'download',
      '--quiet',
    ],
    { cwd: stage, encoding: 'utf8' },
  );
  if (pip.status !== 0)
    throw new Error(`pip could not download ${SOURCE.name}==${SOURCE.version}: ${(pip.stderr || String(pip.error)).trim().slice(-2000)}`);
  const dir = path.join(stage, 'repo');
  mkdirSync(dir);
  execFileSync('tar', ['-xzf', path.join(stage, 'download', SOURCE.file), '-C', dir, '--strip-components', '1']);
  const who = {
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  };
  const at = (date: string) => ({ ...who, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['-c', 'core.excludesFile=/dev/null', 'add', '--all', '--force']);
  git(dir, ['commit', '-q', '--no-gpg-sign', '-m', `${SOURCE.name} ${SOURCE.version}`], at('2025-11-05T12:00:00Z'));
  const base = git(dir, ['rev-parse', 'HEAD']);
  if (!existsSync(path.join(dir, CHANGED))) throw new Error(`${SOURCE.name} ${SOURCE.version} has no ${CHANGED} to change`);
  writeFileSync(path.join(dir, CHANGED), readFileSync(path.join(dir, CHANGED), 'utf8') + CHANGE);
  git(dir, ['add', CHANGED]);
  git(dir, ['commit', '-q', '--no-gpg-sign', '-m', 'text: evaluate an expression'], at('2025-11-06T12:00:00Z'));
  const head = git(dir, ['rev-parse', 'HEAD']);
  rmSync(path.join(stage, 'download'), { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
  renameSync(stage, cacheDir);
  const ready: Repository = { dir: path.join(cacheDir, 'repo'), base, head };
  writeFileSync(marker, JSON.stringify(ready, null, 2));
  return ready;
}

/** What was measured: files and bytes of the tree (as git tracks it), commits, and the change. */
function sizes(repo: Repository): string {
  const files = git(repo.dir, ['ls-files', '-z']).split('\0').filter(Boolean);
  let bytes = 0;
  for (const file of files) {
    const info = lstatSync(path.join(repo.dir, file), { throwIfNoEntry: false });
    if (info?.isFile()) bytes += info.size;
  }
  const commits = git(repo.dir, ['rev-list', '--count', 'HEAD']);
  const diff = git(repo.dir, ['diff', '--shortstat', repo.base, repo.head]);
  return `${SOURCE.name} ${SOURCE.version} (PyPI sdist): ${files.length} files, ${(bytes / 1048576).toFixed(1)} MB, ${commits} commits; the pull request: ${diff} (${CHANGED})`;
}

interface Scan {
  ms: number;
  /** CPU time of the scanners (user + system of the child processes this process waited for). */
  cpuMs: number;
  reports: { kind: string; file: string }[];
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time of the waited-for children so far (Linux: cutime and cstime of /proc/self/stat), or NaN. */
function childrenCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** One run-scanners call, timed, in a fresh report folder. */
async function scan(kinds: readonly string[], options: Omit<AvailableOptions, 'outDir'>, tools: Record<string, ToolEntry>): Promise<Scan> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'bench-scan-'));
  const log = new MemoryLogger();
  const cpu = childrenCpuMs();
  const start = process.hrtime.bigint();
  try {
    const reports = await runAvailableScanners(
      kinds,
      { ...options, outDir },
      { exec, log, env: process.env, which: (name) => tools[name]?.path },
    );
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const cpuMs = childrenCpuMs() - cpu;
    // the reports are read before the folder goes
    return { ms, cpuMs, reports: reports.map((r) => ({ kind: r.kind, file: readFileSync(r.file, 'utf8') })) };
  } catch (error) {
    console.error(log.lines.map((l) => l.message).join('\n'));
    throw error;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The findings each scanner reported in the changed file (the pull request's). */
function findingsInChange(reports: Scan['reports']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { kind, file } of reports) {
    const doc = JSON.parse(file) as unknown;
    if (kind === 'gitleaks') counts[kind] = (doc as { File: string }[]).filter((l) => l.File.endsWith(CHANGED)).length;
    if (kind === 'semgrep') counts[kind] = (doc as { results: { path: string }[] }).results.filter((r) => r.path.endsWith(CHANGED)).length;
    if (kind === 'trivy') {
      const results = (doc as { Results?: { Target: string; Secrets?: unknown[] }[] }).Results ?? [];
      counts[kind] = results.filter((r) => r.Target.endsWith(CHANGED)).reduce((n, r) => n + (r.Secrets?.length ?? 0), 0);
    }
  }
  return counts;
}

async function main(): Promise<number> {
  const manifest = toolsManifest();
  const missing = SCANNERS.filter((name) => !manifest[name] || !existsSync(manifest[name].path));
  if (missing.length) {
    console.log(`SKIP: ${missing.join(', ')} not installed (run 'npm run tools'); the scanner benchmark needs the real scanners.`);
    return 0;
  }
  const repo = repository();
  console.log(sizes(repo));
  console.log(
    `Scanners: ${SCANNERS.map((s) => `${s} ${manifest[s]!.version}`).join(', ')}; Semgrep rules: the bundled ones; ${RUNS} rounds (median)`,
  );
  // Trivy's database cannot be downloaded here: the one built offline from the real advisories kept
  // in the repository (ADR-033), made ready beforehand as install-scanners does (--cache-dir,
  // --skip-db-update); its misconfiguration checks are the ones it embeds.
  let trivyCache: string;
  try {
    trivyCache = offlineTrivyCache();
  } catch (error) {
    console.log(`SKIP: no Trivy vulnerability database (${(error as Error).message.split('\n')[0]}); run 'npm run tools'.`);
    return 0;
  }
  process.env['TRIVY_SKIP_CHECK_UPDATE'] = 'true';
  console.log('Trivy: vulnerabilities (offline database), misconfigurations and secrets');
  console.log(`Load before: ${uptime()}`);
  const options = { workspace: repo.dir, semgrepConfig: [SEMGREP_RULES], trivyCacheDir: trivyCache };
  const samples: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  let prFindings: Record<string, number> = {};
  let fullFindings: Record<string, number> = {};
  try {
    // a round first, not counted: the page cache holds the tree, each scanner has started once
    await scan(SCANNERS, options, manifest);
    for (let round = 0; round < RUNS; round++) {
      // the order turns each round, so that no measurement always follows the same one
      const steps: [string, () => Promise<Scan>][] = [
        ...SCANNERS.map((kind): [string, () => Promise<Scan>] => [kind, () => scan([kind], options, manifest)]),
        ['side by side', () => scan(SCANNERS, options, manifest)],
        ['pull request', () => scan(SCANNERS, { ...options, diffBase: repo.base }, manifest)],
      ];
      for (let i = 0; i < steps.length; i++) {
        const [name, run] = steps[(i + round) % steps.length]!;
        const result = await run();
        (samples[name] ??= []).push(result.ms);
        (cpu[name] ??= []).push(result.cpuMs);
        if (name === 'pull request') prFindings = findingsInChange(result.reports);
        if (name === 'side by side') fullFindings = findingsInChange(result.reports);
      }
    }
  } finally {
    rmSync(trivyCache, { recursive: true, force: true });
  }
  let failed = false;
  const slowest = Math.max(...SCANNERS.map((s) => median(samples[s]!)));
  const line = (name: string, label = name) =>
    console.log(
      `  ${label.padEnd(16)} ${seconds(median(samples[name]!))} wall (${samples[name]!.map((ms) => (ms / 1000).toFixed(1)).join(', ')}), ${seconds(median(cpu[name]!))} CPU`,
    );
  console.log(`Full scan of the tree (median of ${RUNS}; ${CORES} cores):`);
  for (const s of SCANNERS) line(s, `${s} alone`);
  line('side by side');
  const full = median(samples['side by side']!);
  const ratio = full / slowest;
  // side by side cannot take less than the CPU time the scanners need, shared out over the cores
  const floor = median(cpu['side by side']!) / CORES / slowest;
  console.log(
    `${ratio <= SIDE_BY_SIDE_BUDGET ? 'OK  ' : 'OVER'} side by side / slowest alone: ${ratio.toFixed(2)}× (budget ≤ ${SIDE_BY_SIDE_BUDGET}×; their CPU time over ${CORES} cores alone makes ${floor.toFixed(2)}×)`,
  );
  failed ||= ratio > SIDE_BY_SIDE_BUDGET;
  const pr = median(samples['pull request']!);
  const share = pr / full;
  line('pull request');
  console.log(
    `${share <= PR_BUDGET ? 'OK  ' : 'OVER'} pull request scan / full scan: ${(share * 100).toFixed(1)}% (budget ≤ ${PR_BUDGET * 100}%)`,
  );
  failed ||= share > PR_BUDGET;
  // the pull request scan is only fast if it still sees the change: each scanner must report in the changed file
  const shown = (c: Record<string, number>) => SCANNERS.map((s) => `${s} ${c[s] ?? 0}`).join(', ');
  const missed = SCANNERS.filter((s) => !prFindings[s]);
  console.log(`Findings in the changed file: pull request scan ${shown(prFindings)}; full scan ${shown(fullFindings)}`);
  if (missed.length) console.log(`MISSED: the pull request scan found nothing of the change with ${missed.join(', ')}`);
  failed ||= missed.length > 0;
  console.log(`Load after: ${uptime()}`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
