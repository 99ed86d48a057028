import type { Check, CheckResult } from './model.ts';
import { errorMessage } from '@pipeline-toolkit/core';
import { fail, type Outcome } from './outcome.ts';
import type { ResolvedTarget } from './target.ts';
import { backoffDelay } from './retry.ts';
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

/**
 * Runs a check with the retry policy: transient failures are retried with backoff (or after
 * Retry-After); a `flaky` check is retried on any failure, and a pass after a failure is `flaky`.
 */
export async function runCheck(
  check: Check,
  ctx: Omit<CheckContext, 'timeoutMs'>,
  options: { allowMutating: boolean },
  timing: Timing,
): Promise<CheckResult[]> {
  const base = { name: check.name, tags: check.tags, kind: check.kind, ...(check.where ? { where: check.where } : {}) };
  const skipped = (message: string): CheckResult[] => [{ ...base, status: 'skipped', attempts: 0, durationMs: 0, message }];
  if (check.unavailable) return skipped(check.unavailable);
  const refused = refusal(check, ctx.target, options.allowMutating);
  if (refused) return skipped(refused);
  const checkContext: CheckContext = { ...ctx, timeoutMs: check.timeoutMs };
  if (check.kind === 'command') return runCommand(check, checkContext);

  const flaky = check.tags.includes('flaky');
  const maxAttempts = check.kind === 'env' ? 1 : check.retries + 1;
  const started = performance.now();
  const earlier: string[] = [];
  let outcome: Outcome = { ok: false };
  let attempts = 0;
  while (attempts < maxAttempts) {
    attempts++;
    outcome = await attempt(check, checkContext);
    if (outcome.ok || attempts === maxAttempts || !(outcome.transient || flaky)) break;
    earlier.push(outcome.message ?? 'failed');
    await timing.sleep(Math.max(outcome.retryAfterMs ?? 0, backoffDelay(attempts, check.backoffMs, timing.random)));
  }
  const status = !outcome.ok ? 'failed' : flaky && attempts > 1 ? 'flaky' : 'passed';
  const history = earlier.length ? `earlier: ${[...new Set(earlier)].join('; ')}` : '';
  const message = outcome.ok
    ? attempts > 1
      ? `passed on attempt ${attempts} (${history})`
      : undefined
    : attempts > 1
      ? `${outcome.message} (after ${attempts} attempts)`
      : outcome.message;
  const url = check.kind === 'http' ? checkUrl(check.http, ctx.target.url) : undefined;
  const budgetMs = check.kind === 'http' ? check.http.expect.maxLatencyMs : undefined;
  return [
    {
      ...base,
      status,
      attempts,
      durationMs: Math.round(performance.now() - started),
      ...(outcome.latencyMs !== undefined ? { latencyMs: outcome.latencyMs } : {}),
      ...(message ? { message } : {}),
      ...(budgetMs !== undefined ? { budgetMs } : {}),
      ...(url ? { url } : {}),
    },
  ];
}
