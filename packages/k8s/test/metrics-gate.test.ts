/**
 * The metrics gate's logic (conditions, limits, inconclusive readings, the window) against a
 * loopback HTTP server that speaks Prometheus's instant-query API (`GET /api/v1/query`) with the
 * answers each test scripts. The clock is simulated: sleeps advance it, nothing is timed.
 */
import { describe, it, expect, afterEach } from '@jest/globals';
import { mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError, MemoryLogger } from '@pipeline-toolkit/core';
import { json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { holds, parseCondition, type Condition } from '../src/metrics/condition.ts';
import { loadMetricsConfig, metricsConfig, type MetricsConfig } from '../src/metrics/config.ts';
import { metricsGate, phaseGate } from '../src/metrics/gate.ts';
import type { Clock, Gate } from '../src/bluegreen/model.ts';

type Answer = { status: number; body: unknown } | 'hang';

/** A Prometheus stand-in: each query (by its PromQL) answers the next scripted answer, repeating the last. */
async function prometheus(script: Record<string, Answer[]>): Promise<LoopbackServer & { asked: string[] }> {
  const asked: string[] = [];
  const served: Record<string, number> = {};
  const server = await startServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname !== '/api/v1/query') return json(res, 404, { status: 'error', errorType: 'not_found', error: url.pathname });
    const query = url.searchParams.get('query') ?? '';
    asked.push(query);
    const answers = script[query];
    if (!answers) return json(res, 400, { status: 'error', errorType: 'bad_data', error: `unexpected query ${query}` });
    const i = served[query] ?? 0;
    served[query] = i + 1;
    const answer = answers[Math.min(i, answers.length - 1)]!;
    if (answer === 'hang') return; // never answers
    if (typeof answer.body === 'string') {
      res.writeHead(answer.status, { 'content-type': 'text/plain' });
      res.end(answer.body);
      return;
    }
    json(res, answer.status, answer.body);
  });
  return Object.assign(server, { asked });
}

const vector = (...values: string[]): Answer => ({
  status: 200,
  body: {
    status: 'success',
    data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { i: String(i) }, value: [1765000000, v] })) },
  },
});
const scalar = (value: string): Answer => ({
  status: 200,
  body: { status: 'success', data: { resultType: 'scalar', result: [1765000000, value] } },
});

