import { exec as coreExec, formatDuration, type Exec, type Logger } from '@pipeline-toolkit/core';
import { SECRET_NAME } from './interpolate.ts';
import type { Check, CheckResult, LatencyReport, Suite, SuiteResult } from './model.ts';
import { attempt, refusal, runCheck, type RunContext, type Timing } from './run-check.ts';
import { dependenciesOf, producers } from './captures.ts';
import { sleep } from './retry.ts';
import { selectChecks } from './select.ts';
import { location } from './where.ts';
import { resolveTarget, type ResolvedTarget } from './target.ts';
import type { CheckContext } from './checks/context.ts';

export interface RunOptions {
  /** A target name of the suite (`local`, `production` …) or an http(s) URL. */
  target: string;
  /** How errors name the target input (default `Input 'target'`). */
  targetLabel?: string;
  /** Run checks with any of these tags (`!tag` excludes); empty: all. */
  tags?: readonly string[];
  /** Poll the health check until it passes or this much time has passed, before the suite. */
  waitUntilHealthyMs?: number;
  failOnFlaky?: boolean;
  /** Stop starting checks once a `critical` one has failed. */
  failFast?: boolean;
  /** Allow non-GET/HEAD requests against production. */
  allowMutating?: boolean;
  /** Cancels the run: requests are aborted, waits end, checks not started are skipped. */
  signal?: AbortSignal;
  log: Logger;
  cwd?: string;
  deps?: Partial<Timing> & { exec?: Exec };
}

const ICON = { passed: '✔', failed: '✖', flaky: '⚠', skipped: '○' } as const;

