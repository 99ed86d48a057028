import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, MemoryLogger, MemoryOutputs, MemoryState, MemorySummary, mapInputs, type ActionContext } from '@pipeline-toolkit/core';
import { repoRoot } from '@pipeline-toolkit/testing';
import { run } from '../src/main.ts';
import { startGitHub, startSlack, type GitHubStandIn, type SlackStandIn } from '../../../packages/slack/test/fakes.ts';
import { BOT_TOKEN, startSlackApi, type SlackApiStandIn, type StoredMessage } from '../../../packages/slack/test/slack-api.ts';

/**
 * The deploy's lifecycle in bot-token mode, step by step as the pipeline's jobs call the action:
 * one message posted at the start, updated in place (chat.update) at each stage, details in its
 * thread at the end — against a loopback Slack Web API and a loopback GitHub API that answers the
 * environment's protection rules.
 */
let slack: SlackApiStandIn;
let webhook: SlackStandIn;
let github: GitHubStandIn;
let workspace: string;
/** GitHub's documented answer for an environment: reviewers octocat (a user) and justice-league (a team). */
const environment = JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/github-environments/docs-example.json'), 'utf8')) as object;
const RUN_URL = 'https://github.com/acme/shop/actions/runs/9876543210';

beforeAll(async () => {
  slack = await startSlackApi();
  webhook = await startSlack();
  github = await startGitHub({ environments: { staging: environment } });
  workspace = await mkdtemp(path.join(tmpdir(), 'ptk-lifecycle-'));
  await writeFile(
    path.join(workspace, 'smoke-result.json'),
    JSON.stringify({
      summary: { passed: 3, failed: 1, flaky: 0, skipped: 0 },
      checks: [
        { name: 'health', tags: ['smoke', 'critical'], status: 'passed' },
        { name: 'orders API', tags: ['smoke', 'critical'], status: 'failed' },
        { name: 'metrics', tags: ['smoke'], status: 'passed' },
        { name: 'docs', tags: ['smoke'], status: 'passed' },
      ],
    }),
  );
});
afterAll(async () => {
  await slack.close();
  await webhook.close();
  await github.close();
});

/** One step of the pipeline calling the action: its inputs, and what it left (outputs, log). */
async function step(values: Record<string, string>) {
  const outputs = new MemoryOutputs();
  const log = new MemoryLogger();
  const summary = new MemorySummary();
  const ctx: ActionContext = {
    inputs: new Inputs(mapInputs({ 'slack-token': BOT_TOKEN, environment: 'staging', ...values })),
    log,
    outputs,
    state: new MemoryState(),
    summary,
    env: {
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_RUN_ID: '9876543210',
      GITHUB_RUN_NUMBER: '42',
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0',
      GITHUB_WORKFLOW: 'pipeline',
      GITHUB_API_URL: github.url,
      GITHUB_WORKSPACE: workspace,
      PIPELINE_TOOLKIT_TEST_SLACK_LOOPBACK: 'true',
      PIPELINE_TOOLKIT_TEST_SLACK_API_URL: slack.base,
    },
  };
  await run(ctx);
  return { outputs: outputs.values, log: log.lines, summary: summary.text };
}

/** Everything a message shows, blocks included, as one text. */
const shown = (message: StoredMessage | undefined) => JSON.stringify(message ?? null);
const checklist = (message: StoredMessage | undefined) => {
  const blocks = (message?.attachments as { blocks: { type: string; text?: { text: string } }[] }[] | undefined)?.[0]?.blocks ?? [];
  return blocks.find((b) => b.type === 'section' && /^[✓⏳⏸✗○–] /.test(b.text?.text ?? ''))?.text?.text;
};

