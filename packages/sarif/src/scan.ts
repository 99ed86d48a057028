import { constants } from 'node:fs';
import { mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  errorMessage,
  exec as defaultExec,
  existingPath,
  InputError,
  jobRoots,
  quoteValue,
  writablePath,
  scrubbing,
  type Exec,
  type Logger,
} from '@pipeline-toolkit/core';
import { expandReports } from './files.ts';
import type { AggregateJob, AggregateOutcome } from './job.ts';
import type { ReportKind } from './load.ts';
import { isOwnOutputHead, SARIF_HEAD } from './model.ts';
import type { ScanOptions } from './options.ts';
import type { RepositoryLinks } from './report.ts';
import { runnableScanners } from './scanners/index.ts';
import { runAvailableScanners } from './scanners/run.ts';
import { parseGitleaksIgnore } from './scanners/gitleaks.ts';
import { loadBaseline, type BaselineJob } from './baseline.ts';
import { isPullRequestEvent } from './pull-request.ts';
import {
  checkGlobs,
  parseTrivyIgnore,
  parseTrivyIgnoreYaml,
  readIgnoreFile,
  readSemgrepIgnore,
  readSuppressions,
  type FindingPolicy,
  type Suppression,
  type TrivyIgnoreEntry,
} from './policy.ts';

export interface ScanDeps {
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** The repository root (GITHUB_WORKSPACE or the current directory): paths are relative to it. */
  cwd: string;
  exec?: Exec;
  which?: (name: string, env: NodeJS.ProcessEnv) => string | undefined;
  /** Names an input in messages: `Input 'x'` (action) or `--x` (CLI). */
  label?: (name: string) => string;
  /** Links for the job summary. */
  links?: RepositoryLinks;
  /** A baseline found elsewhere (the base branch's findings artifact), used when the baseline input is empty; `shown` names it. */
  foundBaseline?: { file: string; shown: string };
  /** Why no baseline was found, when one was looked for (said in the summary). */
  baselineNotFound?: string;
  /** Today, for the suppressions' expiry dates (tests set it). */
  now?: Date;
}

export interface ScanResult extends AggregateOutcome {
  sarifFile: string;
  findingsFile: string;
}

export { isPullRequestEvent } from './pull-request.ts';

/** The repository's Trivy ignore files (.trivyignore, .trivyignore.yaml), read as Trivy reads them. */
async function trivyIgnore(cwd: string, now: Date | undefined, log: Logger): Promise<TrivyIgnoreEntry[]> {
  const entries: TrivyIgnoreEntry[] = [];
  const text = await readIgnoreFile(cwd, '.trivyignore', 'trivy-report');
  if (text !== undefined) entries.push(...parseTrivyIgnore(text, '.trivyignore', now, (message) => log.warning(message)));
  for (const name of ['.trivyignore.yaml', '.trivyignore.yml']) {
    const yaml = await readIgnoreFile(cwd, name, 'trivy-report');
    if (yaml !== undefined) entries.push(...(await parseTrivyIgnoreYaml(yaml, name, { input: 'trivy-report', ...(now ? { now } : {}) })));
  }
  return entries;
}

/** The finding policy of the options and the repository's ignore files (policy.ts). */
export async function readPolicy(
  options: ScanOptions,
  deps: Pick<ScanDeps, 'cwd' | 'env' | 'label' | 'now' | 'log'>,
): Promise<FindingPolicy> {
  const label = deps.label ?? ((n: string) => `Input '${n}'`);
  let suppressions: Suppression[] = [];
  if (options.suppressions) {
    const file = existingPath(options.suppressions, {
      input: 'suppressions',
      label: label('suppressions'),
      roots: jobRoots(deps.env, deps.cwd, 'read'),
      cwd: deps.cwd,
      kind: 'file',
    });
    suppressions = await readSuppressions(file, options.suppressions, {
      input: 'suppressions',
      label: label('suppressions'),
      ...(deps.now ? { now: deps.now } : {}),
    });
  }
  // skip-paths is compiled in every thread that reads a report (and by the baseline): its brace sets are bounded first
  await checkGlobs(
    options.skipPaths.map((glob) => ({ glob, where: label('skip-paths') })),
    'skip-paths',
    'minimatch',
  );
  return {
    skipPaths: options.skipPaths,
    ignoreUnfixed: options.ignoreUnfixed,
    suppressions,
    trivyIgnore: await trivyIgnore(deps.cwd, deps.now, deps.log),
    semgrepIgnore: await readSemgrepIgnore(deps.cwd),
  };
}