/** Runs a suite against a target. Never throws for a failed check: the result says so. */
export async function runSuite(suite: Suite, options: RunOptions): Promise<SuiteResult> {
  const { log } = options;
  for (const secret of suite.secrets) log.setSecret(secret);
  for (const [name, value] of Object.entries(suite.env)) if (SECRET_NAME.test(name)) log.redactor.add(value);

  const target = resolveTarget(suite, options.target, 'target', options.targetLabel);
  const checks = withProducers(selectChecks(suite.checks, options.tags ?? []), suite.checks, log);
  const timing: Timing = { sleep: options.deps?.sleep ?? sleep, random: options.deps?.random ?? Math.random };
  const ctx = {
    target,
    env: suite.env,
    cwd: options.cwd ?? process.cwd(),
    exec: options.deps?.exec ?? coreExec,
    redact: (text: string) => log.redactor.redact(text),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const captures = new Map<string, string>();
  const runContext: RunContext = {
    ...ctx,
    captures,
    // As it is, and as each of its lines appears when quoted in JSON or sent in a URL.
    onSecret: (value) => {
      log.setSecret(value);
      for (const line of value.split(/\r?\n/))
        for (const form of [JSON.stringify(line).slice(1, -1), encodeURIComponent(line)]) log.setSecret(form);
    },
    onCaptured: (values) => Object.entries(values).forEach(([name, value]) => captures.set(name, value)),
  };
  const tagText = options.tags?.length ? ` with tags ${options.tags.join(', ')}` : '';
  log.info(`Smoke target: ${target.url} (environment: ${target.environment})`);
  log.info(`Suite: ${suite.source}, ${checks.length} check${checks.length === 1 ? '' : 's'}${tagText}, concurrency ${suite.concurrency}`);

  const started = performance.now();
  if (options.waitUntilHealthyMs) {
    const wait = { deadlineMs: options.waitUntilHealthyMs, allowMutating: options.allowMutating ?? false };
    await waitUntilHealthy(suite, checks, { ...ctx, timeoutMs: 0 }, wait, log, timing);
  }

  const results = await log.group(`Running ${checks.length} smoke check${checks.length === 1 ? '' : 's'}`, () =>
    runPool(checks, suite.concurrency, options, async (check) => {
      const checkResults = await runCheck(check, runContext, { allowMutating: options.allowMutating ?? false }, timing);
      for (const r of checkResults) log.info(`${ICON[r.status]} ${r.name} ${resultDetail(r)}`);
      return checkResults;
    }),
  );
  const result = summarise(target, suite, results, Math.round(performance.now() - started), options.failOnFlaky ?? false);
  logLatency(result.latency, log);
  for (const r of result.checks) {
    const at = location(r.where);
    if (r.status === 'failed')
      log.error(`Smoke check '${r.name}' failed: ${r.message ?? 'failed'}`, { title: 'Smoke check failed', ...at });
    if (r.status === 'flaky') log.warning(`Smoke check '${r.name}' is flaky: ${r.message ?? ''}`, { title: 'Flaky smoke check', ...at });
    if (r.status === 'skipped' && r.message?.startsWith('refused')) log.warning(`Smoke check '${r.name}' ${r.message}`, at);
  }
  const { passed, failed, flaky, skipped, durationMs } = result.summary;
  log.info(
    `Smoke suite ${result.result}: ${passed} passed, ${failed} failed, ${flaky} flaky, ${skipped} skipped in ${formatDuration(durationMs)}`,
  );
  return result;
}

function resultDetail(r: CheckResult): string {
  const parts = [r.latencyMs !== undefined ? `${r.latencyMs}ms` : `${r.durationMs}ms`];
  if (r.attempts > 1) parts.push(`${r.attempts} attempts`);
  if (r.message) parts.push(r.message);
  return `(${parts.join(', ')})`;
}

/**
 * Runs checks with at most `limit` at a time, keeping the suite's order in the result. A check that
 * uses captures starts once the checks that make them have finished (and is skipped when one of
 * them did not pass). With fail-fast, critical checks start first, so that a failing one stops the
 * rest as early as it can; a cancelled run starts nothing more.
 */
async function runPool(
  checks: readonly Check[],
  limit: number,
  options: Pick<RunOptions, 'failFast' | 'signal'>,
  run: (check: Check) => Promise<CheckResult[]>,
): Promise<CheckResult[]> {
  const made = producers(checks);
  const critical = (check: Check) => (check.tags.includes('critical') ? 0 : 1);
  const order = checks.map((check, index) => ({ check, index }));
  if (options.failFast) order.sort((a, b) => critical(a.check) - critical(b.check) || a.index - b.index);
  const slot = semaphore(limit);
  const finished = new Map<string, Promise<CheckResult[]>>();
  let stoppedBy: string | undefined;
  const skip = (check: Check, message: string): CheckResult[] => [
    { name: check.name, tags: check.tags, kind: check.kind, status: 'skipped', attempts: 0, durationMs: 0, message },
  ];
  const start = async (check: Check): Promise<CheckResult[]> => {
    const needs = dependenciesOf(check, made);
    const needed = await Promise.all(needs.map((dependency) => finished.get(dependency.name) ?? Promise.resolve([])));
    const unmet = needs.findIndex((_, i) => !needed[i]?.some((r) => r.status === 'passed' || r.status === 'flaky'));
    if (unmet >= 0) {
      const status = needed[unmet]?.[0]?.status ?? 'not run';
      return skip(check, `not run: needs captures of '${needs[unmet]?.name}', which ${status === 'skipped' ? 'was skipped' : status}`);
    }
    const release = await slot();
    try {
      if (options.signal?.aborted) return skip(check, 'not run: the run was cancelled');
      if (stoppedBy) return skip(check, `not run: fail-fast after critical check '${stoppedBy}' failed`);
      const results = await run(check);
      if (options.failFast && check.tags.includes('critical') && results.some((r) => r.status === 'failed')) stoppedBy ??= check.name;
      return results;
    } finally {
      release();
    }
  };
  // Every promise exists before any check waits on another (a dependency may come later in order).
  let startAll: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (startAll = resolve));
  for (const { check } of order)
    finished.set(
      check.name,
      gate.then(() => start(check)),
    );
  // One turn of the event loop first: keep-alive sockets that a server closed while they sat idle
  // (its FIN not yet read, as after a blocking call) are then seen as closed and not reused.
  await new Promise((resolve) => setImmediate(resolve));
  startAll();
  const results = await Promise.all(checks.map((check) => finished.get(check.name) as Promise<CheckResult[]>));
  return results.flat();
}

/** A counting semaphore: `await slot()` waits for a free slot and returns its release. */
function semaphore(limit: number): () => Promise<() => void> {
  let free = Math.max(1, limit);
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return async () => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    return release;
  };
}

/** The selected checks plus the checks whose captures they use (also when not selected by tag). */
function withProducers(selected: readonly Check[], all: readonly Check[], log: Logger): Check[] {
  const made = producers(all);
  const chosen = new Set(selected.map((c) => c.name));
  const queue = [...selected];
  while (queue.length) {
    for (const dependency of dependenciesOf(queue.shift() as Check, made)) {
      if (chosen.has(dependency.name)) continue;
      chosen.add(dependency.name);
      queue.push(dependency);
      log.info(`Also running '${dependency.name}': a selected check uses its captures.`);
    }
  }
  return all.filter((c) => chosen.has(c.name));
}

/**
 * Before the suite, polls the health check (the suite's `health`, else a check named `health`, else
 * the first HTTP check) with growing intervals until it passes or the next poll would fall after
 * the deadline. The suite runs either way, so that its report shows what is wrong.
 */
