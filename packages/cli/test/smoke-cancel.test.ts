import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';

const BIN = path.resolve(import.meta.dirname, '../src/bin.ts');
let server: LoopbackServer;
let dir: string;
beforeAll(async () => {
  server = await startServer((_req, res) => json(res, 404, { state: 'pending' }));
  dir = await mkdtemp(path.join(tmpdir(), 'smoke-cancel-'));
  await writeFile(
    path.join(dir, 'smoke.yml'),
    'checks:\n  - name: item\n    until: { timeout: 10m, interval: 1s }\n    http: { path: /item }\n  - name: later\n    http: { path: /later }\ndefaults: { concurrency: 1 }\n',
  );
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

it('Ctrl-C (SIGINT) ends an until wait at once; the report is still written and the rest is skipped', async () => {
  const child = spawn(process.execPath, [BIN, 'smoke', '--target', server.url, '--json', 'out.json'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '' },
  });
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  // Interrupt once the first poll has been answered.
  const poll = setInterval(() => {
    if (server.requests.length) {
      clearInterval(poll);
      child.kill('SIGINT');
    }
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  expect({ code, out }).toEqual({ code: 1, out: expect.stringContaining('JSON result:') });
  const report = JSON.parse(await readFile(path.join(dir, 'out.json'), 'utf8')) as {
    checks: { name: string; status: string; message: string }[];
  };
  expect(report.checks[0]).toMatchObject({
    name: 'item',
    status: 'failed',
    message: expect.stringMatching(/^status 404, expected 2xx \(cancelled after 1 poll in/),
  });
  expect(report.checks[1]).toMatchObject({ name: 'later', status: 'skipped', message: 'not run: the run was cancelled' });
  expect(server.requests.map((r) => r.url)).toEqual(['/item']);
});
