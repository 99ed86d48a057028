import { Credential } from './credential.ts';
import {
  ExternalError,
  InputError,
  type Logger,
  DEFAULT_REQUEST_POLICY,
  guardedFetch,
  requestFailure,
  startDeadline,
  stripChar,
  type RequestPolicy,
} from '@pipeline-toolkit/core';
import { proxyAwareFetch, retryAfterMs } from './webhook.ts';

/**
 * Slack's Web API with a bot token (chat.postMessage, chat.update): what bot-token mode uses to post
 * one message per run, update it in place and reply in its thread. Plain fetch under the toolkit's
 * request policy; no Slack SDK (the bundle stays small and loads nothing it does not use).
 */

/** A Slack bot token. The token is a credential: printing, interpolating or serialising this object shows a placeholder. */
export class SlackToken extends Credential {
  constructor(token: string) {
    super(token, '[Slack token]');
  }
}

/** Checks the shape of a bot (xoxb-) or user (xoxp-) token; the value is never quoted in the error. */
export function parseSlackToken(value: string, label: string): SlackToken {
  if (!/^xox[bp]-[A-Za-z0-9-]{8,}$/.test(value)) {
    throw new InputError(
      'slack-token',
      `${label} must be a Slack bot token (xoxb-…, from the app's OAuth & Permissions page) or user token (xoxp-…); the value given is not (not shown: it is a secret).`,
    );
  }
  return new SlackToken(value);
}

export const SLACK_API_URL = 'https://slack.com/api';

/**
 * Test seam, only honoured together with the loopback seam (LOOPBACK_SEAM=true): the Web API's
 * base URL, which must be plain http on the loopback interface. Nothing else can redirect the token.
 */
export const SLACK_API_SEAM = 'PIPELINE_TOOLKIT_TEST_SLACK_API_URL';

