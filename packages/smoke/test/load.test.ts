import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InputError } from '@pipeline-toolkit/core';
import { loadSuite, resolveTarget } from '../src/index.ts';
import { parseSuite } from '../src/load.ts';
import { interpolate, SECRET_NAME } from '../src/interpolate.ts';

/** The example of the issue, verbatim. */
const EXAMPLE = `targets:
  production: \${PRODUCTION_URL}
  local: \${LOCAL_URL:-http://localhost:8000}
defaults: { timeout: 5s, retries: 2, backoff: 500ms, concurrency: 8 }
checks:
  - name: health
    tags: [smoke, critical]
    http: { path: /health, expect: { status: 200, json: { "$.status": ok }, max-latency: 800ms } }
  - name: orders API
    tags: [critical]
    http: { method: GET, path: /api/orders, headers: { Authorization: "Bearer \${API_TOKEN}" },
            expect: { status: [200, 204], body-contains: orders, header: { content-type: json } } }
  - name: recommendations
    tags: [flaky]
    http: { path: /api/recommendations, expect: { status: 200 } }
  - name: database
    tags: [critical]
    postgres: { host: \${DB_HOST}, port: \${DB_PORT}, database: \${DB_NAME} }   # connects, SELECT 1
  - name: cache port
    tcp: { host: \${REDIS_HOST:-localhost}, port: 6379 }
  - name: configuration
    tags: [critical]
    env: { required: [SECRET_KEY, DB_HOST, DB_PORT, DB_NAME], one-of: { ENVIRONMENT: [development, production] } }
`;

const ENV = { API_TOKEN: 'tok-abcdef123456', DB_HOST: 'db.internal', DB_PORT: '5432', DB_NAME: 'shop' };

async function expectInputError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as Error).message;
}

describe('interpolate', () => {
  it('substitutes ${VAR}, applies ${VAR:-default} to unset or empty variables, keeps $$ as $', () => {
    const result = interpolate('${A}-${B:-dflt}-${C:-x}-$$-${MISSING}', { A: 'a', C: '' });
    expect(result.value).toBe('a-dflt-x-$-');
    expect(result.missing).toEqual(['MISSING']);
    expect(result.used).toEqual(['A']);
  });

  it('reports malformed references', () => {
    expect(interpolate('${1X} ${}', {}).invalid).toEqual(['${1X}', '${}']);
  });
});

describe('SECRET_NAME', () => {
  it('matches the names of credentials, not every name with a common word in it', () => {
    const names = [
      'API_TOKEN',
      'SECRET_KEY',
      'DB_PASSWORD',
      'PGPASSWORD',
      'STRIPE_API_KEY',
      'BASIC_AUTH',
      'SESSION_COOKIE',
      'DB_PWD',
      'GIT_AUTHOR_NAME',
      'DB_HOST',
      'MONKEY',
      'PWD',
      'OLDPWD',
    ];
    expect(names.filter((n) => SECRET_NAME.test(n))).toEqual([
      'API_TOKEN',
      'SECRET_KEY',
      'DB_PASSWORD',
      'PGPASSWORD',
      'STRIPE_API_KEY',
      'BASIC_AUTH',
      'SESSION_COOKIE',
      'DB_PWD',
    ]);
  });
});

