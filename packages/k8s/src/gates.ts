import type { Logger, RequestPolicy } from '@pipeline-toolkit/core';
import type { Clock, Gate } from './bluegreen/model.ts';
import type { DeployOptions } from './inputs.ts';
import { loadMetricsConfig, type MetricsConfig } from './metrics/config.ts';
import { metricsGate, phaseGate } from './metrics/gate.ts';

/**
 * The smoke suite as a deploy gate: the same suite runs against the preview before the switch and
 * against production after it. The smoke package loads only when a suite is configured.
 */
export async function smokeGate(config: string, log: Logger, cwd: string): Promise<Gate> {
  const smoke = await import('@pipeline-toolkit/smoke');
  const suite = await smoke.loadSuite({ config: config, cwd, env: process.env });
  return async ({ url, phase }) => {
    const result = await log.group(`Smoke gate (${phase}) against ${url}`, () =>
      smoke.runSuite(suite, { target: url, log, cwd, failFast: true }),
    );
    const failed = result.checks.filter((c) => c.status === 'failed');
    const { passed, total } = result.summary;
    return {
      passed: result.result === 'passed',
      summary: failed.length
        ? `${failed.length}/${total} checks failed: ${failed.map((c) => `${c.name} (${c.message ?? 'failed'})`).join('; ')}`
        : `${passed}/${total} checks passed`,
      markdown: smoke.summaryMarkdown(result, log.redactor),
    };
  };
}

export interface DeployGates {
  preSwitchGate?: Gate;
  postSwitchGate?: Gate;
  /** How long the gates may hold the run (analyses and the promote-after window), for the lock's duration. */
  windowMs: number;
}

/** How long an analysis of this config may take in the given phase (the window replaces the count after the switch). */
function analysisMs(config: MetricsConfig, windowMs: number | undefined): number {
  return config.phase === 'post-switch' && windowMs !== undefined ? windowMs : config.count * config.intervalMs;
}

/**
 * The gates of both phases from the inputs: the smoke suite (both phases), the metrics analysis (the
 * phase its config names) and the promote-after window (after the switch). Files are read and
 * validated here, before any cluster is contacted: a bad config fails the run with no side effect.
 */
export async function deployGates(
  options: DeployOptions,
  io: { log: Logger; cwd: string; clock: Clock; policy: RequestPolicy; fetch?: typeof fetch },
): Promise<DeployGates> {
  const metricsConfig = options.metricsConfig ? await loadMetricsConfig(options.metricsConfig) : undefined;
  const smoke = options.smokeConfig ? await smokeGate(options.smokeConfig, io.log, io.cwd) : undefined;
  const windowMs = options.promoteAfterMs;
  const metrics =
    metricsConfig &&
    metricsGate({
      config: metricsConfig,
      release: options.spec.release,
      namespace: options.spec.namespace,
      log: io.log,
      clock: io.clock,
      policy: io.policy,
      ...(io.fetch ? { fetch: io.fetch } : {}),
      ...(windowMs !== undefined ? { windowMs } : {}),
    });
  const pre = phaseGate({ ...(smoke ? { smoke } : {}), ...(metricsConfig?.phase === 'pre-switch' ? { metrics } : {}), clock: io.clock });
  const post = phaseGate({
    ...(smoke ? { smoke } : {}),
    ...(metricsConfig?.phase === 'post-switch' ? { metrics } : {}),
    ...(windowMs !== undefined ? { windowMs } : {}),
    clock: io.clock,
  });
  const held = (metricsConfig ? analysisMs(metricsConfig, windowMs) : 0) + (metricsConfig?.phase === 'post-switch' ? 0 : (windowMs ?? 0));
  return { ...(pre ? { preSwitchGate: pre } : {}), ...(post ? { postSwitchGate: post } : {}), windowMs: held };
}
