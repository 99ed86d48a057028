import { describe, expect, it } from '@jest/globals';
import { Inputs, MemoryLogger, mapInputs } from '@pipeline-toolkit/core';
import { readNotifyInputs } from '../src/inputs.ts';
import { renderDetails, renderLifecycle, type LifecycleMessage } from '../src/lifecycle.ts';
import { runContext } from '../src/model.ts';

const TOKEN = 'xoxb-1111111111-2222222222-lifecycleTokenDDDD';
const base = (extra: Partial<LifecycleMessage> = {}): LifecycleMessage => ({
  status: 'success',
  language: 'en',
  run: runContext({ GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '7', GITHUB_RUN_NUMBER: '3', GITHUB_REF_NAME: 'main' }),
  failedJobs: [],
  mentions: [],
  stage: 'awaiting-approval',
  approval: { environment: 'production', reviewers: ['octocat'] },
  ...extra,
});
const lines = (message: LifecycleMessage) => {
  const blocks = renderLifecycle(message).attachments[0].blocks;
  return blocks.map((b) => ('text' in b && b.text ? b.text.text : '')).find((t) => /^[✓⏳⏸✗○–] /.test(t));
};

describe('lifecycle message', () => {
  it('approval: outside text in the approval line is escaped and cannot mention anyone', () => {
    const text = lines(base({ approval: { environment: 'prod <!here>', reviewers: ['@channel', 'ok-user'] } }));
    expect(text).toContain(
      'Waiting for approval in *prod &lt;!\u200Bhere&gt;* by @@\u200Bchannel, @ok-user — <https://github.com/acme/shop/actions/runs/7|Review the deployment>',
    );
  });

  it('approval: pt-BR wording, and no environment named when none is given', () => {
    expect(lines(base({ language: 'pt-BR' }))).toContain('⏸  Aguardando aprovação em *production* por @octocat');
    expect(lines(base({ approval: {}, stage: 'deploying' }))).toBe(
      '✓  Lint, build, test, security scan\n✓  Approval\n⏳  Deploy\n○  Smoke tests\n○  Live',
    );
  });

  it('thread: no details reply before the end, nor at a live end with nothing to add', () => {
    expect(renderDetails(base({ stage: 'deploying' }))).toBeUndefined();
    expect(renderDetails(base({ stage: 'live' }))).toBeUndefined();
    expect(
      renderDetails(base({ stage: 'checks-failed', failedJobs: [{ name: 'lint', conclusion: 'failure', step: 'ruff' }] }))?.blocks,
    ).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Reason*: A job before the deploy failed; nothing was deployed.' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Failed jobs*\n• lint — failed at step *ruff*' } },
    ]);
  });

  it("thread: the security scan's counts go into the final stage's reply, even at a live end", () => {
    const security = { new: 0, fixed: 2, unchanged: 4, baseline: true };
    expect(renderDetails(base({ stage: 'live', security }))?.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Security scan*: 0 new · 2 fixed · 4 unchanged' } },
    ]);
    expect(JSON.stringify(renderDetails(base({ stage: 'checks-failed', security: { ...security, new: 7, baseline: false } })))).toContain(
      '*Security scan*: 7 findings, no baseline to compare with',
    );
    expect(renderDetails(base({ stage: 'deploying', security }))).toBeUndefined();
  });

  it('thread: a secret-looking reason is scrubbed before it reaches the reply', () => {
    const reply = renderDetails(base({ stage: 'deploy-failed', reason: `helm said: token ${TOKEN}` }));
    expect(JSON.stringify(reply)).not.toContain(TOKEN);
  });
});

describe('bot-token inputs', () => {
  const read = (values: Record<string, string>) => readNotifyInputs(new Inputs(mapInputs(values)), new MemoryLogger());
  it.each([
    [{ 'slack-token': TOKEN, stage: 'started' }, "Input 'channel' is required."],
    [
      { 'slack-token': TOKEN, stage: 'started', channel: 'Deploys Channel' },
      "Input 'channel' must be a channel ID (C…, G… or D…) or a channel name",
    ],
    [
      { 'slack-token': TOKEN, stage: 'live', channel: 'C0DEPLOYS', 'message-ts': 'yesterday' },
      "Input 'message-ts' must be a Slack message timestamp such as 1712345678.123456, got 'yesterday'.",
    ],
    [
      { 'slack-token': TOKEN, stage: 'live', channel: 'deploys', 'message-ts': '1712345678.123456' },
      "Input 'channel' must be the channel ID (C…) to update a message",
    ],
    [
      { 'slack-token': TOKEN, stage: 'live', channel: 'C0DEPLOYS', 'message-ts': '1712345678.123456', 'thread-ts': '1712345678.123457' },
      'not both',
    ],
    [
      { 'slack-token': TOKEN, stage: 'launched', channel: 'C0DEPLOYS' },
      "Input 'stage' must be one of started, awaiting-approval, deploying, live, rolled-back, rejected, checks-failed, deploy-failed, rollback-failed, cancelled",
    ],
  ])('approval and thread inputs: invalid case %# is refused with a message naming the input', (values, message) => {
    expect(() => read(values)).toThrow(message);
  });

  it('thread: the token is registered as a secret before anything else is read', () => {
    const log = new MemoryLogger();
    expect(() => readNotifyInputs(new Inputs(mapInputs({ 'slack-token': TOKEN, stage: 'nope', channel: 'x' })), log)).toThrow();
    expect(log.redactor.redact(`a ${TOKEN} b`)).not.toContain(TOKEN);
  });
});
