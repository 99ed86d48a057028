import { describe, it, expect, afterEach } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRunnerEnv, json, runBundle, tokenKubeconfig, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';

const TOKEN = 'ptk-test-token-5e0b9d7c41a2f836';
const seam = { PIPELINE_TOOLKIT_TEST_SLACK_LOOPBACK: 'true' };
const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const kubeconfig = (server: string) => tokenKubeconfig(server, TOKEN);

/** A Slack stand-in that accepts every message, and an API server that knows no object (404). */
async function standIns() {
  const slack = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  const api = await startServer((_req, res) => json(res, 404, { kind: 'Status', reason: 'NotFound', code: 404 }));
  servers.push(slack, api);
  return { slack, api, webhook: `${slack.url}/services/T000/B000/XXXXSECRETXXXX` };
}

describe('dist/release (the root action)', () => {
  it.each([
    [{ record: 'wiki' }, "Input 'record' must be one of none, files, commit, pull-request, got 'wiki'."],
    [{ language: 'fr' }, "Input 'language' must be one of en, pt-BR, got 'fr'."],
    [{ record: 'pull-request' }, "Input 'github-token' is required with record: pull-request."],
  ])('refuses %j before deploying or sending anything', async (inputs, message) => {
    const { slack, api, webhook } = await standIns();
    const run = await runBundle('release', {
      inputs: { release: 'web', chart: './chart', kubeconfig: kubeconfig(api.url), 'slack-webhook-url': webhook, ...inputs },
      env: seam,
    });
    expect(run.exitCode).toBe(2);
    expect(run.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([message]);
    expect(run.outputs).toEqual({});
    expect(api.requests).toEqual([]);
    expect(slack.requests).toEqual([]);
  });

  it('refuses a webhook that is not Slack without printing it', async () => {
    const run = await runBundle('release', {
      inputs: {
        release: 'web',
        chart: './chart',
        kubeconfig: kubeconfig('http://127.0.0.1:1'),
        'slack-webhook-url': 'https://example.com/hooks/XXXXSECRETXXXX',
      },
    });
    expect(run.exitCode).toBe(2);
    expect(run.commands.find((c) => c.command === 'error')?.message).toMatch(
      /^Input 'slack-webhook-url' must be a Slack incoming-webhook URL/,
    );
    const printed = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(printed.join('\n')).not.toContain('XXXXSECRETXXXX');
  });

  it('dry-run runs the real preflight (here it refuses: no Helm), and neither notifies nor records', async () => {
    const { slack, api, webhook } = await standIns();
    const runner = await createRunnerEnv();
    const run = await runBundle('release', {
      runner,
      inputs: {
        release: 'web',
        namespace: 'shop',
        chart: './chart',
        kubeconfig: kubeconfig(api.url),
        'slack-webhook-url': webhook,
        record: 'files',
        'dry-run': 'true',
        helm: '/nonexistent/helm',
      },
      env: seam,
    });
    // The plan itself is proven with real Helm on the real control plane (test/e2e/charts.test.ts).
    expect(run.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([
      expect.stringMatching(/^Helm could not be run as '\/nonexistent\/helm' .* or name the binary in input 'helm'\.$/),
    ]);
    expect(run.exitCode).toBe(1);
    expect(api.requests.map((r) => r.method)).toEqual(['GET']);
    expect(slack.requests).toEqual([]);
    expect(existsSync(path.join(runner.dir, 'memory-bank'))).toBe(false);
  });

  it('a deploy that fails still sends the red message and records the failure, then fails the step', async () => {
    const { slack, api, webhook } = await standIns();
    const runner = await createRunnerEnv();
    const run = await runBundle('release', {
      runner,
      inputs: {
        release: 'web',
        namespace: 'shop',
        chart: './chart',
        tag: '2.0.0',
        kubeconfig: kubeconfig(api.url),
        'slack-webhook-url': webhook,
        'mention-on-failure': 'here',
        record: 'files',
        helm: '/nonexistent/helm',
      },
      env: seam,
    });
    expect(run.exitCode).toBe(1);
    // No Helm: the deploy fails in preflight, before the lock; its error is the step's error.
    expect(run.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([
      expect.stringMatching(/^Helm could not be run as '\/nonexistent\/helm' .* or name the binary in input 'helm'\.$/),
    ]);
    expect(run.outputs).toMatchObject({ result: 'failed', notified: 'true', recorded: 'true' });
    expect(slack.requests).toHaveLength(1);
    const message = slack.requests[0]!.body;
    expect(JSON.parse(message)).toMatchObject({ attachments: [{ color: '#E01E5A' }] });
    expect(message).toContain('web in shop: failed');
    expect(message).toContain('<!here>');
    expect(message).not.toContain(TOKEN);
    const progress = readFileSync(path.join(runner.dir, 'memory-bank', 'progress.md'), 'utf8');
    expect(progress).toContain('2.0.0');
    expect(progress).toMatch(/failure/i);
    expect(`${run.stdout}${run.summary}`.replace(/^::add-mask::.*$/gm, '')).not.toContain('XXXXSECRETXXXX');
    // The post step is the deploy's: nothing was switched or locked, so it has nothing to undo.
    const post = await runBundle('release', {
      runner,
      entry: 'post',
      inputs: { release: 'web', namespace: 'shop', kubeconfig: kubeconfig(api.url) },
    });
    expect(post.exitCode).toBe(0);
    expect(post.commands.filter((c) => c.command === 'error' || c.command === 'warning')).toEqual([]);
  });
});
