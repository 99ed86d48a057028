import { formatBytes, stripChar } from '@pipeline-toolkit/core';
import type { HttpSpec } from '../model.ts';
import { describeError, fail, isTransientError, pass, type Outcome } from '../outcome.ts';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../retry.ts';
import type { CheckContext } from './context.ts';
import { expectationProblem, type Answer } from './http-expect.ts';
import { inspectTls } from './tls.ts';

/** Statuses that mean "not ready yet" behind a proxy or load balancer: worth retrying. */
const TRANSIENT_STATUS = new Set([502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Request headers not sent on to another origin after a redirect (as fetch does). */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$/i;
/** The most a check reads of a body that its asserts or captures need, unless max-size says more. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function checkUrl(spec: HttpSpec, baseUrl: string): string {
  if (spec.url) return spec.url;
  return `${stripChar(baseUrl, '/', 'end')}${spec.path ?? '/'}`;
}

type Fetched = { response: Response; chain: string[] } | { problem: string };

/**
 * One request with the global fetch (Node's built-in undici). Redirects are followed here, one hop
 * at a time, so that the chain can be asserted: credentials are not sent to another origin, and
 * 303 (or 301/302 after a POST) turns the request into a GET without a body, as browsers do.
 */
async function request(spec: HttpSpec, url: string, signal: AbortSignal): Promise<Fetched> {
  let current = url;
  let method: string = spec.method;
  let body = spec.body;
  let headers = { ...spec.headers };
  const chain: string[] = [];
  for (;;) {
    const response = await fetch(current, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual', signal });
    const location = response.headers.get('location');
    if (!spec.followRedirects || !REDIRECT_STATUS.has(response.status) || location === null) return { response, chain };
    await response.body?.cancel();
    if (chain.length >= spec.maxRedirects) return { problem: `more than ${spec.maxRedirects} redirects (${[url, ...chain].join(' → ')})` };
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      return { problem: `status ${response.status} redirects to an invalid URL` };
    }
    if (!['http:', 'https:'].includes(next.protocol)) return { problem: `status ${response.status} redirects to a ${next.protocol} URL` };
    if (next.origin !== new URL(current).origin)
      headers = Object.fromEntries(Object.entries(headers).filter(([h]) => !CREDENTIAL_HEADER.test(h)));
    if ((response.status === 303 && method !== 'HEAD') || ([301, 302].includes(response.status) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([h]) => !/^content-(type|length)$/i.test(h)));
    }
    chain.push(next.href);
    current = next.href;
  }
}

/** Does the check need the body: for its asserts, its captures or its size? */
function needsBody(spec: HttpSpec): boolean {
  const e = spec.expect;
  return Boolean(
    e.json || e.jsonpath || e.bodyContains || e.bodyMatches || spec.capture || e.maxSizeBytes !== undefined || e.minSizeBytes !== undefined,
  );
}

/**
 * Reads at most `limit` bytes of the body; past that the rest is not downloaded. Returns the text
 * and its size, or how far it got when the body is larger.
 */
async function readBody(response: Response, limit: number): Promise<{ text: string; bytes: number; truncated: boolean }> {
  if (!response.body) return { text: '', bytes: 0, truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel();
      return { text: '', bytes, truncated: true };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes, truncated: false };
}

/** One HTTP request (following redirects when asked), then the expectations in order. */
export async function runHttp(spec: HttpSpec, ctx: CheckContext): Promise<Outcome> {
  const url = checkUrl(spec, ctx.target.url);
  const reported = ctx.reportedUrl ?? url;
  const signal = ctx.signal ? AbortSignal.any([AbortSignal.timeout(ctx.timeoutMs), ctx.signal]) : AbortSignal.timeout(ctx.timeoutMs);
  if (spec.expect.tls) {
    const finding = await inspectTls(new URL(url), spec.expect.tls, { timeoutMs: ctx.timeoutMs });
    if (finding.problem) return fail(finding.problem, { transient: finding.transient ?? false, url: reported });
  }
  const started = performance.now();
  let fetched: Fetched;
  try {
    fetched = await request(spec, url, signal);
  } catch (error) {
    return fail(`${spec.method} ${reported}: ${describeError(error)}${timeoutNote(error, ctx)}`, {
      transient: isTransientError(error),
      url: reported,
    });
  }
  if ('problem' in fetched) return fail(fetched.problem, { url: reported });
  const { response, chain } = fetched;
  const latencyMs = Math.round(performance.now() - started);
  const limit = Math.max(MAX_BODY_BYTES, spec.expect.minSizeBytes ?? 0, spec.expect.maxSizeBytes ?? 0);
  let body: { text: string; bytes: number; truncated: boolean };
  try {
    body = spec.method === 'HEAD' ? { text: '', bytes: 0, truncated: false } : await readBody(response, limit);
  } catch (error) {
    return fail(`${spec.method} ${reported}: reading the body: ${describeError(error)}${timeoutNote(error, ctx)}`, {
      transient: isTransientError(error),
      url: reported,
      latencyMs,
    });
  }
  const result = (problem: string | undefined, extra: Partial<Outcome> = {}): Outcome =>
    problem
      ? fail(problem, { url: reported, latencyMs, ...extra })
      : pass({ url: reported, latencyMs, answer: { headers: response.headers, body: body.text } });

  const statusProblem = checkStatus(spec, response);
  if (statusProblem) return result(statusProblem.problem, statusProblem.extra);
  if (body.truncated && needsBody(spec)) {
    const max = spec.expect.maxSizeBytes;
    return result(
      max !== undefined && max >= MAX_BODY_BYTES
        ? `body is over ${formatBytes(max)} (max-size ${max} bytes)`
        : `body is over ${formatBytes(limit)}, the most a check reads; set expect.max-size to allow more`,
    );
  }
  const answer: Answer = {
    headers: response.headers,
    body: body.text,
    bytes: body.bytes,
    latencyMs,
    requestUrl: url,
    chain,
    contentType: response.headers.get('content-type'),
    ...(ctx.redact ? { redact: ctx.redact } : {}),
  };
  return result(await expectationProblem(spec.expect, answer));
}

function checkStatus(spec: HttpSpec, response: Response): { problem: string; extra?: Partial<Outcome> } | undefined {
  const accepted = spec.expect.status;
  const statusOk = accepted ? accepted.includes(response.status) : response.status >= 200 && response.status < 300;
  if (statusOk) return undefined;
  const expected = accepted ? accepted.join(' or ') : '2xx';
  const location = response.status >= 300 && response.status < 400 ? ` (redirect to ${response.headers.get('location') ?? '?'})` : '';
  const problem = `status ${response.status}${location}, expected ${expected}`;
  if (TRANSIENT_STATUS.has(response.status)) return { problem, extra: { transient: true } };
  if (response.status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    // Without Retry-After (or asking for longer than we wait), a 429 is reported, not hammered.
    if (retryAfterMs !== undefined && retryAfterMs <= MAX_RETRY_AFTER_MS)
      return { problem: `${problem} (rate limited)`, extra: { transient: true, retryAfterMs } };
  }
  return { problem };
}

function timeoutNote(error: unknown, ctx: CheckContext): string {
  const name = (error as { name?: unknown })?.name;
  return name === 'TimeoutError' ? ` after ${ctx.timeoutMs}ms` : '';
}