async function waitUntilHealthy(
  suite: Suite,
  selected: readonly Check[],
  ctx: CheckContext,
  options: { deadlineMs: number; allowMutating: boolean },
  log: Logger,
  timing: Timing,
): Promise<void> {
  const { deadlineMs } = options;
  const all = [...selected, ...suite.checks];
  const health =
    all.find((c) => c.name === suite.health) ??
    all.find((c) => c.name === 'health') ??
    all.find((c) => c.kind === 'http' && !c.unavailable);
  const unusable = !health
    ? 'the suite has no health check'
    : health.kind === 'command'
      ? `'${health.name}' is a command check`
      : (health.unavailable ?? refusal(health, ctx.target, options.allowMutating));
  if (!health || unusable) {
    log.warning(`wait-until-healthy: ${unusable ?? 'no health check'}; running the suite now.`);
    return;
  }
  const started = performance.now();
  const deadline = started + deadlineMs;
  let polls = 0;
  // Progress at the start and then every few seconds, so a wait never looks like a hang.
  let lastProgress = started;
  log.info(`Waiting up to ${formatDuration(deadlineMs)} for '${health.name}' to pass before the suite…`);
  for (;;) {
    polls++;
    const remaining = deadline - performance.now();
    const outcome = await attempt(health, { ...ctx, timeoutMs: Math.max(1, Math.round(Math.min(health.timeoutMs, remaining))) });
    if (outcome.ok) {
      log.info(`Healthy: '${health.name}' passed after ${polls} poll${polls === 1 ? '' : 's'}.`);
      return;
    }
    const wait = Math.round(Math.max(outcome.retryAfterMs ?? 0, backoff(polls, health.backoffMs)));
    if (performance.now() + wait >= deadline) {
      log.warning(
        `Not healthy after ${formatDuration(deadlineMs)}: '${health.name}' ${outcome.message ?? 'failed'}. Running the suite anyway.`,
      );
      return;
    }
    const now = performance.now();
    if (now - lastProgress >= PROGRESS_EVERY_MS || polls === 1) {
      lastProgress = now;
      log.info(
        `  still waiting (${formatDuration(now - started)} of ${formatDuration(deadlineMs)}): '${health.name}' ${outcome.message ?? 'failed'}`,
      );
    }
    log.debug(`wait-until-healthy: '${health.name}' ${outcome.message ?? 'failed'}; next poll in ${formatDuration(wait)}`);
    await timing.sleep(wait);
  }
}

const PROGRESS_EVERY_MS = 5000;

/** Poll interval: the check's backoff doubling per poll, at most 5 seconds. */
const backoff = (poll: number, baseMs: number) => Math.min(5000, baseMs * 2 ** (poll - 1));

function summarise(target: ResolvedTarget, suite: Suite, checks: CheckResult[], durationMs: number, failOnFlaky: boolean): SuiteResult {
  const count = (status: CheckResult['status']) => checks.filter((c) => c.status === status).length;
  const summary = {
    passed: count('passed'),
    failed: count('failed'),
    flaky: count('flaky'),
    skipped: count('skipped'),
    total: checks.length,
    durationMs,
  };
  const latency = latencyReport(checks, suite.latencyBudget);
  const overBudget = latency.gate && latency.withinBudget === false;
  const failedSuite = summary.failed > 0 || (failOnFlaky && summary.flaky > 0) || overBudget;
  return {
    target: target.url,
    environment: target.environment,
    result: failedSuite ? 'failed' : 'passed',
    source: suite.source,
    summary,
    checks,
    latency,
  };
}

/** p95 by the nearest-rank method: the smallest latency that at least 95% of the samples do not exceed. */
export function percentile95(samples: readonly number[]): number | undefined {
  if (!samples.length) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1];
}

function latencyReport(checks: readonly CheckResult[], budget: Suite['latencyBudget']): LatencyReport {
  const samples = checks.filter((c) => c.kind === 'http' && c.latencyMs !== undefined).map((c) => c.latencyMs as number);
  const p95Ms = percentile95(samples);
  return {
    samples: samples.length,
    ...(p95Ms !== undefined ? { p95Ms } : {}),
    ...(budget ? { budgetMs: budget.p95Ms } : {}),
    ...(budget && p95Ms !== undefined ? { withinBudget: p95Ms <= budget.p95Ms } : {}),
    gate: budget?.gate ?? false,
  };
}

function logLatency(latency: LatencyReport, log: Logger): void {
  if (latency.p95Ms === undefined) return;
  const requests = `${latency.samples} HTTP check${latency.samples === 1 ? '' : 's'}`;
  if (latency.budgetMs === undefined) {
    log.info(`Latency p95: ${latency.p95Ms}ms over ${requests}.`);
    return;
  }
  const text = `Latency p95: ${latency.p95Ms}ms over ${requests}, budget ${latency.budgetMs}ms`;
  if (latency.withinBudget) log.info(`${text}: within budget.`);
  else if (latency.gate) log.error(`${text}: over budget.`, { title: 'Smoke latency budget' });
  else log.warning(`${text}: over budget (not gated).`, { title: 'Smoke latency budget' });
}
