import type { Check, CheckResult } from './model.ts';
import { errorMessage, formatDuration } from '@pipeline-toolkit/core';
import { fail, type Outcome } from './outcome.ts';
import type { ResolvedTarget } from './target.ts';
import { backoffDelay, MAX_RETRY_AFTER_MS } from './retry.ts';
import { extractCaptures, withCaptures } from './captures.ts';
import type { CheckContext } from './checks/context.ts';
import { checkUrl, runHttp } from './checks/http.ts';
import { runTcp } from './checks/tcp.ts';
import { runEnv } from './checks/env.ts';
import { runPostgres } from './checks/postgres.ts';
import { runCommand } from './checks/command.ts';

export interface Timing {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

/** One attempt of a check, whatever its kind (command checks are run by runCommand). Never rejects. */
export async function attempt(check: Check, ctx: CheckContext): Promise<Outcome> {
  try {
    return await attemptKind(check, ctx);
  } catch (error) {
    // A check that breaks (a module that cannot load, an unexpected error) fails alone, not the whole run.
    return fail(errorMessage(error));
  }
}

/** Why a check must not run against this target, if it must not: the production guard. */
export function refusal(check: Check, target: ResolvedTarget, allowMutating: boolean): string | undefined {
  if (check.kind !== 'http' || !target.production || allowMutating || ['GET', 'HEAD'].includes(check.http.method)) return undefined;
  return `refused: ${check.http.method} against production; set allow-mutating: true to allow it`;
}

function attemptKind(check: Check, ctx: CheckContext): Promise<Outcome> {
  switch (check.kind) {
    case 'http':
      return runHttp(check.http, ctx);
    case 'tcp':
      return runTcp(check.tcp, ctx);
    case 'postgres':
      return runPostgres(check.postgres, ctx);
    case 'env':
      return runEnv(check.env, ctx);
    case 'command':
      throw new Error('command checks are run by runCommand');
  }
}

export interface RunContext extends Omit<CheckContext, 'timeoutMs'> {
  /** Values captured so far, by name. */
  captures?: ReadonlyMap<string, string>;
  /** Called with every value a capture takes, before anything can print it. */
  onSecret?: (value: string) => void;
  /** Called with the values of the captures of a check that passed. */
  onCaptured?: (values: Record<string, string>) => void;
}

type Attempted = { outcome: Outcome; captured?: Record<string, string> };

/**
 * Runs a check: with `until`, polls it until it passes or the time is up; otherwise with the retry
 * policy: transient failures are retried with backoff (or after Retry-After); a `flaky` check is
 * retried on any failure, and a pass after a failure is `flaky`.
 */
export async function runCheck(check: Check, ctx: RunContext, options: { allowMutating: boolean }, timing: Timing): Promise<CheckResult[]> {
  const base = { name: check.name, tags: check.tags, kind: check.kind, ...(check.where ? { where: check.where } : {}) };
  const skipped = (message: string): CheckResult[] => [{ ...base, status: 'skipped', attempts: 0, durationMs: 0, message }];
  if (check.unavailable) return skipped(check.unavailable);
  const refused = refusal(check, ctx.target, options.allowMutating);
  if (refused) return skipped(refused);
  // The URL as written (`${captures.id}` unfilled): what the reports show.
  const url = check.kind === 'http' ? checkUrl(check.http, ctx.target.url) : undefined;
  const checkContext: CheckContext = { ...ctx, timeoutMs: check.timeoutMs, ...(url ? { reportedUrl: url } : {}) };
  if (check.kind === 'command') return runCommand(check, checkContext);

  let runnable = check;
  if (check.kind === 'http' && check.uses?.length) {
    const filled = withCaptures(check.http, Object.fromEntries(ctx.captures ?? []));
    if ('error' in filled)
      return [{ ...base, status: 'failed', attempts: 0, durationMs: 0, message: filled.error, ...(url ? { url } : {}) }];
    runnable = { ...check, http: filled };
  }
  const once = async (context: CheckContext): Promise<Attempted> => {
    const outcome = await attempt(runnable, context);
    if (!outcome.ok || runnable.kind !== 'http' || !runnable.http.capture || !outcome.answer) return { outcome };
    const captured = await extractCaptures(runnable.http, outcome.answer);
    if ('missing' in captured)
      return { outcome: fail(`capture '${captured.missing}' found nothing: ${captured.why}`, { ...outcome, ok: false }) };
    for (const value of Object.values(captured.values)) ctx.onSecret?.(value);
    return { outcome, captured: captured.values };
  };
  const started = performance.now();
  const run = check.until ? await poll(check, checkContext, once, timing) : await retry(check, checkContext, once, timing);
  const { outcome } = run.last;
  const budgetMs = check.kind === 'http' ? check.http.expect.maxLatencyMs : undefined;
  const result: CheckResult = {
    ...base,
    status: run.status,
    attempts: run.attempts,
    durationMs: Math.round(performance.now() - started),
    ...(outcome.latencyMs !== undefined ? { latencyMs: outcome.latencyMs } : {}),
    ...(run.message ? { message: run.message } : {}),
    ...(budgetMs !== undefined ? { budgetMs } : {}),
    ...(url ? { url } : {}),
  };
  if (outcome.ok && run.last.captured) ctx.onCaptured?.(run.last.captured);
  return [result];
}

interface Run {
  last: Attempted;
  attempts: number;
  status: CheckResult['status'];
  message?: string;
}

async function retry(check: Check, context: CheckContext, once: (c: CheckContext) => Promise<Attempted>, timing: Timing): Promise<Run> {
  const flaky = check.tags.includes('flaky');
  const maxAttempts = check.kind === 'env' ? 1 : check.retries + 1;
  const earlier: string[] = [];
  let last: Attempted = { outcome: { ok: false } };
  let attempts = 0;
  while (attempts < maxAttempts) {
    attempts++;
    last = await once(context);
    const { outcome } = last;
    if (outcome.ok || attempts === maxAttempts || !(outcome.transient || flaky) || context.signal?.aborted) break;
    earlier.push(outcome.message ?? 'failed');
    if (!(await pause(timing, Math.max(outcome.retryAfterMs ?? 0, backoffDelay(attempts, check.backoffMs, timing.random)), context.signal)))
      break;
  }
  const { outcome } = last;
  const status = !outcome.ok ? 'failed' : flaky && attempts > 1 ? 'flaky' : 'passed';
  const history = earlier.length ? `earlier: ${[...new Set(earlier)].join('; ')}` : '';
  const message = outcome.ok
    ? attempts > 1
      ? `passed on attempt ${attempts} (${history})`
      : undefined
    : attempts > 1
      ? `${outcome.message} (after ${attempts} attempts)`
      : outcome.message;
  return { last, attempts, status, ...(message ? { message } : {}) };
}

/**
 * `until`: polls the check every interval (or after Retry-After) until it passes, or until the next
 * poll would start after the timeout. Any failure is polled again: the check is waiting for the
 * system to converge. Never longer than the timeout, and stopped at once when the run is cancelled.
 */
async function poll(check: Check, context: CheckContext, once: (c: CheckContext) => Promise<Attempted>, timing: Timing): Promise<Run> {
  const { timeoutMs, intervalMs } = check.until as NonNullable<Check['until']>;
  const started = performance.now();
  const deadline = started + timeoutMs;
  let last: Attempted;
  let attempts = 0;
  for (;;) {
    attempts++;
    const remaining = Math.max(1, Math.round(Math.min(check.timeoutMs, deadline - performance.now())));
    last = await once({ ...context, timeoutMs: remaining });
    if (last.outcome.ok || context.signal?.aborted) break;
    const wait = Math.max(intervalMs, Math.min(last.outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
    if (performance.now() + wait >= deadline) break;
    if (!(await pause(timing, wait, context.signal))) break;
  }
  const elapsed = formatDuration(performance.now() - started);
  const polls = `${attempts} poll${attempts === 1 ? '' : 's'} in ${elapsed}`;
  const { outcome } = last;
  if (outcome.ok) return { last, attempts, status: 'passed', ...(attempts > 1 ? { message: `passed after ${polls}` } : {}) };
  const why = context.signal?.aborted ? `cancelled after ${polls}` : `still failing after ${polls} (until: ${formatDuration(timeoutMs)})`;
  return { last, attempts, status: 'failed', message: `${outcome.message ?? 'failed'} (${why})` };
}

/** Waits, unless the run is cancelled first; false when it was. */
async function pause(timing: Timing, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) {
    await timing.sleep(ms);
    return true;
  }
  if (signal.aborted) return false;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  await Promise.race([timing.sleep(ms), aborted]);
  if (onAbort) signal.removeEventListener('abort', onAbort);
  return !signal.aborted;
}
