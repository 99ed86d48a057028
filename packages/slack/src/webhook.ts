import { Credential } from './credential.ts';
import {
  ExternalError,
  InputError,
  type Logger,
  DEFAULT_REQUEST_POLICY,
  guardedFetch,
  requestFailure,
  startDeadline,
  type RequestPolicy,
} from '@pipeline-toolkit/core';

/**
 * A validated Slack incoming-webhook URL. The address itself is a credential, so it is kept in a
 * private field: printing, interpolating or serialising this object shows a placeholder.
 */
export class WebhookUrl extends Credential {
  constructor(url: string) {
    super(url, '[Slack webhook URL]');
  }
}

/**
 * Test seam: with this environment variable set to `true`, a plain-http webhook URL on the
 * loopback interface (127.0.0.1, ::1, localhost) is accepted, so tests can run a Slack stand-in.
 * It allows nothing else: any other host still needs https://hooks.slack.com/services/…
 */
export const LOOPBACK_SEAM = 'PIPELINE_TOOLKIT_TEST_SLACK_LOOPBACK';

const SLACK_HOSTS = ['hooks.slack.com', 'hooks.slack-gov.com'];
const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]', 'localhost'];

/**
 * Checks the shape of a webhook URL: `https://hooks.slack.com/services/…` (or GovSlack). The
 * value is never quoted in the error. `allowLoopback` is the test seam: with it, a plain-http URL
 * on the loopback interface is also accepted, so tests can run a local Slack stand-in; it never
 * allows plain http to any other host.
 */
export function parseWebhookUrl(value: string, label: string, options: { allowLoopback?: boolean } = {}): WebhookUrl {
  // The example is written so that the redactor's Slack-URL pattern does not match it (it would mask it).
  const problem = `${label} must be a Slack incoming-webhook URL such as https://hooks.slack.com/services/<team>/<bot>/<secret>`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError('webhook-url', `${problem}; the value given is not a URL (not shown: it is a secret).`);
  }
  if (options.allowLoopback && url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname)) return new WebhookUrl(url.href);
  if (url.protocol !== 'https:')
    throw new InputError('webhook-url', `${problem}; the value given does not use https (not shown: it is a secret).`);
  if (!SLACK_HOSTS.includes(url.hostname) || url.username || url.password || url.port) {
    throw new InputError('webhook-url', `${problem}; the value given points elsewhere (not shown: it is a secret).`);
  }
  if (!/^\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/?$/.test(url.pathname)) {
    throw new InputError(
      'webhook-url',
      `${problem}; the path of the value given is not /services/<team>/<bot>/<secret> (workflow-builder webhooks take a different payload and are not supported).`,
    );
  }
  return new WebhookUrl(url.href);
}

