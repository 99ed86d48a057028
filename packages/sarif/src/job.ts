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
  for (const { input, label, kind, file } of job.sources) {
    agg.startReport(file);
    try {
      await loadReport(file, kind, { root: job.root, sink: agg, gitleaksIgnore });
    } catch (error) {
      if (error instanceof ReportError) throw new InputError(input, `${label}: ${error.message}`);
      throw error;
    }
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
