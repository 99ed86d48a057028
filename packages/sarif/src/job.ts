import { statSync } from 'node:fs';
import { InputError } from '@pipeline-toolkit/core';
import { Aggregator, countFindings, type SeverityCounts } from './aggregate.ts';
import { writeFindings } from './findings-file.ts';
import { evaluateGate, type GateResult } from './gate.ts';
import { ReportError } from './json.ts';
import { loadReport, type ReportKind } from './load.ts';
import type { Threshold, ToolInfo } from './model.ts';
import { annotations, consoleReport, summaryMarkdown, type Annotation, type RepositoryLinks } from './report.ts';
import { writeSarif, type SarifStats } from './writer.ts';

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
}

/** Below this many bytes of reports, a second thread costs more to start than it saves. */
const PARALLEL_BYTES = 8 << 20;

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // a missing file: loadReport names it when its turn comes
  }
}

/**
 * Where the reports are divided between this thread and a reader thread (see reader.ts): this
 * thread reads the first ones, the reader the rest, so that the reader's findings are merged in
 * report order as if read here. The division balances bytes; `sizes.length` means no reader
 * (a single report, or less than `minBytes` in all).
 */
export function readerSplit(sizes: readonly number[], minBytes: number): number {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (sizes.length < 2 || total < minBytes) return sizes.length;
  let best = sizes.length;
  let bestLoad = total;
  let prefix = 0;
  for (let split = 1; split < sizes.length; split++) {
    prefix += sizes[split - 1]!;
    const load = Math.max(prefix, total - prefix);
    if (load < bestLoad) [best, bestLoad] = [split, load];
  }
  return best;
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

/**
 * Reads every report (one at a time, streaming the large JSON arrays), deduplicates, gates, and
 * writes the SARIF and findings files. Every output is built from the findings, whose texts the
 * Aggregator has already redacted.
 */
export async function aggregateJob(job: AggregateJob): Promise<AggregateOutcome> {
  const agg = new Aggregator();
  const gitleaksIgnore = new Set(job.gitleaksIgnore);
  const split = readerSplit(
    job.sources.map((s) => fileSize(s.file)),
    job.parallelFrom ?? PARALLEL_BYTES,
  );
  const reader =
    split < job.sources.length
      ? new (await import('./reader.ts')).ReportReader({
          sources: job.sources.slice(split),
          root: job.root,
          gitleaksIgnore: job.gitleaksIgnore,
        })
      : undefined;
  try {
    for (const [index, { input, label, kind, file }] of job.sources.entries()) {
      agg.startReport(file);
      try {
        if (reader && index >= split) await reader.take(index - split, agg);
        else await loadReport(file, kind, { root: job.root, sink: agg, gitleaksIgnore });
      } catch (error) {
        if (error instanceof ReportError) throw new InputError(input, `${label}: ${error.message}`);
        throw error;
      }
    }
  } finally {
    await reader?.close();
  }
  const findings = agg.finish();
  const gate = evaluateGate(findings, job.failOn);
  const sarif = await writeSarif(job.sarifFile, findings, agg.tools, { categoryPrefix: job.categoryPrefix, root: job.root });
  await writeFindings(job.findingsFile, findings);
  const problems = agg.problems.map((p) => agg.secrets.redact(p));
  const report = { findings, tools: agg.tools, gate, problems, sarif };
  return {
    tools: agg.tools,
    counts: countFindings(findings),
    gate,
    problems,
    sarif,
    summary: summaryMarkdown(report, job.links),
    console: consoleReport(report),
    annotations: annotations(findings, agg.tools),
  };
}
