import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ExternalError, InputError, MemoryLogger } from '@pipeline-toolkit/core';
import { parseWebhookUrl, postToWebhook, retryAfterMs, type DeliveryOptions } from '@pipeline-toolkit/slack';
import { SLACK_ERRORS, startSlack, type SlackStandIn } from './fakes.ts';

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await startSlack();
});
afterAll(() => slack.close());

const payload = { text: 'CI/CD pipeline failed', attachments: [{ color: '#E01E5A', blocks: [] }] };

/** Delivery options whose waits are recorded instead of slept, so retries are observable and fast. */
function options(extra: Partial<DeliveryOptions> = {}) {
  const waits: number[] = [];
  const log = new MemoryLogger();
  const opts: DeliveryOptions = {
    retry5xx: false,
    log,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  };
  return { waits, log, opts };
}

const url = (scenario: string) => parseWebhookUrl(slack.webhook(scenario), "Input 'webhook-url'", { allowLoopback: true });

describe('webhook URL validation', () => {
  const label = "Input 'webhook-url'";
  it('accepts Slack incoming-webhook URLs and hides them when printed', () => {
    const webhook = parseWebhookUrl('https://hooks.slack.com/services/T0AAA1111/B0BBB2222/abcdefABCDEF123456', label);
    expect(webhook.reveal()).toBe('https://hooks.slack.com/services/T0AAA1111/B0BBB2222/abcdefABCDEF123456');
    expect(`${webhook}`).toBe('[Slack webhook URL]');
    expect(JSON.stringify({ webhook })).not.toContain('hooks.slack.com');
    expect(parseWebhookUrl('https://hooks.slack-gov.com/services/T1/B2/c3', label).reveal()).toContain('slack-gov');
  });

  it.each([
    ['not a URL', 'hooks.slack.com/services/T1/B2/secretpart', 'is not a URL'],
    ['plain http', 'http://hooks.slack.com/services/T1/B2/secretpart', 'does not use https'],
    ['another host', 'https://evil.example/services/T1/B2/secretpart', 'points elsewhere'],
    ['credentials in the URL', 'https://user:pw@hooks.slack.com/services/T1/B2/secretpart', 'points elsewhere'],
    ['a workflow-builder webhook', 'https://hooks.slack.com/triggers/T1/123/secretpart', 'workflow-builder'],
    ['loopback without the test seam', 'http://127.0.0.1:9/services/T1/B2/secretpart', 'does not use https'],
  ])('rejects %s, naming the input and never showing the value', (_, value, reason) => {
    let error: unknown;
    try {
      parseWebhookUrl(value, label);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain("Input 'webhook-url' must be a Slack incoming-webhook URL");
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).not.toContain('secretpart');
    // What the user reads is the redacted message: the example of a good URL must survive it.
    const log = new MemoryLogger();
    log.error((error as Error).message);
    expect(log.lines[0]?.message).toContain('such as https://hooks.slack.com/services/<team>/<bot>/<secret>');
  });

  it('allows plain http on the loopback interface only through the test seam', () => {
    expect(parseWebhookUrl('http://127.0.0.1:8080/services/T1/B2/x', label, { allowLoopback: true }).reveal()).toBe(
      'http://127.0.0.1:8080/services/T1/B2/x',
    );
    expect(() => parseWebhookUrl('http://10.0.0.1/services/T1/B2/x', label, { allowLoopback: true })).toThrow('does not use https');
  });
});

