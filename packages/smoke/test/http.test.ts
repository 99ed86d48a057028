import { afterEach, describe, expect, it } from '@jest/globals';
import { json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
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

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const one = (check: string, defaults = '{ retries: 2, backoff: 10ms }') => `defaults: ${defaults}\nchecks:\n  - ${check}\n`;

describe('HTTP checks against loopback servers', () => {
  it('passes a healthy endpoint: status, JSON path, body, header and latency budget', async () => {
    const server = await serve((_req, res) => json(res, 200, { status: 'ok', db: { up: true }, items: [{ id: 7 }], orders: [] }));
    const s = await suite(
      one(
        `name: health\n    http: { path: /health, expect: { status: 200, json: { "$.status": ok, "$.db.up": true, "$.items[0].id": "7" }, body-contains: orders, header: { content-type: json }, max-latency: 10s } }`,
      ),
    );
    const { result, check } = await run(s, { target: server.url });
    expect(result.result).toBe('passed');
    expect(check('health')).toMatchObject({ status: 'passed', attempts: 1, kind: 'http', url: `${server.url}/health`, budgetMs: 10_000 });
    expect(typeof check('health')?.latencyMs).toBe('number');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /health']);
  });

  it('fails a slow answer over its latency budget without retrying it', async () => {
    const server = await serve(async (_req, res) => {
      await delay(120);
      json(res, 200, { status: 'ok' });
    });
    const s = await suite(one('name: slow\n    http: { path: /health, expect: { max-latency: 20ms } }'));
    const { result, check } = await run(s, { target: server.url });
    expect(result.result).toBe('failed');
    expect(check('slow')?.status).toBe('failed');
    expect(check('slow')?.message).toMatch(/^latency \d+ms over the budget of 20ms$/);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a timeout and reports it as timed out', async () => {
    const server = await serve(async (_req, res) => {
      await delay(600);
      json(res, 200, {});
    });
    const s = await suite(one('name: sleepy\n    timeout: 100ms\n    retries: 1\n    http: { path: /health }'));
    const { check } = await run(s, { target: server.url });
    expect(check('sleepy')).toMatchObject({ status: 'failed', attempts: 2 });
    expect(check('sleepy')?.message).toContain('timed out after 100ms');
    expect(server.requests).toHaveLength(2);
  });

  it('retries 503 and passes on the next attempt (not flaky: the failure was transient)', async () => {
    let calls = 0;
    const server = await serve((_req, res) => (++calls === 1 ? json(res, 503, { error: 'warming up' }) : json(res, 200, { status: 'ok' })));
    const s = await suite(one('name: health\n    http: { path: /health }'));
    const { check, sleeps } = await run(s, { target: server.url });
    expect(check('health')).toMatchObject({ status: 'passed', attempts: 2 });
    expect(check('health')?.message).toBe('passed on attempt 2 (earlier: status 503, expected 2xx)');
    // backoff 10ms, equal jitter with random 0.5: 5 + 2.5
    expect(sleeps).toEqual([8]);
  });

  it('waits for Retry-After on 429, and does not retry a 429 without it', async () => {
    let calls = 0;
    const server = await serve((req, res) => {
      calls++;
      if (req.url === '/limited' && calls === 1) return json(res, 429, {}, { 'retry-after': '2' });
      if (req.url === '/limited') return json(res, 200, {});
      return json(res, 429, {});
    });
    const s = await suite(
      'defaults: { retries: 3, backoff: 10ms, concurrency: 1 }\nchecks:\n  - name: limited\n    http: { path: /limited }\n  - name: no-retry-after\n    http: { path: /other }\n',
    );
    const { check, sleeps } = await run(s, { target: server.url });
    expect(check('limited')).toMatchObject({ status: 'passed', attempts: 2 });
    expect(sleeps).toEqual([2000]);
    expect(check('no-retry-after')).toMatchObject({ status: 'failed', attempts: 1, message: 'status 429, expected 2xx' });
  });

  it('fails on wrong JSON and on a body that is not JSON, without retrying', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>hi</html>');
      } else json(res, 200, { status: 'degraded' });
    });
    const s = await suite(
      'defaults: { backoff: 10ms }\nchecks:\n  - name: wrong\n    http: { path: /health, expect: { json: { "$.status": ok } } }\n  - name: missing\n    http: { path: /health, expect: { json: { "$.db.up": true } } }\n  - name: html\n    http: { path: /html, expect: { json: { "$.status": ok } } }\n',
    );
    const { check } = await run(s, { target: server.url });
    expect(check('wrong')).toMatchObject({ status: 'failed', attempts: 1, message: '$.status is "degraded", expected "ok"' });
    expect(check('missing')?.message).toBe('$.db.up not found in the JSON body');
    expect(check('html')?.message).toBe('body is not JSON (content-type text/html)');
  });

  it('retries connection refused and then reports it', async () => {
    const closed = await startServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const s = await suite(one('name: down\n    http: { path: /health }'));
    const { check, sleeps } = await run(s, { target: url });
    expect(check('down')).toMatchObject({ status: 'failed', attempts: 3 });
    expect(check('down')?.message).toBe(`GET ${url}/health: connection refused (after 3 attempts)`);
    expect(sleeps).toEqual([8, 15]);
  });

  it('does not follow redirects unless asked, and can assert on them', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/home') {
        res.writeHead(302, { location: '/login' });
        res.end();
      } else json(res, 200, { page: 'login' });
    });
    const s = await suite(
      [
        'defaults: { backoff: 10ms }',
        'checks:',
        '  - name: plain',
        '    http: { path: /home, expect: { status: 200 } }',
        '  - name: redirect',
        '    http: { path: /home, expect: { status: 302, header: { location: /login } } }',
        '  - name: followed',
        '    http: { path: /home, follow-redirects: true, expect: { json: { "$.page": login } } }',
      ].join('\n'),
    );
    const { check } = await run(s, { target: server.url });
    expect(check('plain')).toMatchObject({ status: 'failed', message: 'status 302 (redirect to /login), expected 200' });
    expect(check('redirect')?.status).toBe('passed');
    expect(check('followed')?.status).toBe('passed');
  });

  it('retries a flaky check on assertion failures and reports a later pass as flaky', async () => {
    let calls = 0;
    const server = await serve((req, res) => {
      if (req.url === '/flaky') return ++calls < 3 ? json(res, 500, {}) : json(res, 200, {});
      json(res, 500, {});
    });
    const s = await suite(
      'defaults: { retries: 2, backoff: 10ms }\nchecks:\n  - name: recommendations\n    tags: [flaky]\n    http: { path: /flaky }\n  - name: strict\n    http: { path: /strict }\n',
    );
    const { result, check, log } = await run(s, { target: server.url });
    expect(check('recommendations')).toMatchObject({ status: 'flaky', attempts: 3 });
    expect(check('strict')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(result.summary).toMatchObject({ passed: 0, failed: 1, flaky: 1, skipped: 0, total: 2 });
    expect(log.lines.some((l) => l.level === 'warning' && l.message.includes("'recommendations' is flaky"))).toBe(true);
  });

  it('fails the suite on a flaky pass only with fail-on-flaky', async () => {
    let calls = 0;
    const server = await serve((_req, res) => (++calls % 2 === 1 ? json(res, 500, {}) : json(res, 200, {})));
    const s = await suite(one('name: recommendations\n    tags: [flaky]\n    http: { path: /r }'));
    expect((await run(s, { target: server.url })).result.result).toBe('passed');
    expect((await run(s, { target: server.url, failOnFlaky: true })).result.result).toBe('failed');
  });

  it('stops at the first failing critical check with fail-fast', async () => {
    const server = await serve((req, res) => json(res, req.url === '/bad' ? 500 : 200, {}));
    const s = await suite(
      'defaults: { concurrency: 1, backoff: 10ms }\nchecks:\n  - name: a\n    tags: [critical]\n    http: { path: /bad }\n  - name: b\n    http: { path: /ok }\n',
    );
    const fast = await run(s, { target: server.url, failFast: true });
    expect(fast.check('b')).toMatchObject({
      status: 'skipped',
      attempts: 0,
      message: "not run: fail-fast after critical check 'a' failed",
    });
    expect(server.requests.map((r) => r.url)).toEqual(['/bad']);
    const full = await run(s, { target: server.url });
    expect(full.check('b')?.status).toBe('passed');
  });

  it('starts critical checks first with fail-fast, and keeps the suite order in the result', async () => {
    const server = await serve((req, res) => json(res, req.url === '/bad' ? 500 : 200, {}));
    const s = await suite(
      'defaults: { concurrency: 1, backoff: 10ms }\nchecks:\n  - name: minor\n    http: { path: /ok }\n  - name: key\n    tags: [critical]\n    http: { path: /bad }\n',
    );
    const { result } = await run(s, { target: server.url, failFast: true });
    expect(server.requests.map((r) => r.url)).toEqual(['/bad']);
    expect(result.checks.map((c) => [c.name, c.status])).toEqual([
      ['minor', 'skipped'],
      ['key', 'failed'],
    ]);
  });

  it('refuses mutating requests against production unless allowed', async () => {
    const server = await serve((_req, res) => json(res, 201, {}));
    const s = await suite(
      `targets: { production: "${server.url}" }\n${one('name: create order\n    http: { method: post, path: /orders, body: { sku: 1 } }')}`,
    );
    const guarded = await run(s, { target: 'production' });
    expect(guarded.check('create order')).toMatchObject({
      status: 'skipped',
      message: expect.stringContaining('refused: POST against production'),
    });
    expect(server.requests).toHaveLength(0);
    const allowed = await run(s, { target: 'production', allowMutating: true });
    expect(allowed.check('create order')?.status).toBe('passed');
    expect(server.requests.map((r) => [r.method, r.body, r.headers['content-type']])).toEqual([['POST', '{"sku":1}', 'application/json']]);
  });

  it('does not poll a mutating health check against production either', async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const s = await suite(`targets: { production: "${server.url}" }\n${one('name: health\n    http: { method: POST, path: /health }')}`);
    const { log, check } = await run(s, { target: 'production', waitUntilHealthyMs: 1000 });
    expect(log.text()).toContain(
      'wait-until-healthy: refused: POST against production; set allow-mutating: true to allow it; running the suite now.',
    );
    expect(check('health')?.status).toBe('skipped');
    expect(server.requests).toHaveLength(0);
  });

  it('selects checks by tag and refuses a selection that matches nothing', async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const s = await suite(
      'checks:\n  - name: a\n    tags: [critical]\n    http: { path: /a }\n  - name: b\n    tags: [smoke]\n    http: { path: /b }\n',
    );
    const critical = await run(s, { target: server.url, tags: ['critical'] });
    expect(critical.result.checks.map((c) => c.name)).toEqual(['a']);
    const excluded = await run(s, { target: server.url, tags: ['!critical'] });
    expect(excluded.result.checks.map((c) => c.name)).toEqual(['b']);
    await expect(run(s, { target: server.url, tags: ['nope'] })).rejects.toThrow(
      "No check matches the tags 'nope'. Tags in the suite: critical, smoke.",
    );
  });

  it('waits until healthy before running the suite', async () => {
    let calls = 0;
    const server = await serve((_req, res) => (++calls <= 3 ? json(res, 503, {}) : json(res, 200, { status: 'ok' })));
    const s = await suite(one('name: health\n    http: { path: /health }', '{ retries: 0, backoff: 10ms }'));
    const { check, log, sleeps } = await run(s, { target: server.url, waitUntilHealthyMs: 60_000 });
    expect(log.text()).toContain("Healthy: 'health' passed after 4 polls.");
    // The user sees the wait start and its first failure at once, not minutes of silence.
    expect(log.text()).toContain("Waiting up to 1m for 'health' to pass before the suite…");
    expect(log.text()).toMatch(/still waiting \(\d+(ms|\.\d+s|s) of 1m\): 'health' status 503, expected 2xx/);
    expect(sleeps).toEqual([10, 20, 40]);
    expect(check('health')).toMatchObject({ status: 'passed', attempts: 1 });
  });

  it('runs the suite anyway when the service is not healthy by the deadline', async () => {
    const server = await serve((_req, res) => json(res, 503, {}));
    const s = await suite(one('name: health\n    http: { path: /health }', '{ retries: 0, backoff: 100ms }'));
    const { check, log } = await run(s, {
      target: server.url,
      waitUntilHealthyMs: 1000,
      deps: { sleep: async (ms) => void (await delay(ms)) },
    });
    expect(log.text()).toContain("Not healthy after 1s: 'health' status 503, expected 2xx. Running the suite anyway.");
    expect(check('health')).toMatchObject({ status: 'failed', attempts: 1 });
    // polls at 0, ~100, ~300 and ~700 ms (the next, ~800 ms later, would fall after the deadline), then the suite's own request
    expect(server.requests).toHaveLength(5);
  });

  it('never prints header values, cookies or query tokens', async () => {
    const server = await serve((req, res) => json(res, 401, { seen: req.headers.authorization }));
    const s = await suite(
      one(
        'name: orders\n    http: { path: "/api/orders?token=${QUERY_TOKEN}&page=1", headers: { Authorization: "Bearer ${API_TOKEN}", Cookie: "session=${SESSION}" } }',
      ),
      { API_TOKEN: 'sekr1t-bearer-value', QUERY_TOKEN: 'q-tok-987654', SESSION: 'cookie-value-123' },
    );
    const { result, log } = await run(s, { target: server.url });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sekr1t-bearer-value');
    expect(server.requests[0]?.headers.cookie).toBe('session=cookie-value-123');
    const { jsonReport, junitReport, summaryMarkdown } = await import('../src/index.ts');
    const everything = [
      JSON.stringify(jsonReport(result, log.redactor)),
      junitReport(result, log.redactor),
      summaryMarkdown(result, log.redactor),
      log.text(),
    ].join('\n');
    expect(everything).toContain('/api/orders?token=***&amp;page=1');
    expect(everything).not.toContain('QUERY_TOKEN');
    for (const secret of ['sekr1t-bearer-value', 'q-tok-987654', 'cookie-value-123']) expect(everything).not.toContain(secret);
  });
});