describe('bot-token lifecycle: start → approval → deploying → live, one message, details in its thread', () => {
  let ts = '';
  const channel = 'C0DEPLOYS';
  let before = 0;

  it('thread: the start posts one message in the channel given by name and outputs its ts and channel ID', async () => {
    before = slack.messages(channel).length;
    const start = await step({ stage: 'started', channel: 'deploys' });
    ts = start.outputs['message-ts']!;
    expect(start.outputs).toEqual(expect.objectContaining({ sent: 'true', 'channel-id': channel }));
    const messages = slack.messages(channel).slice(before);
    expect(messages.map((m) => m.ts)).toEqual([ts]);
    expect(messages[0]!.text).toBe('Pipeline started — acme/shop · main #42: Lint, build, test, security scan');
    expect(checklist(messages[0])).toBe(
      '⏳  Lint, build, test, security scan\n○  Approval in *staging*\n○  Deploy\n○  Smoke tests\n○  Live',
    );
  });

  it('approval: the same message says who must approve in which environment, with the link to the review page', async () => {
    const approval = await step({ stage: 'awaiting-approval', channel, 'message-ts': ts, 'github-token': github.token });
    expect(approval.outputs).toEqual(expect.objectContaining({ sent: 'true', 'message-ts': ts, 'channel-id': channel }));
    const message = slack.messages(channel).find((m) => m.ts === ts);
    expect(slack.messages(channel).slice(before)).toHaveLength(1);
    expect(message?.edits).toBe(1);
    // Reviewers as the environment lists them: the user octocat, the team justice-league of the repository's owner.
    expect(checklist(message)).toBe(
      `✓  Lint, build, test, security scan\n⏸  Waiting for approval in *staging* by @octocat, @acme/justice-league — <${RUN_URL}|Review the deployment>\n○  Deploy\n○  Smoke tests\n○  Live`,
    );
    expect(message?.text).toBe(
      'Waiting for approval — acme/shop · main #42: Waiting for approval in *staging* by @octocat, @acme/justice-league — Review the deployment',
    );
    expect(shown(message)).toContain('"color":"#ECB22E"');
    expect(github.requests.map((r) => `${r.method} ${r.url}`)).toContain('GET /repos/acme/shop/environments/staging');
  });

  it('thread: deploying updates it again; no new message, no reply yet', async () => {
    const deploying = await step({ stage: 'deploying', channel, 'message-ts': ts });
    expect(deploying.outputs['message-ts']).toBe(ts);
    const message = slack.messages(channel).find((m) => m.ts === ts);
    expect(message?.edits).toBe(2);
    expect(checklist(message)).toBe('✓  Lint, build, test, security scan\n✓  Approved in *staging*\n⏳  Deploy\n○  Smoke tests\n○  Live');
    expect(slack.replies(channel, ts)).toEqual([]);
  });

  it('thread: live turns it green with the address, and the smoke report goes into its thread', async () => {
    const live = await step({
      stage: 'live',
      channel,
      'message-ts': ts,
      'environment-url': 'https://shop.example.com/?token=abc',
      'smoke-report': 'smoke-result.json',
    });
    expect(live.outputs).toEqual(expect.objectContaining({ sent: 'true', 'message-ts': ts }));
    const message = slack.messages(channel).find((m) => m.ts === ts);
    expect(message?.edits).toBe(3);
    expect(shown(message)).toContain('"color":"#2EB67D"');
    // The query's token is redacted on its way into the message, link address included.
    expect(checklist(message)).toBe(
      '✓  Lint, build, test, security scan\n✓  Approved in *staging*\n✓  Deploy\n✓  Smoke tests\n✓  Live: <https://shop.example.com/?token=***|https://shop.example.com/>',
    );
    const replies = slack.replies(channel, ts);
    expect(replies).toHaveLength(1);
    // The smoke report's counts, read from the file written above.
    expect(shown(replies[0])).toContain('*Smoke tests*: 3 passed · 1 failed · 0 flaky · 0 skipped');
    expect(shown(replies[0])).toContain('• orders API');
    expect(slack.messages(channel).slice(before)).toHaveLength(1);
  });
});

