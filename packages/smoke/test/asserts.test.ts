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

const one = (check: string) => `defaults: { retries: 0 }\nchecks:\n  - ${check}\n`;
const ORDERS = {
  status: 'ready',
  version: 3,
  items: [
    { id: 1, price: 5 },
    { id: 2, price: 12 },
    { id: 3, price: 7 },
  ],
  meta: { region: 'eu' },
};

describe('JSONPath comparisons', () => {
  const cases: [string, string, string | undefined][] = [
    ['count of an array', '$.items: { count: 3 }', undefined],
    ['count with a comparison', "'$.items[*]': { count: { '>=': 4 } }", '$.items[*] count is 3, expected >= 4'],
    ['count of a wrong size', '$.items: { count: 2 }', '$.items count is 3, expected == 2'],
    ['greater than', "$.version: { '>': 2 }", undefined],
    ['less than that fails', "$.version: { '<': 3 }", '$.version is 3, expected < 3'],
    ['every value of a wildcard', "'$.items[*].price': { '<': 10 }", '$.items[*].price (one of its values) is 12, expected < 10'],
    ['in a list', '$.status: { in: [ready, ok] }', undefined],
    ['not in the list', '$.meta.region: { in: [us, ap] }', '$.meta.region is "eu", expected one of ["us","ap"]'],
    ['exists', '$.meta.region: { exists: true }', undefined],
    ['exists that fails', '$.meta.zone: { exists: true }', '$.meta.zone not found in the JSON body'],
    ['absent', '$.error: { exists: false }', undefined],
    ['absent that fails', '$.status: { exists: false }', '$.status exists ("ready"), expected it to be absent'],
    ['a number compared with text', "$.status: { '>': 1 }", '$.status is "ready", expected a number > 1'],
    ['matches', "$.status: { matches: '^rea' }", undefined],
  ];
  it.each(cases)('%s', async (_name, assertion, message) => {
    const server = await serve((_req, res) => json(res, 200, ORDERS));
    const s = await suite(one(`name: orders\n    http: { path: /orders, expect: { jsonpath: { ${assertion} } } }`));
    const { check } = await run(s, { target: server.url });
    expect(check('orders')?.status).toBe(message ? 'failed' : 'passed');
    expect(check('orders')?.message).toBe(message);
  });
});

