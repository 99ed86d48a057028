/**
 * A loopback stand-in of Slack's Web API, as far as bot-token mode uses it: chat.postMessage
 * (top-level messages and thread replies) and chat.update, with Slack's rules — Bearer token
 * authentication, JSON bodies, channels by ID or name for posting but by ID only for updates,
 * `ok: false` errors in a 200 answer, 429 with Retry-After. It keeps every channel's messages, so
 * tests read what a channel shows (the last version of each message, the replies of its thread).
 */
import { json, startServer, type LoopbackServer, type RecordedRequest } from '@pipeline-toolkit/testing';

export const BOT_TOKEN = 'xoxb-1111111111-2222222222-loopbackBotTokenAAAA';
/** A real-looking token whose app has only channels:read. */
export const NO_SCOPE_TOKEN = 'xoxb-1111111111-2222222222-noChatWriteScopeBBB';

export interface StoredMessage {
  ts: string;
  channel: string;
  text: string;
  attachments?: unknown;
  blocks?: unknown;
  /** The ts of the thread's parent, for replies. */
  threadTs?: string;
  /** How many times chat.update changed it. */
  edits: number;
}

export interface SlackApiStandIn extends LoopbackServer {
  /** Base URL to give as PIPELINE_TOOLKIT_TEST_SLACK_API_URL. */
  base: string;
  /** Channel IDs by name (posting by name works; chat.update needs the ID). */
  channels: Record<string, string>;
  /** Top-level messages of a channel, in posting order, each as it reads now. */
  messages(channel: string): StoredMessage[];
  /** Replies in a message's thread. */
  replies(channel: string, ts: string): StoredMessage[];
  /** The next `count` requests are answered 429 with this Retry-After value. */
  rateLimitNext(count: number, retryAfter: string): void;
  /** The next `count` requests are answered with this HTTP status (5xx) and no JSON. */
  failNext(count: number, status: number): void;
  /** Removes a message, as a person deleting it in Slack would. */
  remove(channel: string, ts: string): void;
  /** The chat.* calls made, as `method channel`. */
  calls(): string[];
}

/** Channels: `deploys` (C0DEPLOYS, the bot is a member), `private-ops` (C0PRIVATE, the bot is not), `archived` (C0ARCHIVE). */
export async function startSlackApi(): Promise<SlackApiStandIn> {
  const channels: Record<string, string> = { deploys: 'C0DEPLOYS', 'private-ops': 'C0PRIVATE', archived: 'C0ARCHIVE' };
  const store: StoredMessage[] = [];
  let clock = 1_765_000_000;
  let limited: { count: number; retryAfter: string } = { count: 0, retryAfter: '1' };
  let failing = { count: 0, status: 500 };
  const calls: string[] = [];
  const server = await startServer((req: RecordedRequest, res) => {
    const method = req.url.replace(/^\/api\//, '');
    if (limited.count > 0) {
      limited.count--;
      return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': limited.retryAfter });
    }
    if (failing.count > 0) {
      failing.count--;
      res.writeHead(failing.status, { 'content-type': 'text/html' });
      res.end('<html>upstream error</html>');
      return;
    }
    if (req.method !== 'POST' || !['chat.postMessage', 'chat.update'].includes(method))
      return json(res, 404, { ok: false, error: 'unknown_method' });
    const auth = req.headers.authorization;
    if (!auth) return json(res, 200, { ok: false, error: 'not_authed' });
    if (auth === `Bearer ${NO_SCOPE_TOKEN}`)
      return json(res, 200, { ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'channels:read' });
    if (auth !== `Bearer ${BOT_TOKEN}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
    if (!String(req.headers['content-type']).startsWith('application/json'))
      return json(res, 200, { ok: false, error: 'invalid_arguments' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return json(res, 200, { ok: false, error: 'invalid_json' });
    }
    const given = String(body['channel'] ?? '');
    calls.push(`${method} ${given}`);
    const id =
      method === 'chat.update'
        ? Object.values(channels).includes(given)
          ? given
          : undefined
        : (channels[given] ?? (Object.values(channels).includes(given) ? given : undefined));
    if (!id) return json(res, 200, { ok: false, error: 'channel_not_found' });
    if (id === 'C0PRIVATE') return json(res, 200, { ok: false, error: 'not_in_channel' });
    if (id === 'C0ARCHIVE') return json(res, 200, { ok: false, error: 'is_archived' });
    const text = typeof body['text'] === 'string' ? body['text'] : '';
    if (!text && !body['blocks'] && !body['attachments']) return json(res, 200, { ok: false, error: 'no_text' });
    const content = {
      text,
      ...(body['attachments'] ? { attachments: body['attachments'] } : {}),
      ...(body['blocks'] ? { blocks: body['blocks'] } : {}),
    };
    if (method === 'chat.update') {
      const message = store.find((m) => m.channel === id && m.ts === body['ts']);
      if (!message) return json(res, 200, { ok: false, error: 'message_not_found' });
      delete message.attachments;
      delete message.blocks;
      Object.assign(message, content, { edits: message.edits + 1 });
      return json(res, 200, { ok: true, channel: id, ts: message.ts, text });
    }
    const thread = typeof body['thread_ts'] === 'string' ? body['thread_ts'] : undefined;
    if (thread && !store.some((m) => m.channel === id && m.ts === thread && !m.threadTs))
      return json(res, 200, { ok: false, error: 'thread_not_found' });
    clock++;
    const message: StoredMessage = { ts: `${clock}.000100`, channel: id, ...content, edits: 0, ...(thread ? { threadTs: thread } : {}) };
    store.push(message);
    json(res, 200, { ok: true, channel: id, ts: message.ts, message: { type: 'message', text, ts: message.ts } });
  });
  return {
    ...server,
    base: `${server.url}/api`,
    channels,
    messages: (channel) => store.filter((m) => m.channel === channel && !m.threadTs),
    replies: (channel, ts) => store.filter((m) => m.channel === channel && m.threadTs === ts),
    rateLimitNext: (count, retryAfter) => {
      limited = { count, retryAfter };
    },
    failNext: (count, status) => {
      failing = { count, status };
    },
    remove: (channel, ts) => {
      const index = store.findIndex((m) => m.channel === channel && m.ts === ts);
      if (index >= 0) store.splice(index, 1);
    },
    calls: () => calls,
  };
}