function fakeClock(): Clock & { slept: number[] } {
  let now = 1_765_000_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const fail = (where: string, message: string): never => {
  throw new InputError('metrics-config', `${where} ${message}`);
};

function config(address: string, overrides: Partial<Record<string, unknown>> = {}): MetricsConfig {
  return metricsConfig(
    {
      prometheus: address,
      interval: '30s',
      count: 3,
      queries: [{ name: 'error-rate', query: 'sum(rate(errors_total{color="{color}"}[1m]))', success: 'result < 0.01' }],
      ...overrides,
    },
    fail,
  );
}

async function runGate(cfg: MetricsConfig, options: { windowMs?: number; timeoutMs?: number; phase?: 'pre-switch' | 'post-switch' } = {}) {
  const log = new MemoryLogger();
  const clock = fakeClock();
  const gate = metricsGate({
    config: cfg,
    release: 'web',
    namespace: 'shop',
    log,
    clock,
    policy: { attemptTimeoutMs: options.timeoutMs ?? 5_000, deadlineMs: options.timeoutMs ?? 5_000 },
    ...(options.windowMs !== undefined ? { windowMs: options.windowMs } : {}),
  });
  const verdict = await gate({ phase: options.phase ?? 'post-switch', color: 'green', url: 'http://unused' }, new AbortController().signal);
  return { verdict, log, clock, text: log.lines.map((l) => l.message).join('\n') };
}

const Q = 'sum(rate(errors_total{color="green"}[1m]))';

describe('metrics gate: success conditions', () => {
  it('parses result <op> number and refuses anything else, naming the accepted form', () => {
    const c = parseCondition('result < 0.01') as Condition;
    expect(c).toEqual({ operator: '<', threshold: 0.01, text: 'result < 0.01' });
    expect((parseCondition('result>=-1.5e3') as Condition).threshold).toBe(-1500);
    for (const bad of ['result < ', 'x < 1', 'result << 1', 'result < 1; process.exit()', 'result < 1 or result > 2', 'result < NaN'])
      expect(parseCondition(bad)).toMatch(/must be 'result <op> <number>'/);
  });

  it('compares with each operator', () => {
    const at = (text: string, value: number) => holds(parseCondition(text) as Condition, value);
    expect([at('result < 1', 0.5), at('result < 1', 1), at('result <= 1', 1), at('result > 1', 1), at('result >= 1', 1)]).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
    expect([at('result == 0', 0), at('result != 0', 0), at('result != 0', 2)]).toEqual([true, false, true]);
  });
});

describe('metrics gate: configuration', () => {
  it('names the key and what it accepts', () => {
    const base = { prometheus: 'http://127.0.0.1:9090', queries: [{ name: 'a', query: 'up', success: 'result == 1' }] };
    expect(() => metricsConfig({ ...base, intervall: '1m' }, fail)).toThrow(/intervall is not a known key; accepted: prometheus, phase/);
    expect(() => metricsConfig({ ...base, interval: '0s' }, fail)).toThrow(/interval must be a duration from 1s to 1h/);
    expect(() => metricsConfig({ ...base, count: 1.5 }, fail)).toThrow(/count must be a whole number from 1 to 1000/);
    expect(() => metricsConfig({ ...base, phase: 'later' }, fail)).toThrow(/phase must be pre-switch or post-switch/);
    expect(() => metricsConfig({ ...base, prometheus: 'ftp://x' }, fail)).toThrow(/prometheus must be an http\(s\) URL/);
    expect(() => metricsConfig({ ...base, prometheus: 'http://u:p@x:9090' }, fail)).toThrow(/must not carry a user or password/);
    expect(() => metricsConfig({ queries: base.queries }, fail)).toThrow(/prometheus is required/);
    expect(() => metricsConfig({ ...base, queries: [{ name: 'a', query: 'up', success: 'up == 1' }] }, fail)).toThrow(
      /queries\[0\]\.success must be 'result <op> <number>'/,
    );
    expect(() => metricsConfig({ ...base, queries: [...base.queries, ...base.queries] }, fail)).toThrow(/'a' is used twice/);
    const ok = metricsConfig(base, fail);
    expect(ok).toMatchObject({ phase: 'post-switch', intervalMs: 30_000, count: 5, failureLimit: 0, inconclusiveLimit: 0 });
  });

  it('reads the YAML file and names the input and the file in an error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'metrics-'));
    const file = path.join(dir, 'metrics.yml');
    await writeFile(
      file,
      'prometheus: http://127.0.0.1:9090\ninterval: 5s\ncount: 2\nfailure-limit: 1\nqueries:\n  - name: up\n    query: up\n    success: result == 1\n',
    );
    expect(await loadMetricsConfig(file)).toMatchObject({ intervalMs: 5000, count: 2, failureLimit: 1 });
    await writeFile(file, 'prometheus: [\n');
    await expect(loadMetricsConfig(file)).rejects.toThrow(
      new RegExp(`Input 'metrics-config' \\(${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) is not valid YAML`),
    );
    // larger than 1 MB: refused by its size before it is read (sparse, 600 MB on paper)
    await truncate(file, 600 * 1024 * 1024);
    await expect(loadMetricsConfig(file)).rejects.toThrow(`Input 'metrics-config' (${file}) is 600.0 MB, larger than 1024 KB.`);
  });
});

