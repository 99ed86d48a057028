import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir } from 'node:fs/promises';
import { createRunnerEnv, runBundle, startServer, tokenKubeconfig, type LoopbackServer } from '@pipeline-toolkit/testing';

/**
 * Bad usage, action by action, as the runner runs the bundle: exit code 2, one error naming the
 * input, and nothing else — no output, state, exported variable or summary, no file in the
 * workspace, no request to the servers the action would otherwise reach.
 */
let server: LoopbackServer;
beforeAll(async () => {
  server = await startServer((_req, res) => void res.end('ok'));
});
afterAll(async () => server.close());

/** [action, the input the error must name (the last one given), the inputs]. */
const CASES: [string, string, () => Record<string, string>][] = [
  ['lint', 'linters', () => ({ linters: 'bogus' })],
  ['lint', 'working-directory', () => ({ 'working-directory': 'does-not-exist' })],
  ['lint', 'scope', () => ({ scope: 'changed-only' })],
  ['lint', 'sarif', () => ({ sarif: '../outside.sarif' })],
  ['memory-bank', 'command', () => ({ command: 'bogus' })],
  ['memory-bank', 'pr', () => ({ command: 'record-progress', 'github-token': 'ghs_x', pr: '99999999999999999999' })],
  ['security-scan', 'fail-on', () => ({ 'sarif-files': 'none.sarif', 'fail-on': 'bogus' })],
  ['security-scan', 'scan-timeout', () => ({ 'sarif-files': 'none.sarif', 'scan-timeout': '5' })],
  ['slack-notify', 'status', () => ({ 'webhook-url': `${server.url}/hook`, status: 'bogus' })],
  ['slack-notify', 'request-timeout', () => ({ 'webhook-url': `${server.url}/hook`, status: 'success', 'request-timeout': 'forever' })],
  ['smoke-test', 'target', () => ({ target: 'ftp://nowhere' })],
  ['smoke-test', 'fail-on-flaky', () => ({ target: server.url, 'fail-on-flaky': 'maybe' })],
  ['deploy', 'mode', () => ({ release: 'web', chart: './chart', kubeconfig: 'x', mode: 'yolo' })],
  ['deploy', 'timeout', () => ({ release: 'web', chart: './chart', kubeconfig: 'x', timeout: 'soon' })],
  ['release', 'record', () => ({ release: 'web', chart: './chart', kubeconfig: 'x', record: 'bogus' })],
  [
    'release',
    'dry-run',
    () => ({
      release: 'web',
      chart: './chart',
      kubeconfig: tokenKubeconfig(server.url, 'ptk-test-token-0123456789'),
      'slack-webhook-url': `${server.url}/hook`,
      'dry-run': 'perhaps',
    }),
  ],
];

describe('bad input: exit code 2, the input named, nothing else done', () => {
  it.each(CASES)('%s refuses a bad %s', async (action, input, inputs) => {
    const runner = await createRunnerEnv({ GITHUB_API_URL: server.url, GITHUB_SERVER_URL: server.url });
    try {
      const before = (await readdir(runner.dir)).sort();
      const requests = server.requests.length;
      const run = await runBundle(action, { inputs: inputs(), runner });
      const errors = run.commands.filter((c) => c.command === 'error');
      expect({ exitCode: run.exitCode, errors: errors.length }).toEqual({ exitCode: 2, errors: 1 });
      expect(errors[0]?.message).toContain(`Input '${input}'`);
      expect(run.outputs).toEqual({});
      expect(run.state).toEqual({});
      expect(await runner.exported()).toEqual({});
      expect(run.summary).toBe('');
      expect((await readdir(runner.dir)).sort()).toEqual(before);
      expect(server.requests.length).toBe(requests);
    } finally {
      await runner.cleanup();
    }
  });

  it.each(['deploy', 'release'])('%s: the post step after refused input does nothing and succeeds', async (action) => {
    const runner = await createRunnerEnv();
    try {
      const main = await runBundle(action, { inputs: { release: 'web', chart: './chart', kubeconfig: 'x', mode: 'yolo' }, runner });
      expect(main.exitCode).toBe(2);
      const post = await runBundle(action, {
        inputs: { release: 'web', chart: './chart', kubeconfig: 'x', mode: 'yolo' },
        runner,
        entry: 'post',
      });
      expect({ exitCode: post.exitCode, commands: post.commands, stdout: post.stdout }).toEqual({ exitCode: 0, commands: [], stdout: '' });
    } finally {
      await runner.cleanup();
    }
  });
});
