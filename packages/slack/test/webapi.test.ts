import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ExternalError, InputError, MemoryLogger } from '@pipeline-toolkit/core';
import { startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { SlackApiError, SlackToken, callChat, parseSlackToken, slackApiBase, SLACK_API_SEAM, SLACK_API_URL } from '../src/webapi.ts';
import { BOT_TOKEN, NO_SCOPE_TOKEN, startSlackApi, type SlackApiStandIn } from './slack-api.ts';

let slack: SlackApiStandIn;
beforeAll(async () => {
  slack = await startSlackApi();
});
afterAll(async () => {
  await slack.close();
});

const token = new SlackToken(BOT_TOKEN);
function options(extra: { maxAttempts?: number; retry5xx?: boolean; maxRetryAfterMs?: number } = {}) {
  const log = new MemoryLogger();
  const waits: number[] = [];
  return {
    log,
    waits,
    settings: {
      log,
      baseUrl: slack.base,
      sleep: async (ms: number) => {
        waits.push(ms);
      },
      ...extra,
    },
  };
}
const content = { text: 'Pipeline started', attachments: [{ color: '#1D9BD1', fallback: 'Pipeline started', blocks: [] }] };

describe('Slack Web API client (chat.postMessage, chat.update, thread replies)', () => {
  it('thread: posts by channel name, updates the message in place by channel ID and ts, and replies in its thread', async () => {
    const { settings } = options();
    const posted = await callChat(token, 'chat.postMessage', { channel: 'deploys', ...content }, settings);
    expect(posted.channel).toBe(slack.channels['deploys']);
    const updated = await callChat(token, 'chat.update', { channel: posted.channel, ts: posted.ts, text: 'Deploying' }, settings);
    expect(updated).toEqual(posted);
    const reply = await callChat(token, 'chat.postMessage', { channel: posted.channel, thread_ts: posted.ts, text: 'details' }, settings);
    const messages = slack.messages(posted.channel).filter((m) => m.ts === posted.ts);
    expect(messages).toEqual([expect.objectContaining({ ts: posted.ts, text: 'Deploying', edits: 1 })]);
    expect(slack.replies(posted.channel, posted.ts).map((m) => [m.ts, m.text])).toEqual([[reply.ts, 'details']]);
    const request = slack.requests.at(-1)!;
    expect(request.headers['authorization']).toBe(`Bearer ${BOT_TOKEN}`);
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('thread: honours Retry-After on 429 (seconds), capped, then succeeds', async () => {
    const { settings, waits, log } = options({ maxRetryAfterMs: 5000 });
    slack.rateLimitNext(2, '30');
    const posted = await callChat(token, 'chat.postMessage', { channel: 'deploys', text: 'after a rate limit' }, settings);
    expect(slack.messages('C0DEPLOYS').some((m) => m.ts === posted.ts)).toBe(true);
    // Slack asked for 30 s each time; the cap given is 5 s.
    expect(waits).toEqual([5000, 5000]);
    expect(log.lines.filter((l) => l.message.includes('HTTP 429')).map((l) => l.message)).toEqual([
      'Slack rate-limited chat.postMessage (HTTP 429); trying again in 5.0s (attempt 2 of 4).',
      'Slack rate-limited chat.postMessage (HTTP 429); trying again in 5.0s (attempt 3 of 4).',
    ]);
  });

  it('thread: stops after the last attempt when Slack keeps answering 429', async () => {
    const { settings, waits } = options({ maxAttempts: 3 });
    slack.rateLimitNext(3, '1');
    await expect(callChat(token, 'chat.update', { channel: 'C0DEPLOYS', ts: '1.000001', text: 'x' }, settings)).rejects.toThrow(
      'Slack kept rate-limiting chat.update (HTTP 429) after 3 attempts.',
    );
    expect(waits).toEqual([1000, 1000]);
  });

  it('thread: retries chat.update after a 5xx (an update is idempotent) but not chat.postMessage unless retry-5xx', async () => {
    const { settings } = options();
    const posted = await callChat(token, 'chat.postMessage', { channel: 'deploys', text: 'before' }, settings);
    slack.failNext(1, 503);
    await callChat(token, 'chat.update', { channel: posted.channel, ts: posted.ts, text: 'after a 503' }, settings);
    expect(slack.messages(posted.channel).find((m) => m.ts === posted.ts)?.text).toBe('after a 503');
    slack.failNext(1, 502);
    const before = slack.messages('C0DEPLOYS').length;
    await expect(callChat(token, 'chat.postMessage', { channel: 'deploys', text: 'once' }, settings)).rejects.toThrow(
      "Slack answered chat.postMessage with HTTP 502 (a problem on Slack's side). Not retried: set retry-5xx: true",
    );
    expect(slack.messages('C0DEPLOYS')).toHaveLength(before);
    slack.failNext(1, 500);
    await callChat(token, 'chat.postMessage', { channel: 'deploys', text: 'retried' }, { ...options({ retry5xx: true }).settings });
    expect(slack.messages('C0DEPLOYS').at(-1)?.text).toBe('retried');
  });

  it.each([
    [
      'not_in_channel',
      'chat.postMessage',
      'private-ops',
      BOT_TOKEN,
      "The Slack app is not a member of the channel 'private-ops' (not_in_channel). Invite it there",
    ],
    [
      'channel_not_found',
      'chat.postMessage',
      'no-such-channel',
      BOT_TOKEN,
      "Slack cannot find the channel 'no-such-channel' (channel_not_found)",
    ],
    ['channel_not_found', 'chat.update', 'deploys', BOT_TOKEN, "Slack cannot find the channel 'deploys' (channel_not_found)"],
    ['is_archived', 'chat.postMessage', 'archived', BOT_TOKEN, "The channel 'archived' is archived (is_archived)."],
    [
      'missing_scope',
      'chat.postMessage',
      'deploys',
      NO_SCOPE_TOKEN,
      "The Slack token lacks the scope 'chat:write' for chat.postMessage (missing_scope; it has channels:read). Add it under OAuth & Permissions",
    ],
    [
      'invalid_auth',
      'chat.postMessage',
      'deploys',
      'xoxb-1111111111-2222222222-revokedTokenCCCCCCC',
      'Slack refused the token (invalid_auth)',
    ],
    [
      'message_not_found',
      'chat.update',
      'C0DEPLOYS',
      BOT_TOKEN,
      "The message to update no longer exists in the channel 'C0DEPLOYS' (message_not_found)",
    ],
  ] as const)('approval and thread errors: %s from %s (channel %s) is explained', async (code, method, channel, secret, message) => {
    const { settings } = options();
    const body = method === 'chat.update' ? { channel, ts: '1000000000.000001', text: 'x' } : { channel, text: 'x' };
    const failure = await callChat(new SlackToken(secret), method, body, settings).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SlackApiError);
    expect((failure as SlackApiError).code).toBe(code);
    expect((failure as Error).message).toContain(message);
    expect((failure as Error).message).not.toContain(secret);
    if (code === 'missing_scope') expect((failure as SlackApiError).needed).toBe('chat:write');
  });

  it('thread: each attempt has a timeout; a Slack that never answers fails with the endpoint named, not the token', async () => {
    let silent: LoopbackServer | undefined;
    try {
      silent = await startServer(() => undefined);
      const log = new MemoryLogger();
      const failure = await callChat(
        token,
        'chat.update',
        { channel: 'C0DEPLOYS', ts: '1000000000.000001', text: 'x' },
        {
          log,
          baseUrl: `${silent.url}/api`,
          policy: { attemptTimeoutMs: 150, deadlineMs: 60_000 },
          maxAttempts: 2,
          sleep: async () => undefined,
        },
      ).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ExternalError);
      expect((failure as Error).message).toMatch(
        /^Slack chat\.update failed: No answer from 127\.0\.0\.1:\d+\/api\/chat\.update: waited 150ms for /,
      );
      expect((failure as Error).message).toContain('after 2 attempts');
      expect(silent.requests).toHaveLength(2);
      expect(JSON.stringify(log.lines)).not.toContain(BOT_TOKEN);
    } finally {
      await silent?.close();
    }
  });
});

describe('Slack token and API address', () => {
  it('accepts bot and user tokens and hides them when printed or serialised', () => {
    const parsed = parseSlackToken(BOT_TOKEN, "Input 'slack-token'");
    expect(parsed.reveal()).toBe(BOT_TOKEN);
    expect(`${parsed}`).toBe('[Slack token]');
    expect(JSON.stringify({ parsed })).toBe('{"parsed":"[Slack token]"}');
    expect(parseSlackToken('xoxp-123456789-abcdefgh', 'x').reveal()).toBe('xoxp-123456789-abcdefgh');
  });

  it.each(['https://hooks.slack.com/services/T0/B0/secretvalue', 'xoxa-2-123456789', 'Bearer xoxb-12345678'])(
    'refuses %s as a token without quoting it',
    (value) => {
      const attempt = () => parseSlackToken(value, "Input 'slack-token'");
      expect(attempt).toThrow(InputError);
      expect(attempt).toThrow("Input 'slack-token' must be a Slack bot token (xoxb-…");
      expect(() => attempt()).not.toThrow(value);
    },
  );

  it('uses slack.com unless the loopback test seam is on and the address is a loopback http one', () => {
    expect(slackApiBase({ [SLACK_API_SEAM]: 'http://127.0.0.1:9/api' }, false)).toBe(SLACK_API_URL);
    expect(slackApiBase({ [SLACK_API_SEAM]: 'http://127.0.0.1:9/api/' }, true)).toBe('http://127.0.0.1:9/api');
    expect(() => slackApiBase({ [SLACK_API_SEAM]: 'https://evil.example/api' }, true)).toThrow('must be a plain-http loopback URL');
  });
});