describe('body, header, size and redirect asserts', () => {
  it('body-matches and header-matches use RE2 patterns', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-build': 'v2.14.0-rc1' });
      res.end('<html><title>Shop</title><p>version 2.14.0</p></html>');
    });
    const passing = await suite(
      one(
        `name: page\n    http: { path: /, expect: { body-matches: ['<title>Shop</title>', 'version \\d+\\.\\d+'], header-matches: { x-build: '^v\\d+\\.\\d+\\.\\d+(-rc\\d+)?$', content-type: '(?i)TEXT/HTML' } } }`,
      ),
    );
    expect((await run(passing, { target: server.url })).check('page')).toMatchObject({ status: 'passed' });
    const failing = await suite(one(`name: page\n    http: { path: /, expect: { body-matches: 'version 3\\.' } }`));
    expect((await run(failing, { target: server.url })).check('page')?.message).toBe('body does not match /version 3\\./');
    const header = await suite(one(`name: page\n    http: { path: /, expect: { header-matches: { x-build: '^v3' } } }`));
    expect((await run(header, { target: server.url })).check('page')?.message).toBe(
      "header x-build is 'v2.14.0-rc1', expected to match /^v3/",
    );
  });

  it('max-size and min-size bound the decoded body', async () => {
    const body = 'x'.repeat(2048);
    const server = await serve((_req, res) => {
      res.end(body);
    });
    const big = await suite(one('name: size\n    http: { path: /, expect: { max-size: 1KB } }'));
    expect((await run(big, { target: server.url })).check('size')?.message).toBe('body is over 1.0 KB (max-size 1024 bytes)');
    const small = await suite(one('name: size\n    http: { path: /, expect: { min-size: 4KB } }'));
    expect((await run(small, { target: server.url })).check('size')?.message).toBe('body is 2048 bytes, under min-size 4096 bytes');
    const fits = await suite(one('name: size\n    http: { path: /, expect: { max-size: 2KB, min-size: 2048 } }'));
    expect((await run(fits, { target: server.url })).check('size')?.status).toBe('passed');
  });

  it('follows redirects one hop at a time: count, chain and final URL', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/old') res.writeHead(301, { location: '/new' }).end();
      else if (req.url === '/new') res.writeHead(302, { location: '/final?x=1' }).end();
      else json(res, 200, { at: req.url });
      return undefined;
    });
    const s = await suite(
      one(
        `name: moved\n    http: { path: /old, follow-redirects: true, expect: { redirects: 2, redirect-chain: [/new, '/final?x=1'], final-url: '/final?x=1', json: { $.at: '/final?x=1' } } }`,
      ),
    );
    const { check } = await run(s, { target: server.url });
    expect(check('moved')).toMatchObject({ status: 'passed' });
    expect(server.requests.map((r) => r.url)).toEqual(['/old', '/new', '/final?x=1']);

    const wrong = await suite(
      one(`name: moved\n    http: { path: /old, follow-redirects: true, expect: { final-url: '${server.url}/elsewhere' } }`),
    );
    expect((await run(wrong, { target: server.url })).check('moved')?.message).toBe(
      `final URL is ${server.url}/final?x=1, expected ${server.url}/elsewhere`,
    );
    const limited = await suite(one('name: moved\n    http: { path: /old, follow-redirects: true, max-redirects: 1 }'));
    expect((await run(limited, { target: server.url })).check('moved')?.message).toBe(
      `more than 1 redirects (${server.url}/old → ${server.url}/new)`,
    );
  });

  it('does not send credentials to another origin on a redirect', async () => {
    const other = await serve((req, res) => json(res, 200, { authorization: req.headers.authorization ?? null }));
    const first = await serve((_req, res) => {
      res.writeHead(302, { location: `${other.url}/landing` }).end();
    });
    const s = await suite(
      one(
        `name: away\n    http: { path: /, headers: { Authorization: 'Bearer s3cr3t-value' }, follow-redirects: true, expect: { json: { $.authorization: null }, redirects: 1 } }`,
      ),
    );
    const { check } = await run(s, { target: first.url });
    expect(check('away')?.status).toBe('passed');
    expect(first.requests[0]?.headers.authorization).toBe('Bearer s3cr3t-value');
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe('the suite file refuses bad asserts, naming the check and the field', () => {
  const invalid = async (yaml: string) => {
    try {
      await suite(yaml);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the suite was accepted');
  };

  it('a backreference or lookaround (not linear-time) in body-matches', async () => {
    const message = await invalid(one("name: page\n    http: { path: /, expect: { body-matches: '(a+)\\1' } }"));
    expect(message).toContain('smoke.yml:4: check \'page\' http.expect.body-matches: "(a+)\\\\1" is not a supported regular expression');
  });

  it('a pattern longer than 1000 characters', async () => {
    const message = await invalid(one(`name: page\n    http: { path: /, expect: { header-matches: { x-a: '${'a'.repeat(1001)}' } } }`));
    expect(message).toContain("check 'page' http.expect.header-matches.x-a:");
    expect(message).toContain('is longer than 1000 characters');
  });

  it('an unknown JSONPath operator, a bad path and redirect asserts without follow-redirects', async () => {
    expect(await invalid(one("name: a\n    http: { path: /, expect: { jsonpath: { $.a: { '!=': 1 } } } }"))).toContain(
      "check 'a' http.expect.jsonpath.$.a: unknown field '!='; accepted: equals, in, exists, count, matches, >, >=, <, <=",
    );
    expect(await invalid(one('name: a\n    http: { path: /, expect: { jsonpath: { $..a: { exists: true } } } }'))).toContain(
      'must be a JSON path such as $.status',
    );
    expect(await invalid(one('name: a\n    http: { path: /, expect: { final-url: /x } }'))).toContain(
      "check 'a' http.expect.final-url: needs follow-redirects: true",
    );
    expect(await invalid(one('name: a\n    http: { path: /, expect: { max-size: lots } }'))).toContain(
      "check 'a' http.expect.max-size: must be a size in bytes such as 512, 100KB or 2MB (at most 1GB), got 'lots'",
    );
  });
});
