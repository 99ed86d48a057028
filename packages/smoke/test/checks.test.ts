import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseJUnit } from '../src/checks/command.ts';
import { defaultSuite } from '../src/defaults.ts';
import { run, suite } from './helpers.ts';

describe('TCP checks against a real listener', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes when the port accepts connections and fails (after retries) when it refuses them', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const s = await suite(
      `defaults: { retries: 1, backoff: 10ms }\nchecks:\n  - name: open\n    tcp: { host: 127.0.0.1, port: \${OPEN_PORT} }\n  - name: closed\n    tcp: { host: 127.0.0.1, port: ${closedPort} }\n`,
      { OPEN_PORT: String(port) },
    );
    const { check } = await run(s, { target: 'local' });
    expect(check('open')).toMatchObject({ status: 'passed', attempts: 1, kind: 'tcp' });
    expect(check('closed')).toMatchObject({
      status: 'failed',
      attempts: 2,
      message: `127.0.0.1:${closedPort}: connection refused (after 2 attempts)`,
    });
  });
});

describe('env checks', () => {
  it('reports missing names and values outside one-of by name only, never by value', async () => {
    const env = { SECRET_KEY: 'super-secret-value', DB_HOST: 'db', ENVIRONMENT: 'staging-secret-ish', EMPTY: '' };
    const s = await suite(
      'checks:\n  - name: configuration\n    env: { required: [SECRET_KEY, DB_HOST, DB_PORT, EMPTY], one-of: { ENVIRONMENT: [development, production], MODE: [a, b] } }\n',
      env,
    );
    const { check, log } = await run(s, { target: 'local' });
    expect(check('configuration')).toMatchObject({
      status: 'failed',
      attempts: 1,
      message: 'not set: DB_PORT, EMPTY; ENVIRONMENT is not one of development, production; not set: MODE (accepted: a, b)',
    });
    expect(log.text()).not.toContain('staging-secret-ish');
    expect(log.text()).not.toContain('super-secret-value');
  });

  it('passes when everything is set', async () => {
    const s = await suite('checks:\n  - name: c\n    env: { required: [A], one-of: { ENVIRONMENT: [development, production] } }\n', {
      A: 'x',
      ENVIRONMENT: 'production',
    });
    expect((await run(s, { target: 'local' })).check('c')?.status).toBe('passed');
  });

  it('the default suite skips the database port when DB_HOST/DB_PORT are unset, and its env check fails', async () => {
    const { check, result } = await run(defaultSuite({ LOCAL_URL: 'http://127.0.0.1:1' }), { target: 'local' });
    expect(check('database port')).toMatchObject({ status: 'skipped', message: expect.stringContaining('DB_HOST and DB_PORT') });
    expect(check('configuration')?.message).toBe('not set: SECRET_KEY, DB_HOST, DB_PORT, DB_NAME, ENVIRONMENT');
    expect(result.result).toBe('failed');
  });
});

describe('command checks (existing test suites with JUnit XML)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'smoke-cmd-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const junit = `<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4">
  <testcase classname="src.test_smoke" name="test_health" time="0.120"/>
  <testcase classname="src.test_smoke" name="test_db" time="0.010"><failure message="AssertionError: db down">trace</failure></testcase>
  <testcase classname="src.test_smoke" name="test_cache" time="0"><skipped message="no redis"/></testcase>
  <testcase classname="src.test_smoke" name="test_reco" time="0.3"><rerunFailure message="timeout"/></testcase>
  <testcase classname="src.test_smoke" name="test_empty"><skipped/></testcase>
</testsuite></testsuites>`;

  it('runs the command (argv, no shell) and imports each testcase', async () => {
    const script = `require('node:fs').writeFileSync(process.argv[1], ${JSON.stringify(junit)}); process.exit(1)`;
    const command = JSON.stringify({ run: [process.execPath, '-e', script, 'report.xml'], junit: 'report.xml' });
    const s = await suite(`checks:\n  - name: pytest\n    tags: [critical]\n    command: ${command}\n`);
    const { result } = await run(s, { target: 'local', cwd: dir });
    expect(result.checks.map((c) => [c.name, c.status, c.kind, c.tags])).toEqual([
      ['pytest › src.test_smoke.test_health', 'passed', 'junit', ['critical']],
      ['pytest › src.test_smoke.test_db', 'failed', 'junit', ['critical']],
      ['pytest › src.test_smoke.test_cache', 'skipped', 'junit', ['critical']],
      ['pytest › src.test_smoke.test_reco', 'flaky', 'junit', ['critical']],
      ['pytest › src.test_smoke.test_empty', 'skipped', 'junit', ['critical']],
    ]);
    expect(result.checks[1]?.message).toBe('AssertionError: db down');
    expect(result.checks[0]?.durationMs).toBe(120);
  });

  it('fails when the command writes no report', async () => {
    const s = await suite(
      `checks:\n  - name: pytest\n    command: { run: ["${process.execPath}", -e, "process.exit(4)"], junit: none.xml }\n`,
    );
    const { check } = await run(s, { target: 'local', cwd: dir });
    expect(check('pytest')).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('exited with code 4 and wrote no JUnit report at none.xml'),
    });
  });

  it('fails, naming the report, when the command leaves a named pipe where its report should be (never waiting for a writer)', async () => {
    const script = "require('node:child_process').execFileSync('mkfifo', [process.argv[1]])";
    const command = JSON.stringify({ run: [process.execPath, '-e', script, 'pipe.xml'], junit: 'pipe.xml' });
    const { check } = await run(await suite(`checks:\n  - name: pytest\n    command: ${command}\n`), { target: 'local', cwd: dir });
    expect(check('pytest')).toMatchObject({ status: 'failed', message: 'the JUnit report pipe.xml is a named pipe, not a regular file' });
  });

  it('fails when the command is missing', async () => {
    const s = await suite('checks:\n  - name: pytest\n    command: { run: [no-such-test-runner-xyz], junit: r.xml }\n');
    const { check } = await run(s, { target: 'local', cwd: dir });
    expect(check('pytest')?.status).toBe('failed');
    expect(check('pytest')?.message).toContain('no-such-test-runner-xyz');
  });

  it('parses nested suites', async () => {
    const cases = await parseJUnit('<testsuites><testsuite><testsuite><testcase name="a"/></testsuite></testsuite></testsuites>');
    expect(cases).toEqual([{ name: 'a', status: 'passed', durationMs: 0, attempts: 1 }]);
  });
});
