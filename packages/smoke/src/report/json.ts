import { redactDeep, type Redactor } from '@pipeline-toolkit/core';
import type { CheckResult, LatencyReport, SuiteResult, SuiteSummary } from '../model.ts';

/** The JSON result read by slack-notify's `smoke-report`: exactly these fields, redacted. */
export interface JsonReport {
  target: string;
  environment: string;
  summary: SuiteSummary;
  /** p95 of the suite's HTTP checks, against the budget when the suite sets one. */
  latency: LatencyReport;
  checks: Pick<CheckResult, 'name' | 'tags' | 'kind' | 'status' | 'attempts' | 'durationMs' | 'latencyMs' | 'message'>[];
}

export function jsonReport(result: SuiteResult, redactor: Pick<Redactor, 'redact'>): JsonReport {
  const report: JsonReport = {
    target: result.target,
    environment: result.environment,
    summary: { ...result.summary },
    latency: { ...result.latency },
    checks: result.checks.map((c) => ({
      name: c.name,
      tags: [...c.tags],
      kind: c.kind,
      status: c.status,
      attempts: c.attempts,
      durationMs: c.durationMs,
      ...(c.latencyMs !== undefined ? { latencyMs: c.latencyMs } : {}),
      ...(c.message !== undefined ? { message: c.message } : {}),
    })),
  };
  return redactDeep(report, redactor);
}
