/**
 * The expectations of an http check on its answer, in a fixed order; the first one that does not
 * hold is the check's message. Regular expressions run on RE2 (linear time), JSONPaths on the strict
 * subset of jsonpath.ts: nothing from the suite or the answer is ever evaluated as code.
 */
import { formatBytes } from '@pipeline-toolkit/core';
import type { Comparison, HttpExpect, JsonAssert } from '../model.ts';
import { hasWildcard, matches, parseJsonPath, select, selectAll } from '../jsonpath.ts';
import { regex } from '../regex.ts';

/** Headers whose values are never quoted in a message. */
export const SENSITIVE_HEADER = /^(set-cookie|cookie|authorization|proxy-authorization|www-authenticate|x-api-key)$/i;

export interface Answer {
  headers: Headers;
  body: string;
  /** Bytes of the decoded body. */
  bytes: number;
  latencyMs: number;
  /** The request URL, and the URLs redirected to. */
  requestUrl: string;
  chain: string[];
  contentType: string | null;
  /** Hides secrets in a value quoted from the answer before it is cut short (a cut secret would escape redaction). */
  redact?: (text: string) => string;
}

type Redact = (text: string) => string;
const asIs: Redact = (text) => text;

export async function expectationProblem(expect: HttpExpect, answer: Answer): Promise<string | undefined> {
  return (
    sizeProblem(expect, answer.bytes) ??
    redirectProblem(expect, answer) ??
    (await bodyProblem(expect, answer)) ??
    (await headerProblem(expect, answer.headers)) ??
    latencyProblem(expect, answer.latencyMs)
  );
}

function sizeProblem(expect: HttpExpect, bytes: number): string | undefined {
  if (expect.maxSizeBytes !== undefined && bytes > expect.maxSizeBytes)
    return `body is over ${formatBytes(expect.maxSizeBytes)} (max-size ${expect.maxSizeBytes} bytes)`;
  if (expect.minSizeBytes !== undefined && bytes < expect.minSizeBytes)
    return `body is ${bytes} bytes, under min-size ${expect.minSizeBytes} bytes`;
  return undefined;
}

/** An expected URL is absolute, or a path (with query) on the origin of the request. */
function sameUrl(actual: string, expected: string, requestUrl: string): boolean {
  try {
    return new URL(actual).href === new URL(expected, requestUrl).href;
  } catch {
    return false;
  }
}

function redirectProblem(expect: HttpExpect, answer: Answer): string | undefined {
  const { chain, requestUrl } = answer;
  const finalUrl = chain.at(-1) ?? requestUrl;
  if (expect.redirects !== undefined && chain.length !== expect.redirects)
    return `${chain.length} redirect${chain.length === 1 ? '' : 's'} (${chain.join(' → ') || 'none'}), expected ${expect.redirects}`;
  if (expect.redirectChain) {
    const expected = expect.redirectChain;
    const same = expected.length === chain.length && expected.every((url, i) => sameUrl(chain[i] as string, url, requestUrl));
    if (!same) return `redirect chain is ${chain.join(' → ') || 'empty'}, expected ${expected.join(' → ') || 'none'}`;
  }
  if (expect.finalUrl !== undefined && !sameUrl(finalUrl, expect.finalUrl, requestUrl))
    return `final URL is ${finalUrl}, expected ${expect.finalUrl}`;
  return undefined;
}

async function bodyProblem(expect: HttpExpect, answer: Answer): Promise<string | undefined> {
  const { body } = answer;
  if (expect.json || expect.jsonpath) {
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      return `body is not JSON (content-type ${answer.contentType ?? 'not set'})`;
    }
    for (const [path, expected] of Object.entries(expect.json ?? {})) {
      const segments = parseJsonPath(path);
      if (!segments || hasWildcard(segments)) return `'${path}' is not a supported JSON path (use $.a.b, $.items[0], $['a key'])`;
      const selection = select(document, segments);
      if (!selection.found) return `${path} not found in the JSON body`;
      if (!matches(selection.value, expected)) return `${path} is ${short(selection.value, answer.redact)}, expected ${short(expected)}`;
    }
    for (const assertion of expect.jsonpath ?? []) {
      const problem = await jsonAssertProblem(document, assertion, answer.redact ?? asIs);
      if (problem) return problem;
    }
  }
  for (const text of expect.bodyContains ?? []) {
    if (!body.includes(text)) return `body does not contain '${text}'`;
  }
  for (const pattern of expect.bodyMatches ?? []) {
    if (!(await regex(pattern)).test(body)) return `body does not match /${pattern}/`;
  }
  return undefined;
}

