import { afterEach, describe, expect, it } from '@jest/globals';
import { json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { percentile95 } from '../src/runner.ts';
import { smokeFailure, summaryMarkdown } from '../src/index.ts';
import { run, suite } from './helpers.ts';

const servers: LoopbackServer[] = [];
async function serve(...args: Parameters<typeof startServer>): Promise<LoopbackServer> {
  const server = await startServer(...args);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Real waits, recorded. */
function realSleep() {
  const sleeps: number[] = [];
  return { sleeps, sleep: (ms: number) => (sleeps.push(ms), delay(ms)) };
}

/** Answers 404 (the item is not there yet) until `readyAfterMs` has passed since its first request. */
async function eventuallyReady(readyAfterMs: number) {
  let first: number | undefined;
  return serve((_req, res) => {
    first ??= performance.now();
    return performance.now() - first >= readyAfterMs ? json(res, 200, { state: 'ready' }) : json(res, 404, { state: 'pending' });
  });
}

describe('until: poll a check until its asserts pass', () => {
  it('polls a server that becomes healthy after 1.5s, through non-transient failures, and reports polls and time', async () => {
    const server = await eventuallyReady(1500);
    const s = await suite(
      'defaults: { retries: 0 }\nchecks:\n  - name: item\n    until: { timeout: 20s, interval: 200ms }\n    http: { path: /item, expect: { json: { $.state: ready } } }\n',
    );
    const timing = realSleep();
    const { check } = await run(s, { target: server.url, deps: { sleep: timing.sleep, random: Math.random } });
    const result = check('item');
    expect(result?.status).toBe('passed');
    expect(result?.attempts).toBe(server.requests.length);
    expect(result?.attempts).toBeGreaterThan(1);
    // It cannot pass before the server is ready.
    expect(result?.durationMs).toBeGreaterThanOrEqual(1500);
    expect(result?.message).toMatch(new RegExp(`^passed after ${result?.attempts} polls in \\d+(\\.\\d)?s$`));
    expect(timing.sleeps.every((ms) => ms === 200)).toBe(true);
    expect(timing.sleeps).toHaveLength((result?.attempts ?? 0) - 1);
  });

  it('gives up when the next poll would start after the timeout, with the last failure', async () => {
    const server = await eventuallyReady(60_000);
    const s = await suite(
      'defaults: { retries: 5 }\nchecks:\n  - name: item\n    until: { timeout: 1s, interval: 300ms }\n    http: { path: /item }\n',
    );
    const timing = realSleep();
    const { check } = await run(s, { target: server.url, deps: { sleep: timing.sleep, random: Math.random } });
    const result = check('item');
    expect(result?.status).toBe('failed');
    // Polls at 0, 300, 600, 900ms at most: one more would start after the second.
    expect(result?.attempts).toBeGreaterThanOrEqual(2);
    expect(result?.attempts).toBeLessThanOrEqual(4);
    expect(server.requests).toHaveLength(result?.attempts ?? -1);
    expect(timing.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(1000);
    expect(result?.message).toMatch(
      new RegExp(`^status 404, expected 2xx \\(still failing after ${result?.attempts} polls in [\\d.]+m?s \\(until: 1s\\)\\)$`),
    );
  });

  it('stops polling at once when the run is cancelled, and starts nothing more', async () => {
    const server = await eventuallyReady(60_000);
    const s = await suite(
      'defaults: { retries: 0, concurrency: 1 }\nchecks:\n  - name: item\n    until: { timeout: 10m, interval: 5s }\n    http: { path: /item }\n  - name: later\n    http: { path: /later }\n',
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const { check } = await run(s, { target: server.url, signal: controller.signal, deps: { sleep: delay, random: Math.random } });
    expect(check('item')?.status).toBe('failed');
    expect(check('item')?.message).toMatch(/\(cancelled after 1 poll in \d+ms\)$/);
    expect(check('later')).toMatchObject({ status: 'skipped', message: 'not run: the run was cancelled' });
    expect(server.requests.map((r) => r.url)).toEqual(['/item']);
  });

  it('refuses an until block that is not bounded or polls faster than 100ms', async () => {
    const invalid = async (yaml: string) =>
      suite(yaml).then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    const base = (until: string) => `checks:\n  - name: item\n    until: ${until}\n    http: { path: /item }\n`;
    expect(await invalid(base('{ interval: 5s }'))).toContain(
      "check 'item' until.timeout: is required: a duration such as 500ms, 5s or 1m",
    );
    expect(await invalid(base('{ timeout: 45m }'))).toContain("check 'item' until.timeout: must be from 100ms to 30m");
    expect(await invalid(base('{ timeout: 2h }'))).toContain(
      "check 'item' until.timeout: must be a duration such as 500ms, 5s or 1m (from 1ms to 1h), got '2h'",
    );
    expect(await invalid(base('{ timeout: 10s, interval: 10ms }'))).toContain(
      "check 'item' until.interval: must be from 100ms to the timeout",
    );
  });
});

describe('latency budget of the suite', () => {
  it('p95 by nearest rank', () => {
    expect(percentile95([])).toBeUndefined();
    expect(percentile95([40])).toBe(40);
    // 20 samples: rank ceil(0.95 × 20) = 19.
    expect(percentile95(Array.from({ length: 20 }, (_, i) => 20 - i))).toBe(19);
    // 100 samples: rank 95.
    expect(percentile95(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(95);
  });

  const SLOW_SUITE = (gate: boolean) => `latency-budget: { p95: 50ms, gate: ${gate} }
defaults: { retries: 0 }
checks:
  - name: fast
    http: { path: /fast }
  - name: slow
    http: { path: /slow }
  - name: env
    env: { required: [] }
`;

  async function slowServer() {
    return serve(async (req, res) => {
      if (req.url === '/slow') await delay(150);
      json(res, 200, {});
    });
  }

  it('reports p95 of the HTTP checks and fails the suite over budget when gated', async () => {
    const server = await slowServer();
    const { result, log } = await run(await suite(SLOW_SUITE(true)), { target: server.url });
    const latencies = result.checks.filter((c) => c.kind === 'http').map((c) => c.latencyMs as number);
    // Two samples: the p95 is the larger one, the slow check (at least its 150ms delay).
    expect(result.latency).toEqual({ samples: 2, p95Ms: Math.max(...latencies), budgetMs: 50, withinBudget: false, gate: true });
    expect(result.latency.p95Ms).toBeGreaterThanOrEqual(150);
    expect(result.summary.failed).toBe(0);
    expect(result.result).toBe('failed');
    expect(smokeFailure(result)).toBe(
      `Smoke tests failed against ${server.url}: latency p95 ${result.latency.p95Ms}ms over the budget of 50ms.`,
    );
    expect(summaryMarkdown(result, log.redactor)).toContain(`p95 ${result.latency.p95Ms}ms / 50ms ❌`);
    expect(log.lines.find((l) => l.level === 'error')?.message).toBe(
      `Latency p95: ${result.latency.p95Ms}ms over 2 HTTP checks, budget 50ms: over budget.`,
    );
  });

  it('only warns over budget when not gated', async () => {
    const server = await slowServer();
    const { result, log } = await run(await suite(SLOW_SUITE(false)), { target: server.url });
    expect(result.result).toBe('passed');
    expect(result.latency.withinBudget).toBe(false);
    expect(log.lines.some((l) => l.level === 'warning' && l.message.endsWith('over budget (not gated).'))).toBe(true);
  });
});
