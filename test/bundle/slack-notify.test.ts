import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRunnerEnv, runBundle, type BundleRun } from '@pipeline-toolkit/testing';
import { runHistory, startGitHub, startSlack, type GitHubStandIn, type SlackStandIn } from '../../packages/slack/test/fakes.ts';
import { BOT_TOKEN, startSlackApi, type SlackApiStandIn } from '../../packages/slack/test/slack-api.ts';

let slack: SlackStandIn;
let slackApi: SlackApiStandIn;
let github: GitHubStandIn;
beforeAll(async () => {
  slack = await startSlack();
  slackApi = await startSlackApi();
  github = await startGitHub({ pageSize: 2, runs: runHistory('failure') });
});
afterAll(async () => {
  await slack.close();
  await slackApi.close();
  await github.close();
});

const seam = { PIPELINE_TOOLKIT_TEST_SLACK_LOOPBACK: 'true' };
const needs = JSON.stringify({ build: { result: 'success', outputs: {} }, test: { result: 'failure', outputs: {} } });

/** Runs the bundle against the stand-ins, as the runner would with GITHUB_API_URL pointing at them. */
async function notify(inputs: Record<string, string>, options: { smoke?: unknown } = {}): Promise<BundleRun> {
  const runner = await createRunnerEnv({ GITHUB_API_URL: github.url });
  if (options.smoke) await writeFile(path.join(runner.dir, 'smoke.json'), JSON.stringify(options.smoke));
  try {
    return await runBundle('slack-notify', {
      runner,
      inputs: { 'github-token': github.token, ...inputs },
      env: { ...seam, PIPELINE_TOOLKIT_TEST_SLACK_API_URL: slackApi.base },
    });
  } finally {
    await runner.cleanup();
  }
}

/** Nothing printed, output or summarised may contain the webhook, except the add-mask command that hides it. */
function expectNeverShown(run: BundleRun, secret: string): void {
  const lines = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
  expect(lines.join('\n')).not.toContain(secret);
  expect(run.stderr).not.toContain(secret);
  expect(JSON.stringify(run.outputs)).not.toContain(secret);
  expect(run.summary).not.toContain(secret);
}