describe('metrics gate: measurements against a Prometheus API', () => {
  it('passes when every measurement meets the condition, querying the colour, count times, interval apart', async () => {
    const server = await prometheus({ [Q]: [vector('0.002'), vector('0.004'), scalar('0')] });
    servers.push(server);
    const { verdict, clock, text } = await runGate(config(server.url));
    expect(verdict.passed).toBe(true);
    expect(server.asked).toEqual([Q, Q, Q]);
    expect(clock.slept).toEqual([30_000, 30_000]);
    expect(verdict.summary).toMatch(/green in 3 measurement\(s\)/);
    expect(text).toContain('metrics [1/3] error-rate: 0.002 meets result < 0.01');
    expect(verdict.markdown).toContain(`error-rate: ${Q}`);
  });

  it('fails at the first failed measurement with failure-limit 0, showing the value and the query', async () => {
    const server = await prometheus({ [Q]: [vector('0.002'), vector('0.2'), vector('0.001')] });
    servers.push(server);
    const { verdict, text } = await runGate(config(server.url));
    expect(verdict.passed).toBe(false);
    expect(server.asked).toHaveLength(2);
    expect(verdict.summary).toContain(
      `metrics failed: error-rate = 0.2 does not meet result < 0.01 (1 failed measurement(s), failure-limit 0); query: ${Q}`,
    );
    expect(text).toContain(`metrics [2/3] error-rate: 0.2 FAILS result < 0.01; query: ${Q}`);
  });

  it('tolerates failures up to failure-limit and fails on the one beyond', async () => {
    const server = await prometheus({ [Q]: [vector('0.5'), vector('0.001'), vector('0.7'), vector('0.001')] });
    servers.push(server);
    const tolerant = await runGate(config(server.url, { 'failure-limit': 1, count: 4 }));
    expect(tolerant.verdict.passed).toBe(false);
    expect(server.asked).toHaveLength(3);
    expect(tolerant.verdict.summary).toContain('error-rate = 0.7 does not meet result < 0.01 (2 failed measurement(s), failure-limit 1)');
  });

  it.each([
    ['no data', vector(), /inconclusive: no data \(the query returned no series\)/],
    ['NaN', vector('NaN'), /inconclusive: the value is NaN \(value NaN\)/],
    ['+Inf', scalar('+Inf'), /inconclusive: the value is \+Inf \(value \+Inf\)/],
    [
      'several series',
      vector('0.001', '0.002'),
      /inconclusive: 2 series returned; the condition needs one value .* \(value 0\.001, 0\.002\)/,
    ],
    [
      'a Prometheus error',
      { status: 422, body: { status: 'error', errorType: 'execution', error: 'query processing would load too many samples' } },
      /inconclusive: Prometheus answered HTTP 422 error \(execution\): query processing would load too many samples/,
    ],
    [
      'an HTTP error that is not Prometheus',
      { status: 502, body: 'Bad Gateway' },
      /inconclusive: HTTP 502, not a Prometheus answer: Bad Gateway/,
    ],
  ] as [string, Answer, RegExp][])('treats %s as inconclusive and fails safe, naming the query', async (_what, answer, reason) => {
    const server = await prometheus({ [Q]: [answer] });
    servers.push(server);
    const { verdict, text } = await runGate(config(server.url));
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toMatch(reason);
    expect(verdict.summary).toContain(`query: ${Q}`);
    expect(verdict.summary).toMatch(/^metrics inconclusive: /);
    expect(text).toMatch(/metrics \[1\/3\] error-rate: INCONCLUSIVE/);
    expect(verdict.markdown).toContain('| 1 |');
  });

  it('treats a Prometheus that does not answer within request-timeout as inconclusive', async () => {
    const server = await prometheus({ [Q]: ['hang'] });
    servers.push(server);
    const { verdict } = await runGate(config(server.url), { timeoutMs: 300 });
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toMatch(/error-rate is inconclusive: the query failed: No answer from 127\.0\.0\.1:\d+\/api\/v1\/query/);
  });

  it('tolerates inconclusive measurements up to inconclusive-limit', async () => {
    const server = await prometheus({ [Q]: [vector(), vector('0.001'), vector('0.001')] });
    servers.push(server);
    const { verdict } = await runGate(config(server.url, { 'inconclusive-limit': 1 }));
    expect(verdict.passed).toBe(true);
    expect(server.asked).toHaveLength(3);
  });

  it('with a window (promote-after), measures from its start to its end, every interval', async () => {
    const server = await prometheus({ [Q]: [vector('0.001')] });
    servers.push(server);
    // interval 30s, window 100s: measurements at 0, 30, 60, 90 and 100 s.
    const { verdict, clock } = await runGate(config(server.url, { count: 1 }), { windowMs: 100_000 });
    expect(verdict.passed).toBe(true);
    expect(clock.slept).toEqual([30_000, 30_000, 30_000, 10_000]);
    expect(server.asked).toHaveLength(5);
  });

  it('keeps a path prefix of the address', async () => {
    const server = await prometheus({});
    servers.push(server);
    const { verdict } = await runGate(config(`${server.url}/prom`));
    expect(verdict.summary).toMatch(/HTTP 404 error \(not_found\): \/prom\/api\/v1\/query/);
  });
});

describe('metrics gate: a phase with several gates and a window', () => {
  const clockAndGates = () => {
    const clock = fakeClock();
    const calls: string[] = [];
    const gate =
      (name: string, passed: boolean | boolean[]): Gate =>
      async () => {
        calls.push(name);
        const results = Array.isArray(passed) ? passed : [passed];
        const i = calls.filter((c) => c === name).length - 1;
        return { passed: results[Math.min(i, results.length - 1)]!, summary: `${name} ${i}` };
      };
    return { clock, calls, gate };
  };
  const request = { phase: 'post-switch' as const, color: 'green' as const, url: 'http://x' };

  it('does not run the metrics after a failed smoke gate', async () => {
    const { clock, calls, gate } = clockAndGates();
    const verdict = await phaseGate({ smoke: gate('smoke', false), metrics: gate('metrics', true), clock })!(
      request,
      new AbortController().signal,
    );
    expect(verdict.passed).toBe(false);
    expect(calls).toEqual(['smoke']);
  });

  it('promotes after the window only if the smoke suite is still green at its end', async () => {
    const { clock, calls, gate } = clockAndGates();
    const verdict = await phaseGate({ smoke: gate('smoke', [true, false]), windowMs: 600_000, clock })!(
      request,
      new AbortController().signal,
    );
    expect(calls).toEqual(['smoke', 'smoke']);
    expect(clock.slept).toEqual([600_000]);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toBe('smoke 0; at the end of the 10m window: smoke 1');
  });

  it('has no window before the switch', async () => {
    const { clock, calls, gate } = clockAndGates();
    const verdict = await phaseGate({ smoke: gate('smoke', true), windowMs: 600_000, clock })!(
      { ...request, phase: 'pre-switch' },
      new AbortController().signal,
    );
    expect(verdict.passed).toBe(true);
    expect(calls).toEqual(['smoke']);
    expect(clock.slept).toEqual([]);
  });
});