/** The baseline to compare with and the gate's scope; a `new` scope without a baseline falls back to `all`, with the reason. */
async function baselineOf(
  options: ScanOptions,
  deps: ScanDeps,
  label: (name: string) => string,
): Promise<{ baseline?: BaselineJob; note?: string }> {
  const wanted = options.gateScope ?? (isPullRequestEvent(deps.env) ? 'new' : 'all');
  const source = options.baseline
    ? {
        file: existingPath(options.baseline, {
          input: 'baseline',
          label: label('baseline'),
          roots: jobRoots(deps.env, deps.cwd, 'read'),
          cwd: deps.cwd,
          kind: 'file',
        }),
        shown: options.baseline,
      }
    : deps.foundBaseline;
  if (!source) {
    if (wanted === 'all') return deps.baselineNotFound ? { note: deps.baselineNotFound } : {};
    const why = deps.baselineNotFound ?? 'no baseline was given';
    return { note: `Gate scope new needs a baseline, and ${why}: every finding can fail the gate (scope all).` };
  }
  const baseline = await loadBaseline(source.file, {
    input: 'baseline',
    label: label('baseline'),
    shown: source.shown,
    root: deps.cwd,
    scope: wanted,
    skipPaths: options.skipPaths,
  });
  return { baseline };
}

/** Fingerprints listed in the repository's .gitleaksignore, read as Gitleaks reads them. */
async function gitleaksIgnore(cwd: string): Promise<string[]> {
  const text = await readIgnoreFile(cwd, '.gitleaksignore', 'gitleaks-report');
  return text === undefined ? [] : parseGitleaksIgnore(text);
}

/**
 * The commit a diff-aware scan starts from: the merge base of `base` and HEAD, so that a pull
 * request's scan covers its own commits whatever the base branch did since. Needs the history of
 * both (a checkout with fetch-depth 0); an error names the input and says so.
 */
export async function mergeBase(base: string, cwd: string, exec: Exec, label: (name: string) => string): Promise<string> {
  try {
    const { stdout } = await exec('git', ['merge-base', base, 'HEAD'], { cwd, timeoutMs: 60_000 });
    const sha = stdout.trim();
    if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
    throw new Error(`git merge-base printed '${sha.slice(0, 80)}'`);
  } catch (error) {
    throw new InputError(
      'diff-base',
      `${label('diff-base')}: no merge base of '${base}' and HEAD in ${cwd} (${errorMessage(error).split('\n')[0]}). ` +
        'A diff-aware scan needs the history of both: check out with fetch-depth: 0.',
    );
  }
}

/**
 * The SARIF and findings files' paths, by what each is. Each is checked as every write is: inside
 * the job's roots when the CLI runs in a job (the action checks them itself first), and absent or
 * a regular file: a named pipe there would hold the writer for ever.
 */
function outputFiles(options: ScanOptions, deps: ScanDeps, label: (name: string) => string): Map<string, string> {
  const rule = { input: 'output-sarif', label: label('output-sarif'), roots: jobRoots(deps.env, deps.cwd, 'write'), cwd: deps.cwd };
  return new Map([
    [writablePath(options.outputSarif, rule), 'SARIF file'],
    [writablePath(options.findingsFile, rule), 'findings file'],
  ]);
}