describe('parseSuite', () => {
  it('reads the example of the issue, flow mappings with ${VAR} included', async () => {
    const suite = await parseSuite(EXAMPLE, { file: 'smoke.yml', env: ENV });
    expect(suite.checks.map((c) => [c.name, c.kind])).toEqual([
      ['health', 'http'],
      ['orders API', 'http'],
      ['recommendations', 'http'],
      ['database', 'postgres'],
      ['cache port', 'tcp'],
      ['configuration', 'env'],
    ]);
    const [health, orders, , database, cache] = suite.checks;
    expect(health).toMatchObject({ timeoutMs: 5000, retries: 2, backoffMs: 500, where: 'smoke.yml:6' });
    expect(health?.kind === 'http' && health.http.expect).toEqual({ status: [200], json: { '$.status': 'ok' }, maxLatencyMs: 800 });
    expect(orders?.kind === 'http' && orders.http.headers).toEqual({ Authorization: 'Bearer tok-abcdef123456' });
    expect(orders?.kind === 'http' && orders.http.expect).toEqual({
      status: [200, 204],
      bodyContains: ['orders'],
      header: { 'content-type': 'json' },
    });
    expect(database?.kind === 'postgres' && database.postgres).toEqual({ host: 'db.internal', port: 5432, database: 'shop', ssl: false });
    expect(cache?.kind === 'tcp' && cache.tcp).toEqual({ host: 'localhost', port: 6379 });
    expect(suite.concurrency).toBe(8);
    expect(suite.targets['local']).toMatchObject({ url: 'http://localhost:8000' });
    expect(suite.targets['production']).toEqual({ missing: 'PRODUCTION_URL', where: 'smoke.yml:2' });
    // The bearer token is a secret of the suite (header values and secret-named variables).
    expect(suite.secrets).toContain('tok-abcdef123456');
  });

  it('does not read variable values as YAML', async () => {
    const text = 'checks:\n  - name: env\n    http: { url: "${U}", headers: { X-Note: ${NOTE} } }\n';
    const suite = await parseSuite(text, { file: 's.yml', env: { U: 'http://x.test/a', NOTE: 'a, b: [c] }' } });
    const check = suite.checks[0];
    expect(check?.kind === 'http' && check.http.headers).toEqual({ 'X-Note': 'a, b: [c] }' });
  });

  it('names the file and line of an unset variable', async () => {
    const message = await expectInputError(parseSuite(EXAMPLE, { file: 'smoke.yml', env: { ...ENV, DB_HOST: '' } }));
    expect(message).toContain('smoke.yml:18: ${DB_HOST} is not set');
    expect(message).toContain('${DB_HOST:-value}');
  });

  it('reports invalid YAML with its line', async () => {
    const message = await expectInputError(parseSuite('checks:\n  - name: a\n    http: { path: /x\n', { file: 'bad.yml', env: {} }));
    expect(message).toMatch(/bad\.yml:\d+: invalid YAML/);
  });

  it('reports an unknown check type at its line, naming the accepted ones', async () => {
    const text = 'checks:\n  - name: ok\n    tcp: { host: a, port: 1 }\n  - name: cache\n    redis: { host: a }\n';
    const message = await expectInputError(parseSuite(text, { file: 'smoke.yml', env: {} }));
    expect(message).toContain("smoke.yml:5: check 'cache': unknown field 'redis'");
    expect(message).toContain('http, tcp, postgres, env, command');
  });

  it('reports a bad URL, a bad status and a bad duration with file:line and field', async () => {
    const text = [
      'targets:',
      '  staging: ftp://staging',
      'checks:',
      '  - name: a',
      '    http: { url: "not a url" }',
      '  - name: b',
      '    http: { path: /x, expect: { status: 2000, max-latency: soon } }',
    ].join('\n');
    const message = await expectInputError(parseSuite(text, { file: 'smoke.yml', env: {} }));
    expect(message).toContain("smoke.yml:5: check 'a' http.url: must be an absolute URL (http:// or https://)");
    expect(message).toContain("smoke.yml:7: check 'b' http.expect.status");
    expect(message).toContain('HTTP status code');
    expect(message).toContain(
      "smoke.yml:7: check 'b' http.expect.max-latency: must be a duration such as 500ms, 5s or 1m (from 1ms to 1h), got 'soon'",
    );
  });

  it('quotes at most 60 characters of a wrong value, never cutting an emoji in half', async () => {
    // The JSON of the value is a quote and 58 letters, then a 4-unit emoji across the 60th character.
    const value = `${'a'.repeat(58)}👍🏽${'b'.repeat(500)}`;
    const text = `checks:\n  - name: a\n    http: { path: /x, expect: { status: "${value}" } }\n`;
    const message = await expectInputError(parseSuite(text, { file: 'smoke.yml', env: {} }));
    expect(message).toContain(`got "${'a'.repeat(58)}…`);
    expect(message).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(message).not.toContain('b'.repeat(100));
  });

  it('refuses numbers outside their bounds: negative, zero timeouts, NaN, Infinity, huge, naming field and range', async () => {
    const cases: [string, string][] = [
      ['retries: -1', 'retries: must be a whole number from 0 to 10'],
      ['retries: .nan', 'retries: must be a whole number from 0 to 10'],
      ['retries: 1e400', 'retries: must be a whole number from 0 to 10'],
      ['timeout: 0', 'timeout: must be a duration such as 500ms, 5s or 1m (from 1ms to 1h)'],
      ['timeout: 99999999999h', 'timeout: must be a duration such as 500ms, 5s or 1m (from 1ms to 1h)'],
      ['timeout: .inf', 'timeout: must be a duration such as 500ms, 5s or 1m (from 1ms to 1h)'],
      ['backoff: -5s', 'backoff: must be a duration such as 500ms, 5s or 1m (from 0 to 1h)'],
      ['tcp: { host: h, port: 70000 }', 'tcp.port: must be a port number from 1 to 65535'],
      [
        'http: { path: /x, expect: { max-size: 2GB } }',
        'http.expect.max-size: must be a size in bytes such as 512, 100KB or 2MB (at most 1GB)',
      ],
    ];
    for (const [field, expected] of cases) {
      const kind = field.startsWith('tcp') || field.startsWith('http') ? '' : '\n    tcp: { host: h, port: 1 }';
      const text = `checks:\n  - name: a\n    ${field}${kind}\n`;
      const message = await expectInputError(parseSuite(text, { file: 'smoke.yml', env: {} }));
      expect(message).toContain(`smoke.yml:3: check 'a' ${expected}`);
    }
  });

  it('reports a bad target URL with its line', async () => {
    const text = 'targets:\n  staging: ftp://staging\nchecks:\n  - name: a\n    tcp: { host: a, port: 1 }\n';
    const message = await expectInputError(parseSuite(text, { file: 'smoke.yml', env: {} }));
    expect(message).toContain("smoke.yml:2: targets.staging: must be an http:// or https:// URL, got 'ftp://staging'");
  });

  it('requires exactly one kind per check and unique names', async () => {
    const text = 'checks:\n  - name: a\n  - name: a\n    tcp: { host: h, port: 1 }\n    env: { required: [A] }\n';
    const message = await expectInputError(parseSuite(text, { file: 'smoke.yml', env: {} }));
    expect(message).toContain("smoke.yml:2: check 'a': a check needs exactly one of http, tcp, postgres, env, command; found none");
    expect(message).toContain('found tcp, env');
    expect(message).toContain("duplicate check name 'a'");
  });
});

