import { availableParallelism } from 'node:os';
import path from 'node:path';
import { errorMessage, ExternalError, findOnPath, formatDuration } from '@pipeline-toolkit/core';
import { scannerById } from './index.ts';
import type { RunOptions, ScannerDeps } from './scanner.ts';

export { MALICIOUS_TRIVY } from './trivy.ts';

/** A scanner's id (`gitleaks`): one of the registry's. */
export type ScannerKind = string;

export interface ScannerCommand {
  kind: ScannerKind;
  /** The run's name: the scanner's id, or a further run's (`trivy-image`). */
  name: string;
  command: string;
  args: string[];
  /** Extra environment; values already set in the environment win (so a user can, say, choose Trivy's scanners). */
  env: Record<string, string>;
  report: string;
  okExitCodes: number[];
  /** Where it runs (a private copy of the workspace, see ScannerRun.isolate, or the scanner's own `cwd`); else the action's working directory. */
  cwd?: string;
}

/** Where run-scanners has a scanner write its report. */
const reportFile = (name: string, outDir: string) => path.join(outDir, `${name}.json`);

/** What a scanner run is given besides the program: where to scan and write, and how. */
export type CommandOptions = Omit<RunOptions, 'report'> & { command: string; outDir: string };

/** The pinned command line of a scanner (its module's `run`), JSON report into `outDir/<id>.json`. */
export function scannerCommand(kind: ScannerKind, options: CommandOptions): ScannerCommand {
  return scannerCommands(kind, options)[0]!;
}

/** Every run of a scanner with these options: its own, then its further ones (Trivy's image scan). */
export function scannerCommands(kind: ScannerKind, options: CommandOptions): ScannerCommand[] {
  const run = scannerById(kind)?.run;
  if (!run) throw new Error(`No scanner '${kind}' that run-scanners can run.`);
  const { command, outDir, ...rest } = options;
  const report = reportFile(kind, outDir);
  const common = {
    kind,
    command,
    env: { ...run.env, ...rest.isolatedEnv },
    okExitCodes: run.okExitCodes,
    ...(rest.isolatedIn ? { cwd: rest.isolatedIn } : {}),
  };
  const cwd = run.cwd?.({ ...rest, report });
  return [
    { ...common, name: kind, args: run.args({ ...rest, report }), report, ...(cwd ? { cwd } : {}) },
    ...(run.more?.(rest) ?? []).map((extra) => {
      const file = reportFile(extra.name, outDir);
      return { ...common, name: extra.name, args: extra.args(file), report: file };
    }),
  ];
}

/** What runAvailableScanners is given. */
export type AvailableOptions = Omit<RunOptions, 'report'> & {
  outDir: string;
  timeoutMs?: number;
  /** Whether Semgrep side by side is held to its share of the cores (shareCores); default true. False only to measure the rule (bench/scan.ts). */
  shareCores?: boolean;
};

/**
 * The share of the runner's `cores` of each of `runs` scanner runs that go side by side, in their
 * order: an equal share (at least one), the remainder one each to the first runs. A run alone
 * keeps every core. Only a scanner that declares how to hold itself to it (ScannerRun.cores) is
 * held to its share: Semgrep, whose parallel scan slows down when its threads outnumber the cores
 * it gets. Gitleaks and Trivy (Go) are not: held to a share, the longest run leaves cores idle
 * once the others end (measured: 1.4–1.5× slower on 2 cores). See docs/security-scan.md, ADR-036.
 */
export function shareCores(runs: number, cores: number): number[] | undefined {
  if (runs <= 1) return undefined;
  const each = Math.floor(cores / runs);
  const extra = cores % runs;
  return Array.from({ length: runs }, (_, i) => Math.max(1, each + (i < extra ? 1 : 0)));
}

/** The run held to its share of the cores (ScannerRun.cores): the limit's arguments after the subcommand, its environment added. */
function limitedTo(run: ScannerCommand, cores: number | undefined): ScannerCommand {
  const limit = cores === undefined ? undefined : scannerById(run.kind)?.run?.cores?.(cores);
  if (!limit) return run;
  const [subcommand, ...rest] = run.args;
  return {
    ...run,
    args: limit.args?.length && subcommand !== undefined ? [subcommand, ...limit.args, ...rest] : run.args,
    env: { ...run.env, ...limit.env },
  };
}

/**
 * `run-scanners: available`: runs each scanner whose report was not given and that is on PATH —
 * all of them at the same time, each in its own process — and returns the reports they wrote. A
 * scanner that is not there is skipped with a notice. Each run's output is printed in a group of
 * its own once it ends (side by side runs would interleave their lines), with its duration.
 */
