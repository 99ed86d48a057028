import { cutText, errorMessage } from '@pipeline-toolkit/core';

/**
 * One instant query against Prometheus's HTTP API (`GET <address>/api/v1/query?query=…`), read as
 * one number. Anything that is not exactly one finite number is inconclusive, with the reason:
 * no series, several series, NaN or ±Inf, a range vector, an error from Prometheus, an HTTP error,
 * no answer in time. The fetch given carries the request policy (timeout, deadline).
 */
export type Reading = { kind: 'value'; value: number; text: string } | { kind: 'inconclusive'; reason: string; text?: string };

interface QueryAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/** The query endpoint under the address (which may carry a path prefix, e.g. https://example.com/prometheus). */
export function queryUrl(address: string, query: string): URL {
  const base = new URL(address.endsWith('/') ? address : `${address}/`);
  const url = new URL('api/v1/query', base);
  url.searchParams.set('query', query);
  return url;
}

/** A sample value as Prometheus writes it ("0.25", "NaN", "+Inf"): a finite number, or why it is not one. */
function sampleValue(text: unknown): Reading {
  if (typeof text !== 'string') return { kind: 'inconclusive', reason: 'the answer has no sample value' };
  // Prometheus writes infinities as +Inf and -Inf, which Number() does not read.
  if (/^[-+]?Inf$/i.test(text)) return { kind: 'inconclusive', reason: `the value is ${text}`, text };
  const value = Number(text);
  if (!text.trim() || Number.isNaN(value))
    return { kind: 'inconclusive', reason: text === 'NaN' ? 'the value is NaN' : 'the value is not a number', text };
  if (!Number.isFinite(value)) return { kind: 'inconclusive', reason: `the value is ${text}`, text };
  return { kind: 'value', value, text };
}

/** Reads a /api/v1/query answer body as one number. */
export function readAnswer(status: number, body: string): Reading {
  let answer: QueryAnswer;
  try {
    answer = JSON.parse(body) as QueryAnswer;
  } catch {
    return { kind: 'inconclusive', reason: `HTTP ${status}, not a Prometheus answer: ${cutText(body.trim(), 200) || '(empty body)'}` };
  }
  if (answer.status !== 'success')
    return {
      kind: 'inconclusive',
      reason: `Prometheus answered HTTP ${status} ${answer.status ?? 'without status'}${answer.errorType ? ` (${answer.errorType})` : ''}: ${cutText(answer.error ?? 'no error text', 300)}`,
    };
  const type = answer.data?.resultType;
  const result = answer.data?.result;
  if (type === 'scalar') return sampleValue(Array.isArray(result) ? result[1] : undefined);
  if (type === 'vector' && Array.isArray(result)) {
    if (result.length === 0) return { kind: 'inconclusive', reason: 'no data (the query returned no series)' };
    if (result.length > 1)
      return {
        kind: 'inconclusive',
        reason: `${result.length} series returned; the condition needs one value (aggregate with sum(), max(), …)`,
        text: result
          .slice(0, 3)
          .map((s: { value?: unknown[] }) => String(s.value?.[1]))
          .join(', '),
      };
    const only = result[0] as { value?: unknown[] };
    return sampleValue(only.value?.[1]);
  }
  return { kind: 'inconclusive', reason: `the result is a ${type ?? 'missing'} result; the condition needs an instant vector or a scalar` };
}

/** Runs one instant query; never throws (a failed request is an inconclusive reading). */
export async function instantQuery(fetchImpl: typeof fetch, address: string, query: string, signal?: AbortSignal): Promise<Reading> {
  try {
    const response = await fetchImpl(queryUrl(address, query), { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
    return readAnswer(response.status, await response.text());
  } catch (error) {
    return { kind: 'inconclusive', reason: `the query failed: ${errorMessage(error)}` };
  }
}
