import { stripChar } from '@pipeline-toolkit/core';
import type { HttpSpec } from '../model.ts';
import { describeError, fail, isTransientError, pass, type Outcome } from '../outcome.ts';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../retry.ts';
import { matches, parseJsonPath, select } from '../jsonpath.ts';
import type { CheckContext } from './context.ts';

/** Statuses that mean "not ready yet" behind a proxy or load balancer: worth retrying. */
const TRANSIENT_STATUS = new Set([502, 503, 504]);
/** Headers whose values are never quoted in a message. */
const SENSITIVE_HEADER = /^(set-cookie|cookie|authorization|proxy-authorization|www-authenticate|x-api-key)$/i;

export function checkUrl(spec: HttpSpec, baseUrl: string): string {
  if (spec.url) return spec.url;
  return `${stripChar(baseUrl, '/', 'end')}${spec.path ?? '/'}`;
}

/** One HTTP request with the global fetch (Node's built-in undici), then the expectations in order. */
export async function runHttp(spec: HttpSpec, ctx: CheckContext): Promise<Outcome> {
  const url = checkUrl(spec, ctx.target.url);
  const signal = AbortSignal.timeout(ctx.timeoutMs);
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, {
      method: spec.method,
      headers: spec.headers,
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      redirect: spec.followRedirects ? 'follow' : 'manual',
      signal,
    });
  } catch (error) {
    return fail(`${spec.method} ${url}: ${describeError(error)}${timeoutNote(error, ctx)}`, { transient: isTransientError(error), url });
  }
  const latencyMs = Math.round(performance.now() - started);
  let body: string;
  try {
    body = spec.method === 'HEAD' ? '' : await response.text();
  } catch (error) {
    return fail(`${spec.method} ${url}: reading the body: ${describeError(error)}${timeoutNote(error, ctx)}`, {
      transient: isTransientError(error),
      url,
      latencyMs,
    });
  }
  const result = (problem: string | undefined, extra: Partial<Outcome> = {}): Outcome =>
    problem ? fail(problem, { url, latencyMs, ...extra }) : pass({ url, latencyMs });

  const accepted = spec.expect.status;
  const statusOk = accepted ? accepted.includes(response.status) : response.status >= 200 && response.status < 300;
  if (!statusOk) {
    const expected = accepted ? accepted.join(' or ') : '2xx';
    const location = response.status >= 300 && response.status < 400 ? ` (redirect to ${response.headers.get('location') ?? '?'})` : '';
    const problem = `status ${response.status}${location}, expected ${expected}`;
    if (TRANSIENT_STATUS.has(response.status)) return result(problem, { transient: true });
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      // Without Retry-After (or asking for longer than we wait), a 429 is reported, not hammered.
      if (retryAfterMs !== undefined && retryAfterMs <= MAX_RETRY_AFTER_MS)
        return result(`${problem} (rate limited)`, { transient: true, retryAfterMs });
    }
    return result(problem);
  }
  return result(expectationProblem(spec, response, body, latencyMs));
}

function expectationProblem(spec: HttpSpec, response: Response, body: string, latencyMs: number): string | undefined {
  const { expect } = spec;
  if (expect.json) {
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      return `body is not JSON (content-type ${response.headers.get('content-type') ?? 'not set'})`;
    }
    for (const [path, expected] of Object.entries(expect.json)) {
      const segments = parseJsonPath(path);
      if (!segments) return `'${path}' is not a supported JSON path (use $.a.b, $.items[0], $['a key'])`;
      const selection = select(document, segments);
      if (!selection.found) return `${path} not found in the JSON body`;
      if (!matches(selection.value, expected)) return `${path} is ${short(selection.value)}, expected ${short(expected)}`;
    }
  }
  for (const text of expect.bodyContains ?? []) {
    if (!body.includes(text)) return `body does not contain '${text}'`;
  }
  for (const [name, text] of Object.entries(expect.header ?? {})) {
    const value = response.headers.get(name);
    if (value === null) return `header ${name} is missing`;
    if (!value.toLowerCase().includes(text.toLowerCase())) {
      const shown = SENSITIVE_HEADER.test(name) ? '' : ` is '${value.slice(0, 100)}'`;
      return `header ${name}${shown}, expected to contain '${text}'`;
    }
  }
  if (expect.maxLatencyMs !== undefined && latencyMs > expect.maxLatencyMs) {
    return `latency ${latencyMs}ms over the budget of ${expect.maxLatencyMs}ms`;
  }
  return undefined;
}

function timeoutNote(error: unknown, ctx: CheckContext): string {
  const name = (error as { name?: unknown })?.name;
  return name === 'TimeoutError' ? ` after ${ctx.timeoutMs}ms` : '';
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