describe('postToWebhook against a Slack stand-in', () => {
  it('posts the JSON payload once and succeeds on 200 ok', async () => {
    const { opts, waits } = options();
    expect(await postToWebhook(url('ok'), payload, opts)).toBe(1);
    const [request] = slack.hits('ok');
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request?.body ?? '')).toEqual(payload);
    expect(waits).toEqual([]);
  });

  it.each(Object.entries(SLACK_ERRORS))('turns %s (HTTP %i) into an actionable error and never retries it', async (code) => {
    const { opts } = options({ retry5xx: true });
    const error = await postToWebhook(url(code), payload, opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalError);
    expect((error as Error).message).toContain(`(${code})`);
    expect((error as Error).message).not.toContain('127.0.0.1');
    expect(slack.hits(code)).toHaveLength(1);
  });

  it('explains what to do for the common errors', async () => {
    const message = async (code: string) =>
      ((await postToWebhook(url(code), payload, options().opts).catch((e: unknown) => e)) as Error).message;
    expect(await message('channel_not_found')).toMatch(/Create an incoming webhook for an existing channel and update the secret/);
    expect(await message('channel_is_archived')).toMatch(/Unarchive the channel/);
    expect(await message('no_service')).toMatch(/disabled, revoked or mistyped/);
    expect(await message('action_prohibited')).toMatch(/Ask a Slack admin/);
    expect(await message('invalid_payload')).toMatch(/dry-run: true/);
  });

  it('rejects a payload Slack cannot read, as Slack does', async () => {
    const { opts } = options();
    await expect(postToWebhook(url('ok'), { attachments: undefined }, opts)).rejects.toThrow('(no_text)');
  });

  it('waits Retry-After seconds after a 429, then delivers once', async () => {
    const { opts, waits, log } = options();
    expect(await postToWebhook(url('ratelimit-seconds'), payload, opts)).toBe(2);
    expect(waits).toEqual([1000]);
    expect(slack.hits('ratelimit-seconds')).toHaveLength(2);
    expect(log.text()).toContain('rate-limited the webhook (HTTP 429); trying again in 1.0s (attempt 2 of 4)');
  });

  it('reads Retry-After as an HTTP date', async () => {
    const { opts, waits } = options();
    expect(await postToWebhook(url('ratelimit-date'), payload, opts)).toBe(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(0);
    expect(waits[0]).toBeLessThanOrEqual(1000);
  });

  it('caps the Retry-After wait and gives up after the last attempt', async () => {
    const { opts, waits } = options({ maxRetryAfterMs: 250, maxAttempts: 3 });
    await expect(postToWebhook(url('ratelimit-always'), payload, opts)).rejects.toThrow(
      'kept rate-limiting the webhook (HTTP 429) after 3 attempts',
    );
    expect(waits).toEqual([250, 250]);
  });

  it('does not retry a 5xx unless retry-5xx is set', async () => {
    const plain = options();
    await expect(postToWebhook(url('error503-always'), payload, plain.opts)).rejects.toThrow(
      "Slack answered HTTP 503 (a problem on Slack's side). Not retried: set retry-5xx: true to retry (Slack may already have posted it, so a retry can post it twice).",
    );
    expect(slack.hits('error503-always')).toHaveLength(1);

    const retrying = options({ retry5xx: true });
    expect(await postToWebhook(url('error500-once'), payload, retrying.opts)).toBe(2);
    expect(retrying.waits).toEqual([1000]);
  });

  it('stops retrying 5xx after the last attempt, backing off between attempts', async () => {
    const { opts, waits } = options({ retry5xx: true, maxAttempts: 3 });
    const before = slack.hits('error503-always').length;
    await expect(postToWebhook(url('error503-always'), payload, opts)).rejects.toThrow(
      "HTTP 503 (a problem on Slack's side) after 3 attempts",
    );
    expect(slack.hits('error503-always').length - before).toBe(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it('waits for a slow answer within the time limit', async () => {
    const { opts } = options({ timeoutMs: 5000 });
    expect(await postToWebhook(url('slow-300'), payload, opts)).toBe(1);
  });

  it('gives up on an answer that is too slow, and retries it only with retry-5xx', async () => {
    const plain = options({ timeoutMs: 100 });
    await expect(postToWebhook(url('slow-1000'), payload, plain.opts)).rejects.toThrow(
      /Could not deliver the Slack message: No answer from 127\.0\.0\.1:\d+\/services\/… \(the Slack webhook\): waited 100ms for the answer \(status and headers\) \(request-timeout: 100ms\)\. Not retried/,
    );
    const retrying = options({ timeoutMs: 100, retry5xx: true, maxAttempts: 2 });
    await expect(postToWebhook(url('slow-1001'), payload, retrying.opts)).rejects.toThrow(
      /waited 100ms for the answer \(status and headers\) \(request-timeout: 100ms\) after 2 attempts/,
    );
    expect(slack.hits('slow-1001')).toHaveLength(2);
  });

  it('reports a refused connection without the address', async () => {
    const closed = await startSlack();
    const webhook = parseWebhookUrl(closed.webhook('ok'), 'x', { allowLoopback: true });
    await closed.close();
    const error = (await postToWebhook(webhook, payload, options().opts).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'Could not deliver the Slack message: network error ECONNREFUSED. Not retried: set retry-5xx: true to retry (Slack may already have posted it, so a retry can post it twice).',
    );
  });
});

/** A loopback HTTP proxy that records CONNECT requests and refuses to open the tunnel. */
async function startRefusingProxy() {
  const connects: string[] = [];
  const server = createServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      connects.push(chunk.toString('latin1').split('\r\n')[0] ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connects, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('postToWebhook behind a proxy', () => {
  it('goes through HTTPS_PROXY, as the runner configures it, without exposing the webhook', async () => {
    const proxy = await startRefusingProxy();
    const saved = { HTTPS_PROXY: process.env['HTTPS_PROXY'], HTTP_PROXY: process.env['HTTP_PROXY'] };
    process.env['HTTPS_PROXY'] = proxy.url;
    process.env['HTTP_PROXY'] = proxy.url;
    try {
      const webhook = parseWebhookUrl('https://hooks.slack.com/services/T0AAA1111/B0BBB2222/proxysecret123', 'x');
      const error = (await postToWebhook(webhook, payload, options().opts).catch((e: unknown) => e)) as Error;
      expect(proxy.connects).toEqual(['CONNECT hooks.slack.com:443 HTTP/1.1']);
      expect(error.message).toMatch(/^Could not deliver the Slack message: network error/);
      expect(error.message).not.toContain('proxysecret123');
      // The loopback interface is never proxied (the Actions toolkit's rule).
      expect(await postToWebhook(url('ok'), payload, options().opts)).toBe(1);
      expect(proxy.connects).toHaveLength(1);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await proxy.close();
    }
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds, HTTP dates, and falls back to one second', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBe(1000);
    expect(retryAfterMs('soon', now)).toBe(1000);
  });
});
