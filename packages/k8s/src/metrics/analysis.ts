import { formatDuration, type Logger } from '@pipeline-toolkit/core';
import type { Clock } from '../bluegreen/model.ts';
import { holds, type Condition } from './condition.ts';
import { resolveQuery, type MetricsConfig } from './config.ts';
import type { Reading } from './prometheus.ts';

/**
 * The analysis: every query measured once per round, rounds `interval` apart, either `count`
 * rounds or, with a window (promote-after), from the start of the window to its end. A query whose
 * failed measurements exceed `failure-limit` fails the analysis; one whose inconclusive
 * measurements (no data, NaN, an error, no answer in time) exceed `inconclusive-limit` makes it
 * inconclusive, which fails safe like a failure. Stops at the first round that decides it.
 */
export type MeasurementOutcome = 'passed' | 'failed' | 'inconclusive';

export interface Measurement {
  round: number;
  at: number;
  outcome: MeasurementOutcome;
  /** The value as Prometheus wrote it (also for NaN and ±Inf). */
  value?: string;
  /** Why it is inconclusive. */
  reason?: string;
}

export interface QueryTally {
  name: string;
  /** The PromQL sent (placeholders replaced). */
  promql: string;
  success: Condition;
  passed: number;
  failed: number;
  inconclusive: number;
  measurements: Measurement[];
}

export interface Analysis {
  verdict: MeasurementOutcome;
  rounds: number;
  startedAt: number;
  endedAt: number;
  queries: QueryTally[];
  /** One line: what decided the verdict, with the query and the value. */
  summary: string;
}

export interface AnalysisDeps {
  read(promql: string): Promise<Reading>;
  clock: Clock;
  signal: AbortSignal;
  log: Logger;
}

export interface AnalysisVars {
  color: string;
  release: string;
  namespace: string;
}

function measure(tally: QueryTally, reading: Reading, round: number, at: number): Measurement {
  if (reading.kind === 'inconclusive')
    return { round, at, outcome: 'inconclusive', reason: reading.reason, ...(reading.text !== undefined ? { value: reading.text } : {}) };
  return { round, at, outcome: holds(tally.success, reading.value) ? 'passed' : 'failed', value: reading.text };
}

function logLine(tally: QueryTally, m: Measurement, of: string): string {
  const head = `metrics [${m.round}${of}] ${tally.name}`;
  if (m.outcome === 'inconclusive')
    return `${head}: INCONCLUSIVE — ${m.reason}${m.value !== undefined ? ` (value ${m.value})` : ''}; query: ${tally.promql}`;
  return `${head}: ${m.value} ${m.outcome === 'passed' ? 'meets' : 'FAILS'} ${tally.success.text}${m.outcome === 'failed' ? `; query: ${tally.promql}` : ''}`;
}

/** The tally that decides a failed or inconclusive verdict, and why (naming the query and the value). */
function decision(config: MetricsConfig, queries: readonly QueryTally[]): { verdict: MeasurementOutcome; summary: string } | undefined {
  const failed = queries.find((q) => q.failed > config.failureLimit);
  if (failed) {
    const last = failed.measurements.filter((m) => m.outcome === 'failed').at(-1);
    return {
      verdict: 'failed',
      summary: `${failed.name} = ${last?.value} does not meet ${failed.success.text} (${failed.failed} failed measurement(s), failure-limit ${config.failureLimit}); query: ${failed.promql}`,
    };
  }
  const unsure = queries.find((q) => q.inconclusive > config.inconclusiveLimit);
  if (unsure) {
    const last = unsure.measurements.filter((m) => m.outcome === 'inconclusive').at(-1);
    return {
      verdict: 'inconclusive',
      summary: `${unsure.name} is inconclusive: ${last?.reason}${last?.value !== undefined ? ` (value ${last.value})` : ''} (${unsure.inconclusive} inconclusive measurement(s), inconclusive-limit ${config.inconclusiveLimit}); query: ${unsure.promql}`,
    };
  }
  return undefined;
}

export async function analyse(config: MetricsConfig, vars: AnalysisVars, deps: AnalysisDeps, windowMs?: number): Promise<Analysis> {
  const { clock, signal, log } = deps;
  const queries: QueryTally[] = config.queries.map((q) => ({
    name: q.name,
    promql: resolveQuery(q.query, vars),
    success: q.success,
    passed: 0,
    failed: 0,
    inconclusive: 0,
    measurements: [],
  }));
  const startedAt = clock.now();
  const of = windowMs === undefined ? `/${config.count}` : '';
  let round = 0;
  for (;;) {
    round++;
    const at = clock.now();
    const readings = await Promise.all(queries.map((q) => deps.read(q.promql)));
    queries.forEach((tally, i) => {
      const m = measure(tally, readings[i]!, round, at);
      tally.measurements.push(m);
      tally[m.outcome]++;
      const line = logLine(tally, m, of);
      if (m.outcome === 'passed') log.info(line);
      else log.warning(line);
    });
    const decided = decision(config, queries);
    if (decided) return { ...decided, rounds: round, startedAt, endedAt: clock.now(), queries };
    let wait: number;
    if (windowMs === undefined) {
      if (round >= config.count) break;
      wait = config.intervalMs;
    } else {
      const left = windowMs - (clock.now() - startedAt);
      if (left <= 0) break;
      wait = Math.min(config.intervalMs, left);
    }
    await clock.sleep(wait, signal);
  }
  const endedAt = clock.now();
  const lasts = queries.map((q) => `${q.name} ${q.measurements.at(-1)?.value}`).join(', ');
  return {
    verdict: 'passed',
    rounds: round,
    startedAt,
    endedAt,
    queries,
    summary: `${queries.length} metric quer${queries.length === 1 ? 'y' : 'ies'} green in ${round} measurement(s) over ${formatDuration(endedAt - startedAt)} (last: ${lasts})`,
  };
}