export interface DeliveryOptions {
  /** Retry 5xx answers and timeouts (off by default: Slack may have posted the message already). */
  retry5xx: boolean;
  log: Logger;
  /** Per-attempt limit; default 10 s. */
  timeoutMs?: number;
  /** request-timeout (per attempt, unless timeoutMs) and request-deadline (all attempts and waits). */
  policy?: RequestPolicy;
  /** Longest wait honoured from a Retry-After header; default 30 s. */
  maxRetryAfterMs?: number;
  /** Attempts in all, first included; default 4. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** What Slack's incoming webhooks answer, and what the person running the pipeline can do about it. */
const SLACK_ERRORS: Record<string, string> = {
  invalid_payload:
    'Slack rejected the message as malformed (invalid_payload). Run with dry-run: true to see the payload, and report it if the toolkit built it.',
  no_text: 'Slack rejected the message because it has no text (no_text).',
  action_prohibited:
    "Slack refused the post (action_prohibited): a workspace admin has restricted this webhook's app. Ask a Slack admin to allow it.",
  channel_not_found:
    "The webhook's channel no longer exists (channel_not_found). Create an incoming webhook for an existing channel and update the secret.",
  channel_is_archived:
    "The webhook's channel is archived (channel_is_archived). Unarchive the channel, or create a webhook for another channel and update the secret.",
  no_service: 'The webhook is disabled, revoked or mistyped (no_service). Create a new incoming webhook and update the secret.',
  no_active_hooks: 'The webhook is disabled (no_active_hooks). Re-enable the incoming webhook in the Slack app, or create a new one.',
  invalid_token: 'The webhook was revoked (invalid_token). Create a new incoming webhook and update the secret.',
  posting_to_general_channel_denied:
    'Only admins may post to this channel (posting_to_general_channel_denied). Point the webhook at another channel.',
  too_many_attachments: 'Slack rejected the message: too many attachments (too_many_attachments).',
};

export function slackErrorMessage(status: number, body: string): string {
  const code = body.trim();
  const known = SLACK_ERRORS[code];
  if (known) return known;
  const shown = code.replace(/\s+/g, ' ').slice(0, 200) || '(empty body)';
  return `Slack answered HTTP ${status}: ${shown}`;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`; 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number {
  const value = header?.trim();
  if (!value) return 1000;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now);
}

/** Why a 5xx or a lost answer was not retried: Slack may have posted the message before failing. */
const NOT_RETRIED = '. Not retried: set retry-5xx: true to retry (Slack may already have posted it, so a retry can post it twice)';

const sleeper = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Posts a payload to an incoming webhook. 429: waits Retry-After (capped) and tries again.
 * 5xx and timeouts: tried again only with `retry5xx` (a webhook post is not idempotent).
 * 4xx: never tried again; Slack's error is turned into an actionable message.
 * Returns the number of attempts made. No message ever contains the URL.
 */
export async function postToWebhook(webhook: WebhookUrl, payload: unknown, options: DeliveryOptions): Promise<number> {
  const { log, retry5xx } = options;
  const maxAttempts = options.maxAttempts ?? 4;
  const cap = options.maxRetryAfterMs ?? 30_000;
  const sleep = options.sleep ?? sleeper;
  const now = options.now ?? Date.now;
  const body = JSON.stringify(payload);
  const policy = options.policy ?? DEFAULT_REQUEST_POLICY;
  const deadline = startDeadline(policy);
  // The URL is the secret: messages name only Slack's host.
  const send = guardedFetch(
    { ...policy, attemptTimeoutMs: options.timeoutMs ?? (options.policy ? policy.attemptTimeoutMs : 10_000) },
    { fetch: await proxyAwareFetch(webhook.reveal()), describe: (url) => `${url.host}/services/… (the Slack webhook)`, deadline },
  );

  for (let attempt = 1; ; attempt++) {
    const last = attempt >= maxAttempts;
    let response: Response;
    let text: string;
    try {
      response = await send(webhook.reveal(), {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      const reason = networkReason(error);
      if (deadline.signal.aborted) throw new ExternalError(`Could not deliver the Slack message: ${reason}`);
      if (retry5xx && !last) {
        const wait = backoffMs(attempt);
        log.info(`Slack did not answer (${reason}); trying again in ${wait / 1000}s (attempt ${attempt + 1} of ${maxAttempts}).`);
        await sleep(wait);
        continue;
      }
      throw new ExternalError(`Could not deliver the Slack message: ${reason}${retry5xx ? ` after ${attempt} attempts` : NOT_RETRIED}.`);
    }

    if (response.ok) return attempt;
    if (response.status === 429) {
      if (last)
        throw new ExternalError(
          `Slack kept rate-limiting the webhook (HTTP 429) after ${attempt} attempts; it accepts about one message per second.`,
        );
      const wait = Math.min(retryAfterMs(response.headers.get('retry-after'), now()), cap);
      log.info(
        `Slack rate-limited the webhook (HTTP 429); trying again in ${(wait / 1000).toFixed(1)}s (attempt ${attempt + 1} of ${maxAttempts}).`,
      );
      await sleep(wait);
      continue;
    }
    if (response.status >= 500) {
      if (retry5xx && !last) {
        const wait = backoffMs(attempt);
        log.info(`Slack answered HTTP ${response.status}; trying again in ${wait / 1000}s (attempt ${attempt + 1} of ${maxAttempts}).`);
        await sleep(wait);
        continue;
      }
      throw new ExternalError(
        `Slack answered HTTP ${response.status} (a problem on Slack's side)${retry5xx ? ` after ${attempt} attempts` : NOT_RETRIED}.`,
      );
    }
    throw new ExternalError(slackErrorMessage(response.status, text));
  }
}

/**
 * fetch through the proxy the runner is configured with (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, read as
 * the Actions toolkit reads them, as for the GitHub API calls); the built-in fetch when there is
 * none. The proxy-capable client is loaded only when a proxy is set.
 */
export async function proxyAwareFetch(url: string): Promise<typeof fetch> {
  if (!['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].some((name) => process.env[name])) return fetch;
  const [{ HttpClient }, undici] = await Promise.all([import('@actions/http-client'), import('undici')]);
  const dispatcher = new HttpClient().getAgentDispatcher(url);
  if (!dispatcher) return fetch;
  return (input, init) => undici.fetch(input as string, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
}

/** 1 s, 2 s, 4 s … between retries of 5xx and timeouts. */
function backoffMs(attempt: number): number {
  return 1000 * 2 ** (attempt - 1);
}

/** Why a request failed, without its URL (fetch errors may carry it). Duck-typed: the error may come from another realm. */
function networkReason(error: unknown): string {
  const failure = requestFailure(error);
  if (failure) return failure.message.replace(/\.$/, '');
  const { name, cause } = (error ?? {}) as { name?: string; cause?: { code?: string } };
  if (name === 'TimeoutError' || name === 'AbortError') return 'no answer in time (timeout)';
  return cause?.code ? `network error ${cause.code}` : 'network error';
}
