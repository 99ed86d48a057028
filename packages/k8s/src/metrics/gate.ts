import { codeBlock, formatDuration, guardedFetch, table, type Logger, type RequestPolicy } from '@pipeline-toolkit/core';
import type { Clock, Gate, GateVerdict } from '../bluegreen/model.ts';
import { analyse, type Analysis } from './analysis.ts';
import type { MetricsConfig } from './config.ts';
import { instantQuery } from './prometheus.ts';

export interface MetricsGateOptions {
  config: MetricsConfig;
  release: string;
  namespace: string;
  log: Logger;
  clock: Clock;
  /** Every query is one request under this policy (request-timeout per attempt, request-deadline per query). */
  policy: RequestPolicy;
  fetch?: typeof fetch;
  /** promote-after: the analysis runs from the start to the end of this window instead of `count` rounds. */
  windowMs?: number;
}

/** The analysis as Markdown for the job summary: one row per query, then the PromQL of each. */
export function analysisMarkdown(analysis: Analysis): string {
  const rows = analysis.queries.map((q) => {
    const last = q.measurements.at(-1);
    return [
      q.name,
      q.success.text,
      last?.value ?? '—',
      String(q.passed),
      String(q.failed),
      String(q.inconclusive),
      last?.outcome === 'inconclusive' ? (last.reason ?? '') : '',
    ];
  });
  return [
    `Verdict: **${analysis.verdict}** after ${analysis.rounds} measurement(s) over ${formatDuration(analysis.endedAt - analysis.startedAt)}.\n`,
    table(['Query', 'Success', 'Last value', 'Passed', 'Failed', 'Inconclusive', 'Why inconclusive'], rows),
    codeBlock(analysis.queries.map((q) => `${q.name}: ${q.promql}`).join('\n'), 'promql'),
  ].join('\n');
}

/** The metrics gate: Prometheus queries measured over the analysis; passes only on a `passed` verdict. */
export function metricsGate(options: MetricsGateOptions): Gate {
  const { config, log, clock, policy } = options;
  return async ({ phase, color }, signal) => {
    const window = phase === 'post-switch' ? options.windowMs : undefined;
    const analysis = await log.group(
      `Metrics gate (${phase}) on ${color}: ${config.queries.length} quer${config.queries.length === 1 ? 'y' : 'ies'}, ${window === undefined ? `${config.count} × every ${formatDuration(config.intervalMs)}` : `every ${formatDuration(config.intervalMs)} for ${formatDuration(window)}`}`,
      () =>
        analyse(
          config,
          { color, release: options.release, namespace: options.namespace },
          {
            // A fresh guarded fetch per query: each one gets its own deadline.
            read: (promql) =>
              instantQuery(
                guardedFetch({ ...policy, signal }, options.fetch ? { fetch: options.fetch } : {}),
                config.prometheus,
                promql,
                signal,
              ),
            clock,
            signal,
            log,
          },
          window,
        ),
    );
    return {
      passed: analysis.verdict === 'passed',
      summary: analysis.verdict === 'passed' ? `metrics: ${analysis.summary}` : `metrics ${analysis.verdict}: ${analysis.summary}`,
      markdown: analysisMarkdown(analysis),
    };
  };
}

/**
 * The gates of one phase run in order (smoke, then metrics), the first red one ends it. With a
 * window (promote-after, post-switch only) the switch is promoted only if every gate stayed green
 * for the whole window: the metrics run across it (or, without metrics, the window is waited out)
 * and the smoke suite runs again at its end.
 */
export function phaseGate(parts: { smoke?: Gate; metrics?: Gate; windowMs?: number; clock: Clock }): Gate | undefined {
  const { smoke, metrics, windowMs, clock } = parts;
  if (!smoke && !metrics && windowMs === undefined) return undefined;
  return async (request, signal) => {
    const verdicts: GateVerdict[] = [];
    const done = (): GateVerdict => ({
      passed: verdicts.every((v) => v.passed),
      summary: verdicts.map((v) => v.summary).join('; '),
      markdown: verdicts
        .map((v) => v.markdown)
        .filter(Boolean)
        .join('\n\n'),
    });
    const window = request.phase === 'post-switch' ? windowMs : undefined;
    if (smoke) {
      verdicts.push(await smoke(request, signal));
      if (!verdicts.at(-1)!.passed) return done();
    }
    const startedAt = clock.now();
    if (metrics) {
      verdicts.push(await metrics(request, signal));
      if (!verdicts.at(-1)!.passed) return done();
    }
    if (window !== undefined) {
      const left = window - (clock.now() - startedAt);
      if (left > 0) await clock.sleep(left, signal);
      if (smoke) {
        const again = await smoke(request, signal);
        verdicts.push({ ...again, summary: `at the end of the ${formatDuration(window)} window: ${again.summary}` });
        if (!again.passed) return done();
      }
      if (!metrics && !smoke) verdicts.push({ passed: true, summary: `no gate turned red in the ${formatDuration(window)} window` });
    }
    return done();
  };
}