describe('loadSuite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'smoke-load-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('falls back to the built-in default suite following the original design', async () => {
    const suite = await loadSuite({ cwd: dir, env: { DB_HOST: 'db', DB_PORT: '5432', PRODUCTION_URL: 'https://shop.example' } });
    expect(suite.source).toBe('built-in default suite');
    expect(suite.checks.map((c) => `${c.name}:${c.kind}`)).toEqual(['configuration:env', 'health:http', 'database port:tcp']);
    expect(suite.checks[0]?.kind === 'env' && suite.checks[0].env).toEqual({
      required: ['SECRET_KEY', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'ENVIRONMENT'],
      oneOf: { ENVIRONMENT: ['development', 'production'] },
    });
    expect(resolveTarget(suite, 'production')).toEqual({ url: 'https://shop.example', environment: 'production', production: true });
    expect(resolveTarget(suite, 'local').url).toBe('http://localhost:8000');
  });

  it('interpolates from a .env file, the process environment winning', async () => {
    await writeFile(path.join(dir, '.env'), 'LOCAL_URL=http://from-dotenv:9000\nDB_HOST=dotenv-db\n# comment\nDB_PORT="6543"\n');
    await writeFile(path.join(dir, 'smoke.yml'), 'checks:\n  - name: db\n    tcp: { host: ${DB_HOST}, port: ${DB_PORT} }\n');
    const suite = await loadSuite({ cwd: dir, env: { DB_HOST: 'env-db' } });
    expect(suite.source).toBe('smoke.yml');
    expect(suite.checks[0]?.kind === 'tcp' && suite.checks[0].tcp).toEqual({ host: 'env-db', port: 6543 });
    expect(resolveTarget(suite, 'local').url).toBe('http://from-dotenv:9000');
  });

  it('refuses a missing suite file or env file that was named explicitly', async () => {
    expect(await expectInputError(loadSuite({ cwd: dir, config: 'nope.yml', env: {} }))).toContain("'nope.yml' does not exist");
    expect(await expectInputError(loadSuite({ cwd: dir, envFile: 'missing.env', env: {} }))).toContain("'missing.env' does not exist");
  });

  it('refuses an env file or a suite that is a pipe or a device, without waiting for a writer or reading without end', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.env')]);
    await symlink('/dev/zero', path.join(dir, 'zero.yml'));
    expect(await expectInputError(loadSuite({ cwd: dir, envFile: 'pipe.env', env: {} }))).toBe(
      "The env file 'pipe.env' is a named pipe, not a regular file.",
    );
    expect(await expectInputError(loadSuite({ cwd: dir, config: 'zero.yml', env: {} }))).toBe(
      "Cannot read the smoke suite 'zero.yml': it is a character device, not a regular file.",
    );
  });

  it('refuses a suite file larger than 16 MB by its size, before reading it', async () => {
    await writeFile(path.join(dir, 'huge.yml'), 'checks: []\n');
    await truncate(path.join(dir, 'huge.yml'), 600 * 1024 * 1024);
    expect(await expectInputError(loadSuite({ cwd: dir, config: 'huge.yml', env: {} }))).toBe(
      "Cannot read the smoke suite 'huge.yml': it is 600.0 MB; a suite is read whole, up to 16.0 MB.",
    );
  });

  it('resolves targets: unknown names, non-http URLs and unset target variables are refused', async () => {
    const suite = await parseSuite(EXAMPLE, { file: 'smoke.yml', env: { ...ENV, ENVIRONMENT: 'production' } });
    expect(() => resolveTarget(suite, 'production')).toThrow(
      "Input 'target': target 'production' needs PRODUCTION_URL (smoke.yml:2), which is not set.",
    );
    expect(() => resolveTarget(suite, 'staging')).toThrow(
      "Input 'target' must be a target of smoke.yml (production, local) or an http(s) URL, got 'staging'.",
    );
    expect(() => resolveTarget(suite, 'ftp://x')).toThrow('must be an http:// or https:// URL');
    expect(resolveTarget(suite, 'http://localhost:8000/')).toEqual({
      url: 'http://localhost:8000/',
      environment: 'local',
      production: false,
    });
    // A bare URL takes ENVIRONMENT, so the production guard applies to it.
    expect(resolveTarget(suite, 'https://shop.example')).toMatchObject({ environment: 'production', production: true });
  });
});
