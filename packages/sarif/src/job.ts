import type { MessagePort } from 'node:worker_threads';
import { Aggregator, countAll, type FindingCounts, type SeverityCounts } from './aggregate.ts';
import { gateOf, type GateResult } from './gate.ts';
import { readReports, type ReportKind } from './load.ts';
import type { Pause } from './parallel/reader.ts';
import type { Finding, Threshold, ToolInfo } from './model.ts';
import { planOutputs, renderFiles, ShardOutput } from './output.ts';
import { reportInputError } from './parallel/errors.ts';
import { splitOf, type Split } from './parallel/split.ts';
import { annotations, consoleReport, summaryMarkdown, type Annotation, type RepositoryLinks } from './report.ts';
import type { SarifStats } from './writer.ts';
import type { FindingPolicy } from './policy.ts';
import { compareWithBaseline, type BaselineJob, type BaselineOutcome } from './baseline.ts';

/** Everything the aggregation needs: plain data, so that it can run in a worker thread. */
export interface AggregateJob {
  sources: { input: string; label: string; kind: ReportKind; file: string }[];
  root: string;
  gitleaksIgnore: string[];
  /** skip-paths, ignore files, ignore-unfixed and suppressions, applied to each finding as it is read (policy.ts). */
  policy?: FindingPolicy;
  /** The baseline to compare with (baseline.ts), and which findings gate. */
  baseline?: BaselineJob;
  /** Said in the summary about the baseline: why none was used, or why the scope fell back to `all`. */
  baselineNote?: string;
  failOn: Threshold;
  categoryPrefix: string;
  sarifFile: string;
  findingsFile: string;
  links?: RepositoryLinks;
  /** Reports of at least this many bytes in all are read by two threads (default 8 MB; tests lower it). */
  parallelFrom?: number;
  /** Where the reports are divided between the threads (default: divideReports; tests set it). */
  split?: Split;
  /** A shard already started for this split (by the main thread, at the same time as this thread), reached through this port. */
  shardPort?: MessagePort;
}

/** What the aggregation gives back: counts and rendered reports, not the (possibly 100,000) findings. */
export interface AggregateOutcome {
  tools: ToolInfo[];
  counts: { bySeverity: SeverityCounts; suppressed: number; total: number };
  gate: GateResult;
  /** The comparison with the baseline, when one was given or found. */
  baseline?: BaselineOutcome;
  baselineNote?: string;
  /** The first different problems the scanners reported (PROBLEMS_LISTED), redacted. */
  problems: string[];
  /** When the list was cut: every problem reported, repeats included. */
  problemReports?: number;
  sarif: SarifStats;
  summary: string;
  console: string;
  annotations: Annotation[];
}

/** Reads sources in order into `agg` (the last one up to `until`); a bad report becomes an InputError naming its input. */
export async function readSources(
  agg: Aggregator,
  job: AggregateJob,
  sources: AggregateJob['sources'],
  until?: number,
  pause?: Pause,
): Promise<void> {
  const last = sources.length - 1;
  const reports = sources.map(({ file, kind }, i) => ({
    file,
    kind,
    ...(until !== undefined && i === last ? { division: { at: until, side: 'before' as const } } : {}),
  }));
  const failed = await readReports(agg, reports, job.root, job.gitleaksIgnore, pause, job.policy);
  if (failed) throw reportInputError(sources[failed.index]!, failed.error, agg.secrets);
}

/**
 * Reads every report (streaming the large JSON arrays), deduplicates, gates, and writes the SARIF
 * and findings files. Every output is built from the findings, whose texts the Aggregator has
 * already redacted. Large inputs are read by two threads (see parallel/README.md): this one reads the
 * earlier reports, a shard the later ones, and each writes its own findings' part of the files.
 */
export async function aggregateJob(job: AggregateJob): Promise<AggregateOutcome> {
  const split = splitOf(job);
  const agg = new Aggregator();
  if (split.index >= job.sources.length) {
    await readSources(agg, job, job.sources);
    const findings = agg.finish();
    const output = new ShardOutput(findings, job.root);
    const plan = planOutputs([output.describe()], agg.tools, job);
    renderFiles(output, plan, 0, { sarif: job.sarifFile, findings: job.findingsFile }, true);
    const counts = countAll(findings, agg.tools);
    return await outcome(job, agg, { findings, counts }, plan.stats);
  }

  return (await import('./parallel/coordinator.ts')).aggregateInTwoThreads(job, split, agg);
}

/** The outcome from every finding's counts and the head of the sorted findings. */
export async function outcome(
  job: AggregateJob,
  agg: Aggregator,
  seen: { findings: Finding[]; counts: FindingCounts },
  sarif: SarifStats,
): Promise<AggregateOutcome> {
  // the findings file is complete (both threads' parts): the baseline is compared with it
  const baseline = job.baseline ? await compareWithBaseline(job.findingsFile, job.baseline) : undefined;
  const scoped = baseline?.scope === 'new';
  const gate = {
    ...gateOf(scoped ? baseline.newBySeverity : seen.counts.bySeverity, job.failOn),
    scope: scoped ? ('new' as const) : ('all' as const),
  };
  const problems = agg.problems.map((p) => agg.secrets.redact(p));
  const more = agg.problemsCut ? { problemReports: agg.problemReports } : {};
  const report = {
    findings: seen.findings,
    counts: seen.counts,
    tools: agg.tools,
    gate,
    problems,
    ...more,
    sarif,
    ...(job.policy?.skipPaths.length ? { skipPaths: { globs: job.policy.skipPaths, skipped: agg.skippedPaths } } : {}),
    ...(baseline ? { baseline } : {}),
    ...(job.baselineNote ? { baselineNote: job.baselineNote } : {}),
  };
  const { bySeverity, suppressed, total } = seen.counts;
  return {
    tools: agg.tools,
    counts: { bySeverity, suppressed, total },
    gate,
    ...(baseline ? { baseline } : {}),
    ...(job.baselineNote ? { baselineNote: job.baselineNote } : {}),
    problems,
    ...more,
    sarif,
    summary: summaryMarkdown(report, job.links),
    console: consoleReport(report),
    annotations: annotations(seen.findings, agg.tools),
  };
}