describe('bot-token lifecycle: start → approval → deploying → rolled back', () => {
  const channel = 'C0DEPLOYS';

  it('thread: ends red with the rollback reason, the failed job and the smoke report in the thread', async () => {
    const start = await step({ stage: 'started', channel: 'deploys' });
    const ts = start.outputs['message-ts']!;
    await step({ stage: 'awaiting-approval', channel, 'message-ts': ts });
    await step({ stage: 'deploying', channel, 'message-ts': ts });
    const end = await step({
      stage: 'rolled-back',
      channel,
      'message-ts': ts,
      needs: JSON.stringify({ deploy: { result: 'success' }, smoke: { result: 'failure' }, rollback: { result: 'success' } }),
      reason: 'The smoke job failed after the switch to green; the rollback job put blue back.',
      'smoke-report': 'smoke-result.json',
    });
    expect(end.outputs).toEqual(
      expect.objectContaining({
        sent: 'true',
        'message-ts': ts,
        'failed-jobs': JSON.stringify([{ name: 'smoke', conclusion: 'failure' }]),
      }),
    );
    const message = slack.messages(channel).find((m) => m.ts === ts);
    expect(message?.edits).toBe(3);
    expect(shown(message)).toContain('"color":"#E01E5A"');
    expect(checklist(message)).toBe(
      '✓  Lint, build, test, security scan\n✓  Approved in *staging*\n✓  Deploy\n✗  Smoke tests\n✗  Rolled back: the previous colour serves traffic',
    );
    // Without github-token the reviewers are not known: the approval line said so while it waited.
    const replies = slack.replies(channel, ts);
    expect(replies).toHaveLength(1);
    const reply = shown(replies[0]);
    expect(reply).toContain('*Reason*: The smoke job failed after the switch to green; the rollback job put blue back.');
    expect(reply).toContain('*Failed jobs*\\n• smoke — failed');
    expect(reply).toContain('*Smoke tests*: 3 passed · 1 failed · 0 flaky · 0 skipped');
  });

  it("approval: without a token that can read the environment, the message names the environment's reviewers", async () => {
    const start = await step({ stage: 'started', channel: 'deploys' });
    const ts = start.outputs['message-ts']!;
    const approval = await step({
      stage: 'awaiting-approval',
      channel,
      'message-ts': ts,
      'github-token': 'ghs_wrongTokenForThisRepository000000',
    });
    expect(checklist(slack.messages(channel).find((m) => m.ts === ts))).toContain(
      `⏸  Waiting for approval in *staging* by the environment's reviewers — <${RUN_URL}|Review the deployment>`,
    );
    expect(approval.log.find((l) => l.message.startsWith("Could not read the reviewers of the environment 'staging'"))?.message).toContain(
      "(reading an environment needs 'permissions: actions: read')",
    );
  });

  it('approval: rejection or timeout updates the message too, with the default reason in its thread', async () => {
    const start = await step({ stage: 'started', channel: 'deploys' });
    const ts = start.outputs['message-ts']!;
    await step({ stage: 'awaiting-approval', channel, 'message-ts': ts });
    await step({ stage: 'rejected', channel, 'message-ts': ts });
    const message = slack.messages(channel).find((m) => m.ts === ts);
    expect(checklist(message)).toBe(
      '✓  Lint, build, test, security scan\n✗  Rejected or timed out in *staging*\n–  Deploy\n–  Smoke tests\n–  Not deployed',
    );
    expect(shown(slack.replies(channel, ts)[0])).toContain('*Reason*: The deployment was rejected, or nobody approved it');
  });

  it('thread: a message deleted meanwhile is posted anew, the warning says so, and the new ts is the output', async () => {
    const start = await step({ stage: 'started', channel: 'deploys' });
    const ts = start.outputs['message-ts']!;
    slack.remove(channel, ts);
    const approval = await step({ stage: 'awaiting-approval', channel, 'message-ts': ts });
    const fresh = approval.outputs['message-ts']!;
    expect(fresh).not.toBe(ts);
    expect(slack.messages(channel).find((m) => m.ts === fresh)?.text).toMatch(/^Waiting for approval — /);
    expect(approval.summary).toContain(
      `| awaiting-approval | ${fresh} in C0DEPLOYS: posted anew (the message to update was gone) | none |`,
    );
    expect(approval.log.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
      "The message to update no longer exists in the channel 'C0DEPLOYS' (message_not_found): it was deleted, or the ts belongs to another channel. Posted a new message instead; later steps update the new one (output message-ts).",
    ]);
  });

  it('thread: with fail-on-error false a refused update is a warning and the given ts passes through', async () => {
    const result = await step({ stage: 'deploying', channel: 'C0PRIVATE', 'message-ts': '1765000001.000100', 'fail-on-error': 'false' });
    expect(result.outputs).toEqual(
      expect.objectContaining({ sent: 'false', 'message-ts': '1765000001.000100', 'channel-id': 'C0PRIVATE' }),
    );
    expect(result.log.find((l) => l.level === 'warning')?.message).toContain('(not_in_channel)');
  });

  it('no secret in any payload or log: the token never leaves the Authorization header', async () => {
    const bodies = slack.requests.map((r) => r.body).join('\n');
    expect(bodies).not.toContain(BOT_TOKEN);
    expect(bodies).not.toContain(github.token);
    expect(bodies).not.toContain('xoxb-');
  });
});

describe('webhook mode: the approval-pending message', () => {
  it('approval: posts "waiting for approval" with the review link, and says a webhook cannot update it', async () => {
    const url = webhook.webhook('ok');
    const result = await step({ 'slack-token': '', 'webhook-url': url, stage: 'awaiting-approval', 'github-token': github.token });
    expect(result.outputs).toEqual(expect.objectContaining({ sent: 'true', 'message-ts': '', 'channel-id': '' }));
    const posted = webhook.hits('ok').map((r) => r.body);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain(
      `⏸  Waiting for approval in *staging* by @octocat, @acme/justice-league — <${RUN_URL}|Review the deployment>`,
    );
    expect(posted[0]).toContain('A webhook cannot update this message; the outcome comes as a new message.');
  });

  it('approval: message-ts without slack-token is refused, naming both inputs', async () => {
    await expect(
      step({ 'slack-token': '', 'webhook-url': webhook.webhook('ok'), stage: 'deploying', 'message-ts': '1765000001.000100' }),
    ).rejects.toThrow("Input 'message-ts' needs Input 'slack-token' (a webhook posts to its own channel and cannot update or thread).");
  });
});