async function headerProblem(expect: HttpExpect, headers: Headers): Promise<string | undefined> {
  const shown = (name: string, value: string) => (SENSITIVE_HEADER.test(name) ? '' : ` is '${value.slice(0, 100)}'`);
  for (const [name, text] of Object.entries(expect.header ?? {})) {
    const value = headers.get(name);
    if (value === null) return `header ${name} is missing`;
    if (!value.toLowerCase().includes(text.toLowerCase())) return `header ${name}${shown(name, value)}, expected to contain '${text}'`;
  }
  for (const [name, pattern] of Object.entries(expect.headerMatches ?? {})) {
    const value = headers.get(name);
    if (value === null) return `header ${name} is missing`;
    if (!(await regex(pattern)).test(value)) return `header ${name}${shown(name, value)}, expected to match /${pattern}/`;
  }
  return undefined;
}

function latencyProblem(expect: HttpExpect, latencyMs: number): string | undefined {
  if (expect.maxLatencyMs !== undefined && latencyMs > expect.maxLatencyMs) {
    return `latency ${latencyMs}ms over the budget of ${expect.maxLatencyMs}ms`;
  }
  return undefined;
}

const OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=', equals: '==' } as const;

function compare(actual: number, comparison: Comparison): string | undefined {
  for (const [key, symbol] of Object.entries(OPERATORS) as [keyof Comparison, string][]) {
    const bound = comparison[key];
    if (bound === undefined) continue;
    const holds =
      key === 'gt'
        ? actual > bound
        : key === 'gte'
          ? actual >= bound
          : key === 'lt'
            ? actual < bound
            : key === 'lte'
              ? actual <= bound
              : actual === bound;
    if (!holds) return `${symbol} ${bound}`;
  }
  return undefined;
}

/** `$.items: { count: 3 }`, `$.version: { '>': 2 }`, `$.state: { in: [a, b] }`, `$.id: { exists: true }`. */
async function jsonAssertProblem(document: unknown, assertion: JsonAssert, redact: Redact): Promise<string | undefined> {
  const { path } = assertion;
  const segments = parseJsonPath(path) ?? [];
  const values = selectAll(document, segments);
  if (assertion.exists === false && values.length) return `${path} exists (${short(values[0], redact)}), expected it to be absent`;
  if (assertion.exists === true && !values.length) return `${path} not found in the JSON body`;
  if (assertion.count !== undefined) {
    const only = values[0];
    const count = hasWildcard(segments)
      ? values.length
      : values.length === 1 && Array.isArray(only)
        ? only.length
        : values.length === 1 && only && typeof only === 'object'
          ? Object.keys(only).length
          : undefined;
    if (count === undefined)
      return values.length ? `${path} is ${short(only, redact)}, not a list to count` : `${path} not found in the JSON body`;
    const expected = typeof assertion.count === 'number' ? { equals: assertion.count } : assertion.count;
    const failed = compare(count, expected);
    if (failed) return `${path} count is ${count}, expected ${failed}`;
  }
  const valueChecks = ['equals', 'in', 'matches', 'gt', 'gte', 'lt', 'lte'] as const;
  if (!valueChecks.some((key) => assertion[key] !== undefined)) return undefined;
  if (!values.length) return `${path} not found in the JSON body`;
  for (const value of values) {
    const problem = await valueProblem(value, assertion);
    if (problem) return `${path}${values.length > 1 ? ' (one of its values)' : ''} is ${short(value, redact)}, expected ${problem}`;
  }
  return undefined;
}

async function valueProblem(value: unknown, assertion: JsonAssert): Promise<string | undefined> {
  if (assertion.equals !== undefined && !matches(value, assertion.equals)) return short(assertion.equals);
  if (assertion.in && !assertion.in.some((accepted) => matches(value, accepted))) return `one of ${short(assertion.in)}`;
  if (assertion.matches !== undefined) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (!(await regex(assertion.matches)).test(text)) return `to match /${assertion.matches}/`;
  }
  const { gt, gte, lt, lte } = assertion;
  const comparison = Object.fromEntries(Object.entries({ gt, gte, lt, lte }).filter(([, v]) => v !== undefined)) as Comparison;
  if (Object.keys(comparison).length) {
    if (typeof value !== 'number')
      return `a number ${Object.entries(comparison)
        .map(([k, v]) => `${OPERATORS[k as keyof Comparison]} ${v}`)
        .join(' and ')}`;
    return compare(value, comparison);
  }
  return undefined;
}

export function short(value: unknown, redact: Redact = asIs): string {
  const text = redact(JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