describe('dist/slack-notify', () => {
  it('posts exactly one red message naming the failed jobs from the API, with smoke results, in pt-BR', async () => {
    const webhook = slack.webhook('ok');
    const before = slack.accepted().length;
    const run = await notify(
      { 'webhook-url': webhook, needs, language: 'pt-BR', 'smoke-report': 'smoke.json', 'mention-on-failure': 'here' },
      {
        smoke: {
          summary: { passed: 8, failed: 1, flaky: 1, skipped: 0 },
          checks: [{ name: 'checkout responds', tags: ['critical'], status: 'failed' }],
        },
      },
    );
    expect(run.exitCode).toBe(0);
    expect(slack.accepted().length - before).toBe(1);
    const received = slack.accepted().at(-1)?.body ?? '';
    expect(run.outputs['payload']).toBe(received);
    expect(run.outputs['sent']).toBe('true');
    expect(JSON.parse(run.outputs['failed-jobs'] ?? '')).toEqual([
      {
        name: 'test (ubuntu-latest, 24)',
        conclusion: 'failure',
        step: 'Run tests',
        url: 'https://github.com/acme/shop/actions/runs/9876543210/job/3',
      },
      {
        name: 'deploy / blue-green',
        conclusion: 'cancelled',
        step: 'Wait for rollout',
        url: 'https://github.com/acme/shop/actions/runs/9876543210/job/5',
      },
      { name: 'e2e', conclusion: 'timed_out', step: 'Run e2e', url: 'https://github.com/acme/shop/actions/runs/9876543210/job/6' },
    ]);
    const payload = JSON.parse(received) as { text: string; attachments: { color: string; blocks: unknown[] }[] };
    expect(payload.text.startsWith('<!here> Pipeline CI/CD falhou — acme/shop · main #42')).toBe(true);
    expect(payload.attachments[0]?.color).toBe('#E01E5A');
    const blocks = JSON.stringify(payload.attachments[0]?.blocks);
    for (const text of [
      'Repositório',
      'Execução',
      'falhou no passo *Run tests*',
      '8 aprovados · 1 com falha · 1 instáveis',
      'checkout responds',
    ])
      expect(blocks).toContain(text);
    expect(blocks).not.toContain('notify');
    // The jobs route was read page by page (7 jobs, 2 per page) with the token.
    expect(github.requests.filter((r) => r.url.includes('/attempts/1/jobs'))).toHaveLength(4);
    expect(run.summary).toMatch(/\n\| \w+ \| sent \| /);
    expectNeverShown(run, webhook);
    expectNeverShown(run, github.token);
  });

  it('dry run: writes the payload to the summary and the payload output, sends nothing, needs no webhook', async () => {
    const before = slack.requests.length;
    const run = await notify({ status: 'success', 'dry-run': 'true' });
    expect(run.exitCode).toBe(0);
    expect(slack.requests.length).toBe(before);
    expect(run.outputs['sent']).toBe('false');
    expect(run.outputs['failed-jobs']).toBe('[]');
    const payload = JSON.parse(run.outputs['payload'] ?? '') as { text: string; attachments: { color: string }[] };
    expect(payload.attachments[0]?.color).toBe('#2EB67D');
    expect(run.summary).toContain('| Status | Message | Failed jobs |\n| --- | --- | --- |\n| success | dry run: not sent | none |');
    expect(run.summary).toContain(JSON.stringify(payload, null, 2));
  });

  it('waits Retry-After after a 429 and delivers the message once', async () => {
    const run = await notify({ 'webhook-url': slack.webhook('ratelimit-seconds'), status: 'success' });
    expect(run.exitCode).toBe(0);
    expect(slack.hits('ratelimit-seconds')).toHaveLength(2);
    expect(slack.accepted().filter((r) => r.url.endsWith('/ratelimit-seconds'))).toHaveLength(1);
    expect(run.stdout).toContain('Slack rate-limited the webhook (HTTP 429); trying again in 1.0s (attempt 2 of 4).');
    expect(run.outputs['sent']).toBe('true');
  });

  it('reads Retry-After as an HTTP date, and waits for a slow answer', async () => {
    const limited = await notify({ 'webhook-url': slack.webhook('ratelimit-date'), status: 'cancelled' });
    expect(limited.exitCode).toBe(0);
    expect(slack.hits('ratelimit-date')).toHaveLength(2);
    expect(limited.outputs['sent']).toBe('true');
    const slow = await notify({ 'webhook-url': slack.webhook('slow-1500'), status: 'success' });
    expect(slow.exitCode).toBe(0);
    expect(slack.accepted().filter((r) => r.url.endsWith('/slow-1500'))).toHaveLength(1);
  });

  it("fails with Slack's error made actionable, or only warns with fail-on-error false", async () => {
    const webhook = slack.webhook('channel_is_archived');
    const failed = await notify({ 'webhook-url': webhook, status: 'failure' });
    expect(failed.exitCode).toBe(1);
    expect(failed.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([
      "The webhook's channel is archived (channel_is_archived). Unarchive the channel, or create a webhook for another channel and update the secret.",
    ]);
    expect(failed.outputs['sent']).toBe('false');
    expect(failed.summary).toMatch(/\n\| \w+ \| not delivered \| /);
    expectNeverShown(failed, webhook);

    const tolerated = await notify({ 'webhook-url': webhook, status: 'failure', 'fail-on-error': 'false' });
    expect(tolerated.exitCode).toBe(0);
    expect(tolerated.commands.find((c) => c.command === 'warning')?.message).toContain('(channel_is_archived)');
    expect(slack.hits('channel_is_archived')).toHaveLength(2);
  });

  it('does not retry a 5xx unless retry-5xx is set', async () => {
    const run = await notify({ 'webhook-url': slack.webhook('error503-always'), status: 'success' });
    expect(run.exitCode).toBe(1);
    expect(slack.hits('error503-always')).toHaveLength(1);
    expect(run.commands.find((c) => c.command === 'error')?.message).toContain('set retry-5xx: true to retry');
  });

  it('notify-on change: stays quiet when the previous run on the branch had the same outcome', async () => {
    const before = slack.requests.length;
    const run = await notify({ 'webhook-url': slack.webhook('ok'), status: 'failure', 'notify-on': 'change' });
    expect(run.exitCode).toBe(0);
    expect(slack.requests.length).toBe(before);
    expect(run.outputs['sent']).toBe('false');
    expect(run.stdout).toContain("No Slack message: the previous run's outcome was failure and this one is failure.");
  });

  it('rejects a bad status naming the input, before any side effect, never printing the webhook', async () => {
    const webhook = slack.webhook('ok');
    const before = slack.requests.length;
    const run = await notify({ 'webhook-url': webhook, status: 'bogus' });
    expect(run.exitCode).toBe(2);
    expect(run.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([
      "Input 'status' must be one of success, failure, cancelled, got 'bogus'.",
    ]);
    expect(run.commands.filter((c) => c.command === 'add-mask').map((c) => c.message)).toEqual([webhook, github.token]);
    expect(slack.requests.length).toBe(before);
    expect(run.outputs).toEqual({});
    expectNeverShown(run, webhook);
  });

  it('thread: bot-token mode posts the start, updates it in place and replies in its thread at the end, never showing the token', async () => {
    const start = await notify({ 'slack-token': BOT_TOKEN, channel: 'deploys', stage: 'started', environment: 'production' });
    expect(start.exitCode).toBe(0);
    const ts = start.outputs['message-ts'] ?? '';
    expect(start.outputs['channel-id']).toBe('C0DEPLOYS');
    const end = await notify({
      'slack-token': BOT_TOKEN,
      channel: 'C0DEPLOYS',
      'message-ts': ts,
      stage: 'rolled-back',
      environment: 'production',
      needs,
    });
    expect(end.exitCode).toBe(0);
    expect(end.outputs['message-ts']).toBe(ts);
    const message = slackApi.messages('C0DEPLOYS').find((m) => m.ts === ts);
    expect(message?.edits).toBe(1);
    expect(message?.text).toMatch(/^Rolled back — acme\/shop · main #42/);
    // The failed jobs come from the GitHub API stand-in, as in webhook mode.
    expect(JSON.stringify(slackApi.replies('C0DEPLOYS', ts))).toContain('test (ubuntu-latest, 24)');
    for (const run of [start, end]) expectNeverShown(run, BOT_TOKEN);
  });
});