/** The Web API's base URL: slack.com, or the loopback stand-in of the test seam. */
export function slackApiBase(env: NodeJS.ProcessEnv, allowLoopback: boolean): string {
  const seam = env[SLACK_API_SEAM]?.trim();
  if (!seam || !allowLoopback) return SLACK_API_URL;
  let url: URL;
  try {
    url = new URL(seam);
  } catch {
    throw new InputError(SLACK_API_SEAM, `${SLACK_API_SEAM} is not a URL.`);
  }
  if (url.protocol !== 'http:' || !['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname))
    throw new InputError(SLACK_API_SEAM, `${SLACK_API_SEAM} must be a plain-http loopback URL (a test stand-in).`);
  return stripChar(url.href, '/', 'end');
}

export type WebApiMethod = 'chat.postMessage' | 'chat.update';

/** Slack answered `ok: false`. `code` is Slack's error string; `needed` the scope missing_scope names. */
export class SlackApiError extends ExternalError {
  readonly code: string;
  readonly needed?: string;
  constructor(message: string, code: string, needed?: string) {
    super(message);
    this.name = 'SlackApiError';
    this.code = code;
    if (needed) this.needed = needed;
  }
}

export interface WebApiOptions {
  log: Logger;
  /** Base URL (slackApiBase); default https://slack.com/api. */
  baseUrl?: string;
  /** request-timeout (per attempt) and request-deadline (all attempts and waits). */
  policy?: RequestPolicy;
  /** Retry chat.postMessage after a 5xx or a lost answer (it may have posted already). chat.update is always retried: it is idempotent. */
  retry5xx?: boolean;
  /** Longest wait honoured from a Retry-After header; default 30 s. */
  maxRetryAfterMs?: number;
  /** Attempts in all, first included; default 4. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** What the person running the pipeline can do about each error Slack's chat methods answer. */
function explain(method: WebApiMethod, code: string, channel: string, answer: { needed?: string; provided?: string }): string {
  const where = `the channel '${channel}'`;
  switch (code) {
    case 'not_in_channel':
      return `The Slack app is not a member of ${where} (not_in_channel). Invite it there (/invite @<app name> in the channel), or add the chat:write.public scope to post to public channels without joining.`;
    case 'channel_not_found':
      return `Slack cannot find ${where} (channel_not_found): it does not exist, or it is private and the app was not invited. Give the channel ID (C…, from the channel's details) and invite the app.`;
    case 'is_archived':
    case 'channel_is_archived':
      return `${where.replace(/^t/, 'T')} is archived (${code}). Unarchive it or choose another channel.`;
    case 'missing_scope':
      return `The Slack token lacks the scope ${answer.needed ? `'${answer.needed}'` : 'this method needs'} for ${method} (missing_scope${answer.provided ? `; it has ${answer.provided}` : ''}). Add it under OAuth & Permissions → Bot Token Scopes, reinstall the app and update the secret.`;
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return `Slack refused the token (${code}): it is revoked, expired, mistyped or for another workspace. Copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page into the secret.`;
    case 'message_not_found':
      return `The message to update no longer exists in ${where} (message_not_found): it was deleted, or the ts belongs to another channel.`;
    case 'cant_update_message':
      return `Slack refused to update the message (cant_update_message): a token can only update messages it posted itself. Use the same token for every step of the run.`;
    case 'edit_window_closed':
      return 'Slack refused to update the message (edit_window_closed): the workspace limits how long messages can be edited.';
    case 'restricted_action':
    case 'posting_to_general_channel_denied':
      return `A workspace setting forbids the app to post in ${where} (${code}). Ask a Slack admin, or choose another channel.`;
    case 'msg_too_long':
    case 'invalid_blocks':
    case 'invalid_attachments':
    case 'no_text':
    case 'too_many_attachments':
      return `Slack rejected the message as malformed (${code}). Run with dry-run: true to see the payload, and report it if the toolkit built it.`;
    case 'ratelimited':
      return `Slack kept rate-limiting ${method} (ratelimited).`;
    default:
      return `Slack answered ${method} with the error '${code.replace(/[^\w.-]/g, '').slice(0, 80) || 'unknown'}'.`;
  }
}

const sleeper = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What chat.postMessage and chat.update answer when they succeed: the channel ID and the message's ts. */
export interface PostedMessage {
  channel: string;
  ts: string;
}

/**
 * Calls one chat method. 429: waits Retry-After (capped) and tries again, at most `maxAttempts`
 * in all. 5xx and lost answers: tried again for chat.update (idempotent), and for chat.postMessage
 * only with `retry5xx` (Slack may have posted it). `ok: false`: a SlackApiError saying what to do.
 * Neither the token nor any other secret appears in a message.
 */
export async function callChat(
  token: SlackToken,
  method: WebApiMethod,
  body: Record<string, unknown>,
  options: WebApiOptions,
): Promise<PostedMessage> {
  const { log } = options;
  const maxAttempts = options.maxAttempts ?? 4;
  const cap = options.maxRetryAfterMs ?? 30_000;
  const sleep = options.sleep ?? sleeper;
  const now = options.now ?? Date.now;
  const policy = options.policy ?? DEFAULT_REQUEST_POLICY;
  const deadline = startDeadline(policy);
  const url = `${options.baseUrl ?? SLACK_API_URL}/${method}`;
  const send = guardedFetch(policy, { fetch: await proxyAwareFetch(url), deadline });
  const retryLost = method === 'chat.update' || options.retry5xx === true;
  const channel = typeof body['channel'] === 'string' ? body['channel'] : '';
  const payload = JSON.stringify(body);

  for (let attempt = 1; ; attempt++) {
    const last = attempt >= maxAttempts;
    const again = `trying again in %s (attempt ${attempt + 1} of ${maxAttempts})`;
    let response: Response;
    let text: string;
    try {
      response = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token.reveal()}` },
        body: payload,
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      const reason = requestFailure(error)?.message.replace(/\.$/, '') ?? networkReason(error);
      if (deadline.signal.aborted) throw new ExternalError(`Slack ${method} failed: ${reason}.`);
      if (retryLost && !last) {
        const wait = 1000 * 2 ** (attempt - 1);
        log.info(`Slack ${method} got no answer (${reason}); ${again.replace('%s', `${wait / 1000}s`)}.`);
        await sleep(wait);
        continue;
      }
      throw new ExternalError(`Slack ${method} failed: ${reason}${retryLost ? ` after ${attempt} attempts` : NOT_RETRIED}.`);
    }

    if (response.status === 429) {
      if (last) throw new ExternalError(`Slack kept rate-limiting ${method} (HTTP 429) after ${attempt} attempts.`);
      const wait = Math.min(retryAfterMs(response.headers.get('retry-after'), now()), cap);
      log.info(`Slack rate-limited ${method} (HTTP 429); ${again.replace('%s', `${(wait / 1000).toFixed(1)}s`)}.`);
      await sleep(wait);
      continue;
    }
    if (response.status >= 500) {
      if (retryLost && !last) {
        const wait = 1000 * 2 ** (attempt - 1);
        log.info(`Slack answered ${method} with HTTP ${response.status}; ${again.replace('%s', `${wait / 1000}s`)}.`);
        await sleep(wait);
        continue;
      }
      throw new ExternalError(
        `Slack answered ${method} with HTTP ${response.status} (a problem on Slack's side)${retryLost ? ` after ${attempt} attempts` : NOT_RETRIED}.`,
      );
    }
    let answer: { ok?: unknown; error?: unknown; channel?: unknown; ts?: unknown; needed?: unknown; provided?: unknown };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new ExternalError(`Slack answered ${method} with HTTP ${response.status} and a body that is not JSON.`);
    }
    if (answer.ok === true && typeof answer.ts === 'string' && typeof answer.channel === 'string')
      return { channel: answer.channel, ts: answer.ts };
    const code = typeof answer.error === 'string' ? answer.error : answer.ok === true ? 'no_ts_in_answer' : 'unknown';
    const needed = typeof answer.needed === 'string' ? answer.needed : undefined;
    const provided = typeof answer.provided === 'string' ? answer.provided : undefined;
    throw new SlackApiError(explain(method, code, channel, { needed, provided }), code, needed);
  }
}

const NOT_RETRIED = '. Not retried: set retry-5xx: true to retry (Slack may already have posted it, so a retry can post it twice)';

function networkReason(error: unknown): string {
  const { name, cause } = (error ?? {}) as { name?: string; cause?: { code?: string } };
  if (name === 'TimeoutError' || name === 'AbortError') return 'no answer in time (timeout)';
  return cause?.code ? `network error ${cause.code}` : 'network error';
}
