import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { createRunnerEnv, json, runBundle, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';

const SUITE = `targets:
  local: \${LOCAL_URL:-http://localhost:8000}
defaults: { retries: 2, backoff: 10ms }
checks:
  - name: health
    tags: [smoke, critical]
    http: { path: /health, expect: { status: 200, json: { "$.status": ok }, max-latency: 10s } }
  - name: orders API
    tags: [critical]
    http: { path: /api/orders, headers: { Authorization: "Bearer \${API_TOKEN}" }, expect: { body-contains: orders } }
  - name: recommendations
    tags: [flaky]
    http: { path: /api/recommendations }
  - name: configuration
    env: { required: [SECRET_KEY], one-of: { ENVIRONMENT: [development, production] } }
`;

describe('dist/smoke-test run as the runner runs it', () => {
  let server: LoopbackServer;
  let recommendations = 0;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/health') return json(res, 200, { status: 'ok' });
      if (req.url === '/api/orders')
        return json(res, req.headers.authorization === 'Bearer bundle-token-123456' ? 200 : 401, { orders: [] });
      if (req.url === '/api/recommendations') return json(res, ++recommendations === 1 ? 500 : 200, {});
      json(res, 404, {});
    });
  });
  afterAll(() => server.close());

  it('runs a suite file, writes the JUnit and JSON reports, sets outputs and the summary', async () => {
    const runner = await createRunnerEnv();
    try {
      await writeFile(path.join(runner.dir, 'smoke.yml'), SUITE);
      await writeFile(path.join(runner.dir, '.env'), 'ENVIRONMENT=production\nSECRET_KEY=dotenv-secret-value\n');
      const result = await runBundle('smoke-test', {
        runner,
        inputs: { target: 'local' },
        env: { LOCAL_URL: server.url, API_TOKEN: 'bundle-token-123456' },
      });
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.outputs).toEqual({
        result: 'passed',
        passed: '3',
        failed: '0',
        flaky: '1',
        skipped: '0',
        'junit-file': path.join(runner.dir, 'smoke-junit.xml'),
        'json-file': path.join(runner.dir, 'smoke-result.json'),
      });
      const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
        await readFile(path.join(runner.dir, 'smoke-junit.xml'), 'utf8'),
      ) as { testsuites: { tests: string; failures: string; testsuite: { testcase: { name: string; classname: string }[] } } };
      expect(junit.testsuites).toMatchObject({ tests: '4', failures: '0' });
      expect(junit.testsuites.testsuite.testcase.map((c) => `${c.classname} ${c.name}`)).toEqual([
        'smoke.http health',
        'smoke.http orders API',
        'smoke.http recommendations',
        'smoke.env configuration',
      ]);
      const report = JSON.parse(await readFile(path.join(runner.dir, 'smoke-result.json'), 'utf8')) as Record<string, unknown>;
      expect(report).toMatchObject({
        target: server.url,
        environment: 'local',
        summary: { passed: 3, failed: 0, flaky: 1, skipped: 0, total: 4 },
      });
      expect(result.summary).toContain('## Smoke tests passed: local');
      expect(result.commands.some((c) => c.command === 'warning' && c.message.includes("'recommendations' is flaky"))).toBe(true);
      expect(result.stdout).toContain(`Smoke target: ${server.url} (environment: local)`);
      // The runner masks registered secrets itself; apart from that command, they appear nowhere.
      expect(result.commands.filter((c) => c.command === 'add-mask').map((c) => c.message)).toEqual(['bundle-token-123456']);
      const printed = result.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n');
      const everything = [
        printed,
        result.summary,
        await readFile(path.join(runner.dir, 'smoke-junit.xml'), 'utf8'),
        JSON.stringify(report),
      ].join('\n');
      expect(everything).not.toContain('bundle-token-123456');
      expect(everything).not.toContain('dotenv-secret-value');
    } finally {
      await runner.cleanup();
    }
  });

  it('exits 1 with an error annotation when a critical check fails', async () => {
    const runner = await createRunnerEnv();
    try {
      await writeFile(path.join(runner.dir, 'smoke.yml'), SUITE);
      const result = await runBundle('smoke-test', {
        runner,
        inputs: { target: server.url, tags: 'critical', 'fail-fast': 'true' },
        env: { API_TOKEN: 'wrong-token-abcdef' },
      });
      expect(result.exitCode).toBe(1);
      expect(result.outputs).toMatchObject({ result: 'failed', passed: '1', failed: '1' });
      expect(result.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([
        "Smoke check 'orders API' failed: status 401, expected 2xx",
        `Smoke tests failed against ${server.url}: 1 check failed.`,
      ]);
      expect(result.commands.find((c) => c.command === 'error')?.properties).toEqual({
        title: 'Smoke check failed',
        file: 'smoke.yml',
        line: '8',
      });
      const junit = await readFile(path.join(runner.dir, 'smoke-junit.xml'), 'utf8');
      expect(junit).toContain('<testcase name="orders API" classname="smoke.http" time="');
      expect(junit).toContain('file="smoke.yml" line="8">');
      expect(junit).toContain('<failure message="status 401, expected 2xx"');
    } finally {
      await runner.cleanup();
    }
  });

  it('imports the JUnit XML of an existing test command into the same reports', async () => {
    const runner = await createRunnerEnv();
    try {
      const junit =
        '<testsuite><testcase classname="t" name="ok"/><testcase classname="t" name="bad"><failure message="boom"/></testcase></testsuite>';
      const script = `require('node:fs').writeFileSync('pytest.xml', ${JSON.stringify(junit)}); process.exit(1)`;
      const command = JSON.stringify({ run: [process.execPath, '-e', script], junit: 'pytest.xml' });
      await writeFile(path.join(runner.dir, 'smoke.yml'), `checks:\n  - name: pytest\n    tags: [critical]\n    command: ${command}\n`);
      const result = await runBundle('smoke-test', { runner });
      expect(result.exitCode).toBe(1);
      expect(result.outputs).toMatchObject({ result: 'failed', passed: '1', failed: '1' });
      const report = JSON.parse(await readFile(path.join(runner.dir, 'smoke-result.json'), 'utf8')) as {
        checks: { name: string; kind: string }[];
      };
      expect(report.checks.map((c) => `${c.kind} ${c.name}`)).toEqual(['junit pytest › t.ok', 'junit pytest › t.bad']);
      expect(await readFile(path.join(runner.dir, 'smoke-junit.xml'), 'utf8')).toContain('<failure message="boom"');
    } finally {
      await runner.cleanup();
    }
  });

  it('rejects an invalid suite file with file:line and writes nothing', async () => {
    const runner = await createRunnerEnv();
    try {
      await writeFile(path.join(runner.dir, 'smoke.yml'), 'checks:\n  - name: db\n    postgres: { host: ${DB_HOST}, database: shop }\n');
      const result = await runBundle('smoke-test', { runner });
      expect(result.exitCode).toBe(2);
      expect(result.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([
        'Invalid smoke suite smoke.yml:\n  smoke.yml:3: ${DB_HOST} is not set; set it in the environment or in .env, or give a default: ${DB_HOST:-value}',
      ]);
      expect(result.outputs).toEqual({});
      await expect(readFile(path.join(runner.dir, 'smoke-junit.xml'))).rejects.toThrow();
    } finally {
      await runner.cleanup();
    }
  });
});
