import path from 'node:path';
import { findOnPath } from '@pipeline-toolkit/core';
import { scannerById } from './index.ts';
import type { RunOptions, ScannerDeps } from './scanner.ts';

export { MALICIOUS_TRIVY } from './trivy.ts';

/** A scanner's id (`gitleaks`): one of the registry's. */
export type ScannerKind = string;

export interface ScannerCommand {
  kind: ScannerKind;
  command: string;
  args: string[];
  /** Extra environment; values already set in the environment win (so a user can, say, choose Trivy's scanners). */
  env: Record<string, string>;
  report: string;
  okExitCodes: number[];
}

/** Where run-scanners has a scanner write its report. */
const reportFile = (kind: ScannerKind, outDir: string) => path.join(outDir, `${kind}.json`);

/** The pinned command line of a scanner (its module's `run`), JSON report into `outDir/<id>.json`. */
export function scannerCommand(
  kind: ScannerKind,
  options: { command: string; workspace: string; outDir: string; semgrepConfig: readonly string[]; skipPaths?: readonly string[] },
): ScannerCommand {
  const run = scannerById(kind)?.run;
  if (!run) throw new Error(`No scanner '${kind}' that run-scanners can run.`);
  const { command } = options;
  const runOptions = runOptionsOf(kind, options);
  return { kind, command, args: run.args(runOptions), env: { ...run.env }, report: runOptions.report, okExitCodes: run.okExitCodes };
}

function runOptionsOf(
  kind: ScannerKind,
  options: { workspace: string; outDir: string; semgrepConfig: readonly string[]; skipPaths?: readonly string[] },
): RunOptions {
  return {
    report: reportFile(kind, options.outDir),
    workspace: options.workspace,
    semgrepConfig: options.semgrepConfig,
    skipPaths: options.skipPaths ?? [],
    workDir: options.outDir,
  };
}

/**
 * `run-scanners: available`: runs each scanner whose report was not given and that is on PATH,
 * and returns the reports it wrote. A scanner that is not there is skipped with a notice.
 */
export async function runAvailableScanners(
  kinds: readonly ScannerKind[],
  options: { workspace: string; outDir: string; semgrepConfig: readonly string[]; skipPaths?: readonly string[]; timeoutMs?: number },
  deps: ScannerDeps,
): Promise<{ kind: ScannerKind; file: string }[]> {
  const which = deps.which ?? findOnPath;
  const reports: { kind: ScannerKind; file: string }[] = [];
  for (const kind of kinds) {
    const spec = scannerById(kind)?.run;
    if (!spec) continue;
    const command = which(spec.command, deps.env);
    if (!command) {
      deps.log.notice(`run-scanners: ${kind} is not on PATH; its report is skipped.`);
      continue;
    }
    const skipped = spec.skip?.(runOptionsOf(kind, options));
    if (skipped) {
      deps.log.notice(`run-scanners: ${skipped}`);
      continue;
    }
    await spec.check?.(command, deps);
    await spec.prepare?.(runOptionsOf(kind, options));
    const run = scannerCommand(kind, { command, ...options });
    const env = Object.fromEntries(Object.entries(run.env).filter(([k]) => deps.env[k] === undefined));
    await deps.log.group(`Running ${kind}`, () =>
      deps.exec(run.command, run.args, {
        env,
        okExitCodes: run.okExitCodes,
        logger: deps.log,
        stream: true,
        timeoutMs: options.timeoutMs ?? SCAN_TIMEOUT_MS,
        timeoutInput: 'scan-timeout',
      }),
    );
    reports.push({ kind, file: run.report });
  }
  return reports;
}

/** A scanner that runs longer than this is stopped (input scan-timeout). */
const SCAN_TIMEOUT_MS = 30 * 60_000;
