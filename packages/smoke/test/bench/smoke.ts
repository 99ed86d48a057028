/**
 * Smoke benchmark: 50 HTTP checks against a loopback server answering with latencies from 10 to
 * 250 ms, run through the built bundle (dist/smoke-test) as the runner runs it. Prints the suite's
 * wall time against its slowest single check (target ≤ 1.3×: checks really run concurrently) and
 * the time from process start to the first line of output.
 *
 *   node packages/smoke/test/bench/smoke.ts
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRunnerEnv, json, repoRoot, startServer } from '@pipeline-toolkit/testing';

const CHECKS = 50;
const TARGET_RATIO = 1.3;

const server = await startServer(async (req, res) => {
  const delay = Number(/\/d\/(\d+)/.exec(req.url)?.[1] ?? 0);
  await new Promise((resolve) => setTimeout(resolve, delay));
  json(res, 200, { status: 'ok' });
});
const dir = await mkdtemp(path.join(tmpdir(), 'smoke-bench-'));
const runner = await createRunnerEnv({ GITHUB_WORKSPACE: dir });
try {
  const checks = Array.from({ length: CHECKS }, (_, i) => {
    const delay = 10 + Math.round((240 * i) / (CHECKS - 1));
    return `  - name: endpoint ${i}\n    http: { path: /d/${delay}, expect: { json: { "$.status": ok }, max-latency: 2s } }`;
  });
  await writeFile(path.join(dir, 'smoke.yml'), `defaults: { concurrency: ${CHECKS}, retries: 0 }\nchecks:\n${checks.join('\n')}\n`);

  const started = process.hrtime.bigint();
  let firstOutputMs: number | undefined;
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/smoke-test/index.js')], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', ...runner.env, INPUT_TARGET: server.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.once('data', () => (firstOutputMs = Number(process.hrtime.bigint() - started) / 1e6));
  child.stdout.resume();
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;

  const report = JSON.parse(await readFile(path.join(dir, 'smoke-result.json'), 'utf8')) as {
    summary: { passed: number; durationMs: number };
    checks: { durationMs: number }[];
  };
  const slowest = Math.max(...report.checks.map((c) => c.durationMs));
  const ratio = report.summary.durationMs / slowest;
  console.log(
    `smoke suite: ${CHECKS} HTTP checks, latencies 10-250 ms, concurrency ${CHECKS} (exit ${exitCode}, ${report.summary.passed} passed)`,
  );
  console.log(`  suite wall time     ${report.summary.durationMs.toFixed(0).padStart(6)} ms`);
  console.log(`  slowest check       ${slowest.toFixed(0).padStart(6)} ms`);
  console.log(
    `  ratio               ${ratio.toFixed(2).padStart(6)}×  (target ≤ ${TARGET_RATIO}×)${ratio > TARGET_RATIO ? '  OVER TARGET' : ''}`,
  );
  console.log(`  first output        ${firstOutputMs?.toFixed(0).padStart(6)} ms after spawn`);
  console.log(`  process total       ${totalMs.toFixed(0).padStart(6)} ms`);
  process.exitCode = exitCode !== 0 || ratio > TARGET_RATIO ? 1 : 0;
} finally {
  await server.close();
  await runner.cleanup();
  await rm(dir, { recursive: true, force: true });
}