/** Whether `file` begins as a SARIF or findings file this package wrote (model.ts). Read without waiting on a pipe. */
async function isOwnOutputFile(file: string): Promise<boolean> {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    if (!(await handle.stat()).isFile()) return false;
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SARIF_HEAD.length), 0, SARIF_HEAD.length, 0);
    return isOwnOutputHead(buffer.toString('utf8', 0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * The whole scan: expand the report inputs, run the available scanners for the reports not given,
 * then aggregate in a worker thread (see parallel/worker.ts): read, deduplicate, gate, write the SARIF and
 * findings files. Uploading is a separate step (uploadSarif).
 */
export async function runScan(options: ScanOptions, deps: ScanDeps): Promise<ScanResult> {
  const label = deps.label ?? ((n: string) => `Input '${n}'`);
  // every input file is checked before any scanner runs: a bad suppression fails fast
  const policy = await readPolicy(options, deps);
  const { baseline, note } = await baselineOf(options, deps, label);
  const sources: { input: string; label: string; kind: ReportKind; file: string }[] = [];
  const outputs = outputFiles(options, deps, label);
  // reports stay inside the workspace or RUNNER_TEMP, where a job's steps write them, links followed (ADR-051)
  const reportRoots = { roots: jobRoots(deps.env, deps.cwd, 'write') };
  for (const report of options.reports) {
    for (const file of await expandReports(report.patterns, deps.cwd, report.input, label, reportRoots)) {
      const output = outputs.get(file);
      if (output) {
        // a previous run's output is never an input (a rerun in the same folder; renamed ones carry a marker, load.ts)
        if (await isOwnOutputFile(file)) continue;
        throw new InputError(
          report.input,
          `${label(report.input)} names ${quoteValue(file)}, which is where ${label('output-sarif')} writes the ${output}: the report would be overwritten. Write the output elsewhere.`,
        );
      }
      sources.push({ input: report.input, label: label(report.input), kind: report.kind, file });
    }
  }
  if (options.runScanners === 'available') {
    const given = new Set(options.reports.map((r) => r.kind));
    const missing = runnableScanners()
      .map((s) => s.tool.id)
      .filter((k) => !given.has(k));
    const outDir = await mkdtemp(path.join(deps.env['RUNNER_TEMP'] ?? tmpdir(), 'security-scan-'));
    // the scanners and the git commands of the scan run without the job's credentials (ADR-051)
    const exec = scrubbing(deps.exec ?? defaultExec);
    const diffBase = options.diffBase ? await mergeBase(options.diffBase, deps.cwd, exec, label) : undefined;
    if (diffBase) deps.log.info(`Diff-aware scan: the changes since ${diffBase} (merge base of ${options.diffBase} and HEAD).`);
    const produced = await runAvailableScanners(
      missing,
      {
        workspace: deps.cwd,
        outDir,
        semgrepConfig: options.semgrepConfig,
        skipPaths: options.skipPaths,
        ...(diffBase ? { diffBase } : {}),
        ...(options.image ? { image: options.image } : {}),
        ...(options.trivyCacheDir ? { trivyCacheDir: options.trivyCacheDir } : {}),
        ...(options.scanTimeoutMs ? { timeoutMs: options.scanTimeoutMs } : {}),
      },
      { exec, log: deps.log, env: deps.env, which: deps.which },
    );
    for (const { kind, file } of produced) sources.push({ input: 'run-scanners', label: `${kind} (run-scanners)`, kind, file });
  }
  const job: AggregateJob = {
    sources,
    root: deps.cwd,
    gitleaksIgnore: await gitleaksIgnore(deps.cwd),
    policy,
    ...(baseline ? { baseline } : {}),
    ...(note ? { baselineNote: note } : {}),
    failOn: options.failOn,
    categoryPrefix: options.categoryPrefix,
    sarifFile: path.resolve(deps.cwd, options.outputSarif),
    findingsFile: path.resolve(deps.cwd, options.findingsFile),
    ...(deps.links ? { links: deps.links } : {}),
  };
  const outcome = await (await import('./parallel/worker.ts')).aggregateInWorker(job);
  return { ...outcome, sarifFile: job.sarifFile, findingsFile: job.findingsFile };
}
