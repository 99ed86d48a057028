/**
 * The smoke-test postgres check against a real PostgreSQL server (Debian's package), started by
 * test/services/postgres.sh when it is not running: success, wrong password, missing database and
 * server down — each with a clear message and never the password.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { createRunnerEnv, repoRoot, runBundle } from '@pipeline-toolkit/testing';
import { jsonReport, junitReport, runSuite, summaryMarkdown, type Suite } from '@pipeline-toolkit/smoke';
import { parseSuite } from '../../packages/smoke/src/load.ts';

const run = promisify(execFile);
const script = path.join(repoRoot, 'test/services/postgres.sh');

async function service(...args: string[]): Promise<Record<string, string>> {
  const { stdout } = await run('bash', [script, ...args], { timeout: 280_000 });
  return Object.fromEntries(
    stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

const SUITE = `defaults: { retries: 2, backoff: 20ms, timeout: 5s }
checks:
  - name: database
    tags: [critical]
    postgres: { host: \${DB_HOST}, port: \${DB_PORT}, database: \${DB_NAME} }
`;

async function check(env: Record<string, string>) {
  const suite: Suite = await parseSuite(SUITE, { file: 'smoke.yml', env });
  const log = new MemoryLogger();
  const result = await runSuite(suite, { target: 'local', log });
  const printed = [
    log.text(),
    JSON.stringify(jsonReport(result, log.redactor)),
    junitReport(result, log.redactor),
    summaryMarkdown(result, log.redactor),
  ].join('\n');
  return { result: result.checks[0], printed };
}

describe('postgres check against a real PostgreSQL', () => {
  let pg: Record<string, string>;
  let base: Record<string, string>;
  beforeAll(async () => {
    pg = await service();
    base = { DB_HOST: pg['PGHOST'] ?? '', DB_PORT: pg['PGPORT'] ?? '', DB_NAME: pg['PGDATABASE'] ?? '' };
  }, 300_000);

  it('connects and runs SELECT 1 with PGUSER/PGPASSWORD', async () => {
    const { result, printed } = await check({ ...base, PGUSER: pg['PGUSER']!, PGPASSWORD: pg['PGPASSWORD']! });
    expect(result).toMatchObject({ name: 'database', kind: 'postgres', status: 'passed', attempts: 1 });
    expect(typeof result?.latencyMs).toBe('number');
    expect(printed).not.toContain(pg['PGPASSWORD']);
  });

  it('takes DB_USER/DB_PASSWORD as well', async () => {
    const { result } = await check({ ...base, DB_USER: pg['PGUSER']!, DB_PASSWORD: pg['PGPASSWORD']! });
    expect(result?.status).toBe('passed');
  });

  it('reports a wrong password clearly, without retrying and without the password', async () => {
    const wrong = 'definitely-wrong-password-42';
    const { result, printed } = await check({ ...base, PGUSER: pg['PGUSER']!, PGPASSWORD: wrong });
    expect(result).toMatchObject({
      status: 'failed',
      attempts: 1,
      message: `ptk_smoke on 127.0.0.1:${pg['PGPORT']} as ptk_smoke: password authentication failed`,
    });
    expect(printed).not.toContain(wrong);
  });

  it('reports a missing database', async () => {
    const { result, printed } = await check({ ...base, DB_NAME: 'no_such_db', PGUSER: pg['PGUSER']!, PGPASSWORD: pg['PGPASSWORD']! });
    expect(result).toMatchObject({
      status: 'failed',
      attempts: 1,
      message: `no_such_db on 127.0.0.1:${pg['PGPORT']} as ptk_smoke: database does not exist`,
    });
    expect(printed).not.toContain(pg['PGPASSWORD']);
  });

  it('works from the bundle as the runner runs it, and the password never reaches its output', async () => {
    const runner = await createRunnerEnv();
    try {
      await writeFile(path.join(runner.dir, 'smoke.yml'), SUITE);
      const env = { ...base, PGUSER: pg['PGUSER']!, PGPASSWORD: pg['PGPASSWORD']! };
      const ok = await runBundle('smoke-test', { runner, env });
      expect(ok.exitCode).toBe(0);
      expect(ok.outputs).toMatchObject({ result: 'passed', passed: '1' });
      const wrong = await runBundle('smoke-test', { runner, env: { ...env, PGPASSWORD: 'wrong-password-from-env' } });
      expect(wrong.exitCode).toBe(1);
      expect(wrong.commands.find((c) => c.command === 'error')?.message).toBe(
        `Smoke check 'database' failed: ptk_smoke on 127.0.0.1:${pg['PGPORT']} as ptk_smoke: password authentication failed`,
      );
      const printed = [ok.stdout, wrong.stdout, wrong.summary, await readFile(path.join(runner.dir, 'smoke-result.json'), 'utf8')].join(
        '\n',
      );
      expect(printed).not.toContain(pg['PGPASSWORD']);
      expect(printed).not.toContain('wrong-password-from-env');
    } finally {
      await runner.cleanup();
    }
  }, 60_000);

  it('reports a server that is down as connection refused, after retrying', async () => {
    await service('stop');
    try {
      const { result, printed } = await check({ ...base, PGUSER: pg['PGUSER']!, PGPASSWORD: pg['PGPASSWORD']! });
      expect(result).toMatchObject({
        status: 'failed',
        attempts: 3,
        message: `ptk_smoke on 127.0.0.1:${pg['PGPORT']} as ptk_smoke: connection refused (after 3 attempts)`,
      });
      expect(printed).not.toContain(pg['PGPASSWORD']);
    } finally {
      await service();
    }
  }, 60_000);
});
