import { InputError, parseDuration, quoteValue, readTextFile, refusalText } from '@pipeline-toolkit/core';
import { parseCondition, type Condition } from './condition.ts';

/**
 * The metrics gate's configuration (input `metrics-config`, a YAML file):
 *
 *   prometheus: http://prometheus.monitoring:9090   # address (a path prefix is kept)
 *   phase: post-switch          # or pre-switch: when the analysis runs
 *   interval: 30s               # between measurements (1s–1h)
 *   count: 10                   # measurements (1–1000); promote-after replaces it by a window
 *   failure-limit: 0            # failed measurements tolerated per query (more fails the gate)
 *   inconclusive-limit: 0       # inconclusive ones tolerated per query (more fails the gate too)
 *   queries:
 *     - name: error-rate
 *       query: sum(rate(http_requests_total{code=~"5..",color="{color}"}[1m])) / sum(rate(http_requests_total{color="{color}"}[1m]))
 *       success: result < 0.01
 *
 * `{color}`, `{release}` and `{namespace}` in a query are replaced by the colour under analysis, the
 * release and the namespace.
 */
export type MetricsPhase = 'pre-switch' | 'post-switch';
export const METRICS_PHASES = ['pre-switch', 'post-switch'] as const satisfies readonly MetricsPhase[];

export interface MetricQuery {
  name: string;
  /** The PromQL as written, placeholders not yet replaced. */
  query: string;
  success: Condition;
}

export interface MetricsConfig {
  prometheus: string;
  phase: MetricsPhase;
  intervalMs: number;
  count: number;
  failureLimit: number;
  inconclusiveLimit: number;
  queries: MetricQuery[];
}

const KEYS = ['prometheus', 'phase', 'interval', 'count', 'failure-limit', 'inconclusive-limit', 'queries'];
const QUERY_KEYS = ['name', 'query', 'success'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_FILE_BYTES = 1024 * 1024;
export const INTERVAL = { defaultMs: 30_000, minMs: 1_000, maxMs: 3_600_000 };
export const COUNT = { default: 5, min: 1, max: 1000 };
const LIMIT = { min: 0, max: 1000 };

type Fail = (where: string, message: string) => never;

function integer(value: unknown, where: string, bounds: { min: number; max: number }, fallback: number, fail: Fail): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < bounds.min || value > bounds.max)
    fail(where, `must be a whole number from ${bounds.min} to ${bounds.max}, got ${quoteValue(String(value))}`);
  return value;
}

function interval(value: unknown, fail: Fail): number {
  if (value === undefined || value === null) return INTERVAL.defaultMs;
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined || ms < INTERVAL.minMs || ms > INTERVAL.maxMs)
    fail('interval', `must be a duration from 1s to 1h (e.g. 30s, 1m), got ${quoteValue(String(value))}`);
  return ms;
}

function address(value: unknown, fail: Fail): string {
  if (typeof value !== 'string' || !value.trim())
    fail('prometheus', 'is required: the http(s) address of Prometheus (e.g. http://prometheus:9090)');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return fail('prometheus', `must be an http(s) URL, got ${quoteValue(value)}`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) fail('prometheus', `must be an http(s) URL, got ${quoteValue(value)}`);
  if (url.username || url.password) fail('prometheus', 'must not carry a user or password (the address is shown in logs)');
  if (url.search || url.hash) fail('prometheus', 'must be the address only, without query or fragment');
  return url.href;
}

/** Validates a parsed YAML document; every error names the file, the key and what is accepted. */
export function metricsConfig(document: unknown, fail: Fail): MetricsConfig {
  if (!document || typeof document !== 'object' || Array.isArray(document)) fail('', 'must be a YAML mapping with prometheus and queries');
  const doc = document as Record<string, unknown>;
  for (const key of Object.keys(doc)) if (!KEYS.includes(key)) fail(key, `is not a known key; accepted: ${KEYS.join(', ')}`);
  const phase = doc['phase'] ?? 'post-switch';
  if (!METRICS_PHASES.includes(phase as MetricsPhase))
    fail('phase', `must be ${METRICS_PHASES.join(' or ')}, got ${quoteValue(String(phase))}`);
  const queries = doc['queries'];
  if (!Array.isArray(queries) || queries.length === 0 || queries.length > 20)
    fail('queries', 'must be a list of 1 to 20 queries, each with name, query and success');
  const names = new Set<string>();
  const parsed = queries.map((q: unknown, i): MetricQuery => {
    const at = `queries[${i}]`;
    if (!q || typeof q !== 'object' || Array.isArray(q)) fail(at, 'must be a mapping with name, query and success');
    const entry = q as Record<string, unknown>;
    for (const key of Object.keys(entry))
      if (!QUERY_KEYS.includes(key)) fail(`${at}.${key}`, `is not a known key; accepted: ${QUERY_KEYS.join(', ')}`);
    const name = entry['name'];
    if (typeof name !== 'string' || !NAME.test(name))
      fail(`${at}.name`, `must be 1 to 64 characters of letters, digits, '_', '.', '-', got ${quoteValue(String(name))}`);
    if (names.has(name)) fail(`${at}.name`, `'${name}' is used twice; names must be unique`);
    names.add(name);
    const query = entry['query'];
    if (typeof query !== 'string' || !query.trim() || query.length > 4000)
      fail(`${at}.query`, 'must be a PromQL expression of 1 to 4000 characters');
    const success = typeof entry['success'] === 'string' ? parseCondition(entry['success']) : "is required, e.g. 'result < 0.01'";
    if (typeof success === 'string') fail(`${at}.success`, success);
    return { name, query: query.trim(), success };
  });
  return {
    prometheus: address(doc['prometheus'], fail),
    phase: phase as MetricsPhase,
    intervalMs: interval(doc['interval'], fail),
    count: integer(doc['count'], 'count', COUNT, COUNT.default, fail),
    failureLimit: integer(doc['failure-limit'], 'failure-limit', LIMIT, 0, fail),
    inconclusiveLimit: integer(doc['inconclusive-limit'], 'inconclusive-limit', LIMIT, 0, fail),
    queries: parsed,
  };
}

/** Reads and validates the file; bad content is an InputError naming the input, the file and the key. */
export async function loadMetricsConfig(file: string, input = 'metrics-config', label = `Input '${input}'`): Promise<MetricsConfig> {
  const fail: Fail = (where, message) => {
    throw new InputError(input, `${label} (${file})${where ? `: ${where}` : ''} ${message}.`);
  };
  const text = await readTextFile(file, MAX_FILE_BYTES, (refusal) =>
    fail('', refusal.kind === 'too-large' ? `is ${refusal.size}, larger than ${MAX_FILE_BYTES / 1024} KB` : refusalText(refusal, 'it')),
  );
  const yaml = await import('yaml');
  let document: unknown;
  try {
    document = (yaml.default ?? yaml).parse(text, { maxAliasCount: 50 });
  } catch (error) {
    fail('', `is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return metricsConfig(document, fail);
}

/** The PromQL sent for a query: placeholders replaced (values are a colour and DNS labels, safe inside PromQL strings). */
export function resolveQuery(query: string, vars: { color: string; release: string; namespace: string }): string {
  return query.replaceAll('{color}', vars.color).replaceAll('{release}', vars.release).replaceAll('{namespace}', vars.namespace);
}