export async function runAvailableScanners(
  kinds: readonly ScannerKind[],
  options: AvailableOptions,
  deps: ScannerDeps,
): Promise<{ kind: ScannerKind; file: string }[]> {
  // the private copies some scanners run in (ScannerRun.isolate), removed whatever happens
  const cleanups: (() => Promise<void>)[] = [];
  try {
    return await planAndRun(kinds, options, deps, cleanups);
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => deps.log.warning(errorMessage(error)));
  }
}

async function planAndRun(
  kinds: readonly ScannerKind[],
  options: AvailableOptions,
  deps: ScannerDeps,
  cleanups: (() => Promise<void>)[],
): Promise<{ kind: ScannerKind; file: string }[]> {
  const which = deps.which ?? findOnPath;
  const { outDir, timeoutMs, shareCores: share = true, ...runOptions } = options;
  let planned: ScannerCommand[] = [];
  for (const kind of kinds) {
    const spec = scannerById(kind)?.run;
    if (!spec) continue;
    const command = which(spec.command, deps.env);
    if (!command) {
      deps.log.notice(`run-scanners: ${kind} is not on PATH; its report is skipped.`);
      continue;
    }
    const skipped = spec.skip?.({ ...runOptions, report: reportFile(kind, outDir) });
    if (skipped) {
      deps.log.notice(`run-scanners: ${skipped}`);
      continue;
    }
    await spec.check?.(command, deps);
    const specOptions = { ...runOptions, workDir: runOptions.workDir ?? outDir, report: reportFile(kind, outDir) };
    await spec.prepare?.(specOptions, deps);
    const isolated = await spec.isolate?.(specOptions, deps);
    if (isolated) cleanups.push(() => isolated.cleanup());
    planned.push(
      ...scannerCommands(kind, {
        ...runOptions,
        command,
        outDir,
        ...(isolated ? { isolatedIn: isolated.dir, ...(isolated.env ? { isolatedEnv: isolated.env } : {}) } : {}),
      }),
    );
  }
  const cores = deps.cores ?? availableParallelism();
  const shares = share ? shareCores(planned.length, cores) : undefined;
  const limited = planned.map((run, i) => limitedTo(run, shares?.[i]));
  const held = limited.flatMap((run, i) => (run !== planned[i] ? [`${run.name} ${shares![i]}`] : []));
  if (held.length)
    deps.log.info(`run-scanners: ${planned.length} runs side by side on ${cores} cores; held to their share: ${held.join(', ')}.`);
  planned = limited;
  const started = Date.now();
  const settled = await Promise.allSettled(
    planned.map(async (run) => {
      const env = Object.fromEntries(Object.entries(run.env).filter(([k]) => deps.env[k] === undefined));
      const t0 = Date.now();
      const scanner = scannerById(run.kind);
      const explain = scanner?.run?.explainFailure;
      const result = await deps
        .exec(run.command, run.args, {
          ...(run.cwd ? { cwd: run.cwd } : {}),
          env,
          okExitCodes: run.okExitCodes,
          timeoutMs: timeoutMs ?? SCAN_TIMEOUT_MS,
          timeoutInput: 'scan-timeout',
          ...(explain ? { explainFailure: (failed) => explain(run.report, failed) } : {}),
        })
        .catch((error: unknown) => {
          // the scanner's own words may hold a secret (in a path, a rule's message): redacted here, shown escaped by the logger
          const message = `run-scanners: ${scanner?.tool.name ?? run.kind}${run.name === run.kind ? '' : ` (${run.name})`} failed: ${errorMessage(error)}`;
          throw new ExternalError(deps.log.redactor.redact(message));
        });
      return { ...result, ms: Date.now() - t0 };
    }),
  );
  for (const [i, outcome] of settled.entries()) {
    const run = planned[i]!;
    const what = outcome.status === 'fulfilled' ? `done in ${formatDuration(outcome.value.ms)}` : 'failed';
    await deps.log.group(`Ran ${run.name} (${what})`, async () => {
      if (outcome.status === 'rejected') return deps.log.info(errorMessage(outcome.reason));
      for (const line of `${outcome.value.stdout}\n${outcome.value.stderr}`.split(/\r?\n/)) if (line.trim()) deps.log.info(line);
    });
  }
  if (planned.length > 1)
    deps.log.info(`run-scanners: ${planned.map((r) => r.name).join(', ')} ran side by side in ${formatDuration(Date.now() - started)}.`);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return planned.map((run) => ({ kind: run.kind, file: run.report }));
}

/** A scanner that runs longer than this is stopped (input scan-timeout). */
const SCAN_TIMEOUT_MS = 30 * 60_000;
