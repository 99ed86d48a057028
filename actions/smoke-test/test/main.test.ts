import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  GateError,
  InputError,
  Inputs,
  MemoryLogger,
  MemoryOutputs,
  MemoryState,
  MemorySummary,
  mapInputs,
  runAction,
} from '@pipeline-toolkit/core';
import { json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { run } from '../src/main.ts';

function context(inputs: Record<string, string>, env: Record<string, string>) {
  const log = new MemoryLogger();
  const outputs = new MemoryOutputs();
  const summary = new MemorySummary();
  return { ctx: { inputs: new Inputs(mapInputs(inputs)), log, outputs, state: new MemoryState(), summary, env }, log, outputs, summary };
}

describe('smoke-test action', () => {
  let server: LoopbackServer;
  let dir: string;
  beforeAll(async () => {
    server = await startServer((req, res) => json(res, req.url === '/health' ? 200 : 500, { status: 'ok' }));
    dir = await mkdtemp(path.join(tmpdir(), 'smoke-action-'));
    await writeFile(
      path.join(dir, 'smoke.yml'),
      'defaults: { retries: 0 }\nchecks:\n  - name: health\n    tags: [critical]\n    http: { path: /health, expect: { json: { "$.status": ok } } }\n  - name: broken\n    http: { path: /broken }\n',
    );
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the suite, writes both reports and sets the outputs', async () => {
    const { ctx, outputs, summary } = context({ target: server.url, tags: 'critical' }, { GITHUB_WORKSPACE: dir });
    await run(ctx);
    expect(outputs.values).toEqual({
      result: 'passed',
      passed: '1',
      failed: '0',
      flaky: '0',
      skipped: '0',
      'junit-file': path.join(dir, 'smoke-junit.xml'),
      'json-file': path.join(dir, 'smoke-result.json'),
    });
    const report = JSON.parse(await readFile(path.join(dir, 'smoke-result.json'), 'utf8')) as { checks: { name: string }[] };
    expect(report.checks.map((c) => c.name)).toEqual(['health']);
    expect(summary.text).toContain('## Smoke tests passed');
  });

  it('fails with a GateError naming the count when a check fails, after writing the reports', async () => {
    const { ctx, outputs } = context({ target: server.url, 'json-file': 'out/r.json' }, { GITHUB_WORKSPACE: dir });
    await expect(run(ctx)).rejects.toThrow(new GateError(`Smoke tests failed against ${server.url}: 1 check failed.`));
    expect(outputs.values['result']).toBe('failed');
    expect(outputs.values['json-file']).toBe(path.join(dir, 'out/r.json'));
  });

  it('rejects bad inputs before running anything', async () => {
    const before = server.requests.length;
    for (const [inputs, message] of [
      [{ 'fail-fast': 'yes' }, "Input 'fail-fast' must be a boolean"],
      [{ 'wait-until-healthy': 'soon' }, "Input 'wait-until-healthy' must be a duration"],
      [{ target: 'staging' }, "Input 'target' must be a target of smoke.yml"],
    ] as const) {
      const { ctx } = context(inputs, { GITHUB_WORKSPACE: dir });
      await expect(run(ctx)).rejects.toThrow(InputError);
      await expect(run(context(inputs, { GITHUB_WORKSPACE: dir }).ctx)).rejects.toThrow(message);
    }
    expect(server.requests).toHaveLength(before);
  });

  it('reports the failure as one error line through runAction', async () => {
    const { ctx, log } = context({ target: server.url }, { GITHUB_WORKSPACE: dir });
    const code = await runAction(run, ctx);
    process.exitCode = 0;
    expect(code).toBe(1);
    expect(log.lines.find((l) => l.level === 'error')?.properties).toEqual({ title: 'Smoke check failed', file: 'smoke.yml', line: 6 });
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      "Smoke check 'broken' failed: status 500, expected 2xx",
      `Smoke tests failed against ${server.url}: 1 check failed.`,
    ]);
  });
});
