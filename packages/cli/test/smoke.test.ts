import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { main, type CliIO } from 'pipeline-toolkit';

describe('pipeline-toolkit smoke', () => {
  let server: LoopbackServer;
  let dir: string;
  const io = (env: Record<string, string> = {}): CliIO & { log: MemoryLogger } => ({
    log: new MemoryLogger(),
    out: () => undefined,
    env,
    cwd: dir,
  });

  beforeAll(async () => {
    server = await startServer((req, res) => json(res, req.url === '/health' ? 200 : 503, { status: 'ok' }));
    dir = await mkdtemp(path.join(tmpdir(), 'cli-smoke-'));
    await writeFile(
      path.join(dir, 'smoke.yml'),
      'defaults: { retries: 1, backoff: 5ms }\nchecks:\n  - name: health\n    tags: [critical]\n    http: { path: /health, expect: { json: { "$.status": ok } } }\n  - name: search\n    http: { path: /search }\n',
    );
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 when the selected checks pass and writes --junit and --json', async () => {
    const cli = io({ LOCAL_URL: server.url });
    expect(
      await main(
        ['smoke', '--config', 'smoke.yml', '--target', 'local', '--tags', 'critical', '--junit', 'out.xml', '--json', 'out.json'],
        cli,
      ),
    ).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'out.json'), 'utf8')) as { checks: { name: string; status: string }[] };
    expect(report.checks).toEqual([expect.objectContaining({ name: 'health', status: 'passed' })]);
    expect(await readFile(path.join(dir, 'out.xml'), 'utf8')).toContain('<testcase name="health" classname="smoke.http"');
    expect(cli.log.text()).toContain(`Smoke target: ${server.url} (environment: local)`);
  });

  it('exits 1 when a check fails', async () => {
    const cli = io();
    expect(await main(['smoke', '--target', server.url], cli)).toBe(1);
    expect(cli.log.text()).toContain("Smoke check 'search' failed: status 503, expected 2xx (after 2 attempts)");
  });

  it('exits 2 on bad usage or an invalid suite, naming the flag or file:line', async () => {
    const badFlag = io();
    expect(await main(['smoke', '--fail-on-flaky=maybe'], badFlag)).toBe(2);
    const badDuration = io();
    expect(await main(['smoke', '--wait-until-healthy', 'soon'], badDuration)).toBe(2);
    expect(badDuration.log.text()).toContain('--wait-until-healthy must be a duration');
    await writeFile(path.join(dir, 'bad.yml'), 'checks:\n  - name: x\n    tcp: { host: h, port: http }\n');
    const badFile = io();
    expect(await main(['smoke', '--config', 'bad.yml'], badFile)).toBe(2);
    expect(badFile.log.text()).toContain("bad.yml:3: check 'x' tcp.port: must be a port number from 1 to 65535, got 'http'");
    const badTarget = io();
    expect(await main(['smoke', '--target', 'staging'], badTarget)).toBe(2);
  });
});
