import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { summariseSmoke } from '@pipeline-toolkit/slack';
import { summaryMarkdown, writeReports } from '../src/index.ts';
import { run, suite } from './helpers.ts';

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A login flow: POST /login gives a token (and a session header), the API wants it back. */
async function loginServer() {
  const token = `tok-${randomBytes(12).toString('hex')}`;
  const session = `sess-${randomBytes(8).toString('hex')}`;
  const csrf = randomBytes(6).toString('hex');
  const server = await startServer((req, res) => {
    if (req.method === 'POST' && req.url === '/login') {
      const { user, password } = JSON.parse(req.body || '{}') as { user?: string; password?: string };
      if (user !== 'smoke' || password !== 'pa55word-smoke') return json(res, 401, { error: 'bad credentials' });
      return json(res, 200, { token, expires: 3600 }, { 'x-session': session });
    }
    if (req.url === '/form') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<form><input type="hidden" name="csrf" value="${csrf}"></form>`);
      return undefined;
    }
    if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { error: 'no token' });
    if (req.url === `/api/sessions/${session}?csrf=${csrf}`) return json(res, 200, { active: true });
    // Echoes the token: a failing assert on it quotes it in the check's message.
    return json(res, 200, { user: 'smoke', echo: token });
  });
  servers.push(server);
  return { server, token, session, csrf };
}

const LOGIN_SUITE = `defaults: { retries: 0, concurrency: 8 }
checks:
  - name: profile
    http:
      path: /api/me
      headers: { Authorization: 'Bearer \${captures.token}' }
      expect: { json: { $.user: smoke } }
  - name: echo
    tags: [critical]
    http:
      path: /api/me
      headers: { Authorization: 'Bearer \${captures.token}' }
      expect: { jsonpath: { $.echo: { equals: not-the-token } } }
  - name: session
    http:
      path: '/api/sessions/\${captures.session}?csrf=\${captures.csrf}'
      headers: { Authorization: 'Bearer \${captures.token}' }
      expect: { json: { $.active: true } }
  - name: form
    http: { path: /form, capture: { csrf: 'regex:name="csrf" value="([0-9a-f]+)"' } }
  - name: login
    http:
      method: POST
      path: /login
      body: { user: smoke, password: '\${SMOKE_PASSWORD}' }
      capture: { token: $.token, session: 'header:X-Session' }
`;

describe('captures and chained requests', () => {
  it('logs in, then calls the API with the token; the token is in no report', async () => {
    const { server, token, session } = await loginServer();
    const s = await suite(LOGIN_SUITE, { SMOKE_PASSWORD: 'pa55word-smoke' });
    const { result, log, check } = await run(s, { target: server.url });

    expect(check('login')?.status).toBe('passed');
    expect(check('form')?.status).toBe('passed');
    expect(check('profile')?.status).toBe('passed');
    expect(check('session')?.status).toBe('passed');
    expect(check('echo')?.status).toBe('failed');
    expect(log.redactor.redact(check('echo')?.message ?? '')).toBe('$.echo is "***", expected "not-the-token"');
    // The API calls came after the login that made their token, though listed before it.
    const order = server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`);
    expect(order.indexOf('POST /login')).toBeLessThan(order.indexOf('GET /api/me'));
    expect(server.requests.find((r) => r.url.startsWith('/api/sessions/'))?.headers.authorization).toBe(`Bearer ${token}`);
    // Reports show the request as written, never the captured values.
    expect(check('session')?.url).toBe(`${server.url}/api/sessions/\${captures.session}?csrf=\${captures.csrf}`);

    const dir = await mkdtemp(path.join(tmpdir(), 'smoke-captures-'));
    try {
      const files = await writeReports(result, { json: 'r.json', junit: 'r.xml', cwd: dir }, log.redactor);
      const reports = {
        log: log.text(),
        json: await readFile(files.json as string, 'utf8'),
        junit: await readFile(files.junit as string, 'utf8'),
        summary: summaryMarkdown(result, log.redactor),
        slack: JSON.stringify(summariseSmoke(JSON.parse(await readFile(files.json as string, 'utf8')))),
      };
      for (const [name, text] of Object.entries(reports)) {
        expect({ name, hasToken: text.includes(token), hasSession: text.includes(session) }).toEqual({
          name,
          hasToken: false,
          hasSession: false,
        });
      }
      expect(reports.slack).toContain('echo');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('skips the checks that need a capture when the check that makes it fails', async () => {
    const { server } = await loginServer();
    const s = await suite(LOGIN_SUITE, { SMOKE_PASSWORD: 'wrong-password' });
    const { check } = await run(s, { target: server.url });
    expect(check('login')).toMatchObject({ status: 'failed', message: 'status 401, expected 2xx' });
    expect(check('profile')).toMatchObject({ status: 'skipped', message: "not run: needs captures of 'login', which failed" });
    expect(server.requests.map((r) => r.url)).toEqual(expect.not.arrayContaining(['/api/me']));
  });

  it('fails the check whose capture finds nothing, naming the capture', async () => {
    const server = await startServer((_req, res) => json(res, 200, { other: 1 }));
    servers.push(server);
    const s = await suite(
      "defaults: { retries: 0 }\nchecks:\n  - name: login\n    http: { path: /login, capture: { token: $.token } }\n  - name: api\n    http: { path: '/x/${captures.token}' }\n",
    );
    const { check } = await run(s, { target: server.url });
    expect(check('login')?.message).toBe("capture 'token' found nothing: $.token is not in the JSON body");
    expect(check('api')?.status).toBe('skipped');
  });

  it('runs the check that makes a capture when only its user is selected by tag', async () => {
    const { server } = await loginServer();
    const tagged = LOGIN_SUITE.replace('  - name: profile\n', '  - name: profile\n    tags: [api]\n');
    const s = await suite(tagged, { SMOKE_PASSWORD: 'pa55word-smoke' });
    const { result, log } = await run(s, { target: server.url, tags: ['api'] });
    expect(result.checks.map((c) => `${c.name}:${c.status}`)).toEqual(['profile:passed', 'login:passed']);
    expect(log.text()).toContain("Also running 'login': a selected check uses its captures.");
  });

  it('refuses a capture that nothing makes, a cycle and a capture outside a request, naming the check', async () => {
    const invalid = async (yaml: string) =>
      suite(yaml).then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    expect(
      await invalid(
        "checks:\n  - name: api\n    http: { path: '/x/${captures.tokn}' }\n  - name: login\n    http: { path: /l, capture: { token: $.t } }\n",
      ),
    ).toContain("smoke.yml:2: check 'api' uses ${captures.tokn}, which no check captures (captured: token)");
    expect(
      await invalid(
        "checks:\n  - name: a\n    http: { path: '/a/${captures.b}', capture: { a: $.a } }\n  - name: b\n    http: { path: '/b/${captures.a}', capture: { b: $.b } }\n",
      ),
    ).toContain("smoke.yml:2: check 'a' depends on its own captures through 'a' → 'b' → 'a'");
    expect(
      await invalid(
        "checks:\n  - name: a\n    http: { path: /a, capture: { a: $.a } }\n  - name: t\n    tcp: { host: '${captures.a}', port: 1 }\n",
      ),
    ).toContain("check 't': ${captures.NAME} can be used only in an http check's path, url, headers and body");
    expect(await invalid("checks:\n  - name: a\n    http: { path: /a, capture: { a: 'cookie:x' } }\n")).toContain(
      "check 'a' http.capture.a: must be a JSON path ($.token), 'header:<Name>' or 'regex:<pattern>', got 'cookie:x'",
    );
    expect(
      await invalid(
        'checks:\n  - name: a\n    http: { path: /a, capture: { a: $.a } }\n  - name: b\n    http: { path: /b, capture: { a: $.b } }\n',
      ),
    ).toContain("check 'b' http.capture.a: 'a' is already captured by check 'a'");
  });
});
