import { rmSync } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { InputError } from '@pipeline-toolkit/core';
import { addCounts, Aggregator, countAll, type FindingCounts, type SeverityCounts } from './aggregate.ts';
import { gateOf, type GateResult } from './gate.ts';
import { ReportError } from './json.ts';
import { readReports, type ReportKind } from './load.ts';
import type { Finding, Threshold, ToolInfo } from './model.ts';
import {
  assembleFiles,
  describeHandover,
  fillSources,
  layoutFiles,
  planOutputs,
  renderFiles,
  ShardOutput,
  type OutputFiles,
} from './output.ts';
import { annotations, consoleReport, headOf, joinHeads, summaryMarkdown, type Annotation, type RepositoryLinks } from './report.ts';
import { ShardReportError, type Shard } from './shard.ts';
import { shardJob, splitOf, type Split } from './split.ts';
import { TextFile } from './text-file.ts';
import type { SarifStats } from './writer.ts';

/** Everything the aggregation needs: plain data, so that it can run in a worker thread. */
export interface AggregateJob {
  sources: { input: string; label: string; kind: ReportKind; file: string }[];
  root: string;
  gitleaksIgnore: string[];
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
  problems: string[];
  sarif: SarifStats;
  summary: string;
  console: string;
  annotations: Annotation[];
}

/** Reads sources in order into `agg` (the last one up to `until`); a bad report becomes an InputError naming its input. */
async function readSources(agg: Aggregator, job: AggregateJob, sources: AggregateJob['sources'], until?: number): Promise<void> {
  const last = sources.length - 1;
  const reports = sources.map(({ file, kind }, i) => ({
    file,
    kind,
    ...(until !== undefined && i === last ? { division: { at: until, side: 'before' as const } } : {}),
  }));
  const failed = await readReports(agg, reports, job.root, job.gitleaksIgnore);
  if (failed) throw inputError(sources[failed.index]!, failed.error, agg);
}

/**
 * A refused report as an InputError naming its input. The message names the file: it is redacted
 * with the secrets of the reports read before (and the token formats), as every other output.
 */
function inputError(source: AggregateJob['sources'][number], error: unknown, agg: Aggregator): unknown {
  return error instanceof ReportError ? new InputError(source.input, agg.secrets.redact(`${source.label}: ${error.message}`)) : error;
}

/**
 * Reads every report (streaming the large JSON arrays), deduplicates, gates, and writes the SARIF
 * and findings files. Every output is built from the findings, whose texts the Aggregator has
 * already redacted. Large inputs are read by two threads (see shard.ts): this one reads the
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
    return outcome(job, agg, { findings, counts }, plan.stats);
  }

  const [{ Shard }, { startShard }] = await Promise.all([import('./shard.ts'), import('./shard-thread.ts')]);
  const shard = new Shard(job.shardPort ?? startShard(shardJob(job, split)));
  const rendered = (n: number): OutputFiles => ({ sarif: `${job.sarifFile}.${n}.part`, findings: `${job.findingsFile}.${n}.part` });
  try {
    const divided = split.at === undefined ? [] : [job.sources[split.index]!];
    await readSources(agg, job, [...job.sources.slice(0, split.index), ...divided], split.at);
    shard.secrets(agg.secrets.values());
    // while the shard finishes reading: texts are checked again only for the shard's new secrets
    agg.redactTexts();
    const { findings, output, plan, shardRendered } = await merge(agg, shard, job, split, rendered(1));
    const own = rendered(0);
    const sizes = renderFiles(output, plan, 0, own, false);
    const counts = countAll(findings, agg.tools);
    const heads = [headOf(findings)];
    const { sizes: shardSizes, sources } = await shardRendered;
    fillSources(plan, 1, sources);
    const layouts = layoutFiles(plan, [sizes, shardSizes]);
    // the files exist before the shard writes into them
    for (const file of [job.sarifFile, job.findingsFile]) new TextFile(file).close();
    const files = { sarif: job.sarifFile, findings: job.findingsFile };
    const assembled = shard.assemble(layouts, files);
    assembleFiles(files, layouts, 0, own);
    await assembled;
    const shardCounted = await shard.counted();
    addCounts(counts, shardCounted.counts);
    heads.push(shardCounted.head);
    return outcome(job, agg, { findings: joinHeads(heads), counts }, plan.stats);
  } finally {
    await shard.close();
    for (const n of [0, 1]) for (const file of Object.values(rendered(n))) rmSync(file, { force: true });
  }
}

/**
 * Takes in what the shard read, as if this thread had read the shard's reports after its own:
 * tools, problems and secrets, and the deduplication of its findings against these. Plans the
 * outputs and has the shard render its part. The shard's hand-over is dropped on return.
 */
async function merge(agg: Aggregator, shard: Shard, job: AggregateJob, split: Split, rendered: OutputFiles) {
  const read = await shard.read().catch((error: unknown) => {
    throw error instanceof ShardReportError ? inputError(job.sources[split.index + error.index]!, error.report, agg) : error;
  });
  for (const tool of read.tools) agg.tool(tool);
  for (const problem of read.problems) agg.problem(problem);
  agg.addSecrets(read.secrets);
  const verdict = agg.absorb(read.handover);
  shard.verdict(verdict);
  const findings = agg.finish();
  const output = new ShardOutput(findings, job.root);
  const plan = planOutputs([output.describe(), describeHandover(read.handover, verdict)], agg.tools, job);
  return { findings, output, plan, shardRendered: shard.render(plan, rendered) };
}

/** The outcome from every finding's counts and the head of the sorted findings. */
function outcome(
  job: AggregateJob,
  agg: Aggregator,
  seen: { findings: Finding[]; counts: FindingCounts },
  sarif: SarifStats,
): AggregateOutcome {
  const gate = gateOf(seen.counts.bySeverity, job.failOn);
  const problems = agg.problems.map((p) => agg.secrets.redact(p));
  const report = { findings: seen.findings, counts: seen.counts, tools: agg.tools, gate, problems, sarif };
  const { bySeverity, suppressed, total } = seen.counts;
  return {
    tools: agg.tools,
    counts: { bySeverity, suppressed, total },
    gate,
    problems,
    sarif,
    summary: summaryMarkdown(report, job.links),
    console: consoleReport(report),
    annotations: annotations(seen.findings, agg.tools),
  };
}
