import { escapeMarkdown, formatDuration, heading, table, type Redactor } from '@pipeline-toolkit/core';
import type { CheckResult, LatencyReport, SuiteResult } from '../model.ts';

const RESULT = { passed: '✅ passed', failed: '❌ failed', flaky: '⚠️ flaky', skipped: '⏭️ skipped' } as const;

function latency(check: CheckResult): string {
  if (check.latencyMs === undefined) return '—';
  if (check.budgetMs === undefined) return `${check.latencyMs}ms`;
  const within = check.latencyMs <= check.budgetMs;
  return `${check.latencyMs}ms / ${check.budgetMs}ms ${within ? '✅' : '❌'}`;
}

/** The job summary: totals, then a table of checks with latency against budget, failures first. */
export function summaryMarkdown(result: SuiteResult, redactor: Pick<Redactor, 'redact'>): string {
  const { summary } = result;
  const order = { failed: 0, flaky: 1, skipped: 2, passed: 3 } as const;
  const rows = [...result.checks]
    .sort((a, b) => order[a.status] - order[b.status])
    .map((c) => [c.name, c.tags.join(', '), RESULT[c.status], c.attempts, latency(c), c.message ?? '']);
  const markdown = [
    heading(`Smoke tests ${result.result === 'passed' ? 'passed' : 'failed'}: ${result.environment}`),
    `Target ${escapeMarkdown(result.target)} · ${summary.passed} passed · ${summary.failed} failed · ${summary.flaky} flaky · ${summary.skipped} skipped · ${formatDuration(summary.durationMs)}${latencyLine(result.latency)}\n`,
    table(['Check', 'Tags', 'Result', 'Attempts', 'Latency / budget', 'Details'], rows),
  ].join('\n');
  return redactor.redact(markdown);
}

/** ` · p95 120ms / 500ms ✅` (with a budget), ` · p95 120ms` (without). */
function latencyLine(latency: LatencyReport): string {
  if (latency.p95Ms === undefined) return '';
  if (latency.budgetMs === undefined) return ` · p95 ${latency.p95Ms}ms`;
  const mark = latency.withinBudget ? '✅' : latency.gate ? '❌' : '⚠️';
  return ` · p95 ${latency.p95Ms}ms / ${latency.budgetMs}ms ${mark}`;
}

/** Why the suite failed, in one line: the failed checks, else the flaky ones (fail-on-flaky). */
export function smokeFailure(result: SuiteResult): string {
  const { failed, flaky } = result.summary;
  const { latency } = result;
  const overBudget = latency.gate && latency.withinBudget === false;
  const reasons = [
    ...(failed ? [`${failed} check${failed === 1 ? '' : 's'} failed`] : []),
    ...(!failed && !overBudget ? [`${flaky} check${flaky === 1 ? ' was' : 's were'} flaky (fail-on-flaky)`] : []),
    ...(overBudget ? [`latency p95 ${latency.p95Ms}ms over the budget of ${latency.budgetMs}ms`] : []),
  ];
  const reason = reasons.join('; ');
  return `Smoke tests failed against ${result.target}: ${reason}.`;
}
