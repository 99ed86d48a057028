import { InputError, type Inputs, type Logger, requestPolicy, type RequestPolicy } from '@pipeline-toolkit/core';
import { parseMentions } from './mentions.ts';
import { LANGUAGES, STATUSES, type Language, type SecuritySummary, type Status } from './model.ts';
import { parseNeeds, type NeedsResults } from './needs.ts';
import { STAGES, type Stage } from './lifecycle.ts';
import { parseSlackToken, type SlackToken } from './webapi.ts';
import { parseWebhookUrl, type WebhookUrl } from './webhook.ts';

export const NOTIFY_ON = ['always', 'failure', 'success', 'change'] as const;
export type NotifyOn = (typeof NOTIFY_ON)[number];

/** Everything the notifier was asked to do, validated. */
export interface NotifyRequest {
  webhook?: WebhookUrl;
  /** Bot-token mode: the Web API token, the channel, and the message to update or thread to post in. */
  token?: SlackToken;
  channel?: string;
  messageTs?: string;
  threadTs?: string;
  /** The deploy's lifecycle stage: renders the lifecycle message instead of the final one. */
  stage?: Stage;
  /** The deployment environment the approval is asked in. */
  environment?: string;
  /** Why the run ended as it did, for the thread reply. */
  reason?: string;
  status?: Status;
  needs?: NeedsResults;
  language: Language;
  title?: string;
  environmentUrl?: string;
  smokeReport?: string;
  /** The security scan's counts (security-new, security-fixed, security-unchanged, security-baseline). */
  security?: SecuritySummary;
  mentions: string[];
  githubToken?: string;
  retry5xx: boolean;
  dryRun: boolean;
  failOnError: boolean;
  notifyOn: NotifyOn;
  /** request-timeout and request-deadline, for the webhook and the GitHub API. */
  request?: RequestPolicy;
}

/**
 * Reads and validates the inputs (action inputs or CLI flags, same names). The webhook URL and
 * the token are registered as secrets before anything else is read, so that no later message —
 * not even a validation error — can show them.
 */
export function readNotifyInputs(inputs: Inputs, log: Logger, options: { allowLoopback?: boolean } = {}): NotifyRequest {
  const rawWebhook = inputs.raw('webhook-url');
  log.setSecret(rawWebhook);
  const githubToken = inputs.raw('github-token');
  log.setSecret(githubToken);
  const rawToken = inputs.raw('slack-token');
  log.setSecret(rawToken);

  const dryRun = inputs.boolean('dry-run', false);
  const status = inputs.enum('status', STATUSES);
  const needsText = inputs.raw('needs');
  const needs = needsText === undefined ? undefined : parseNeeds(needsText, inputs.label('needs'));
  const stage = inputs.enum('stage', STAGES);
  if (!status && !needs && !stage) {
    throw new InputError(
      'status',
      `${inputs.label('status')} is required when neither ${inputs.label('needs')} nor ${inputs.label('stage')} is given: one of ${STATUSES.join(', ')}.`,
    );
  }
  const environmentUrl = inputs.string('environment-url');
  if (environmentUrl !== undefined && !/^https?:\/\/[^\s/]+/i.test(environmentUrl)) {
    throw new InputError('environment-url', `${inputs.label('environment-url')} must be an http(s) URL, got '${environmentUrl}'.`);
  }
  const request: NotifyRequest = {
    status,
    needs,
    language: inputs.enum('language', LANGUAGES, { default: 'en' }),
    title: inputs.string('title'),
    environmentUrl,
    smokeReport: inputs.string('smoke-report'),
    mentions: parseMentions(inputs.list('mention-on-failure', { separator: /[,\s]+/ }), inputs.label('mention-on-failure')),
    githubToken,
    retry5xx: inputs.boolean('retry-5xx', false),
    dryRun,
    failOnError: inputs.boolean('fail-on-error', true),
    notifyOn: inputs.enum('notify-on', NOTIFY_ON, { default: 'always' }),
    request: requestPolicy(inputs),
  };
  if (stage) request.stage = stage;
  const security = readSecurity(inputs);
  if (security) request.security = security;
  const environment = inputs.string('environment');
  if (environment !== undefined) request.environment = environment;
  const reason = inputs.string('reason');
  if (reason !== undefined) request.reason = reason;
  if (rawToken !== undefined) {
    request.token = parseSlackToken(rawToken, inputs.label('slack-token'));
    Object.assign(request, readTarget(inputs));
    if (rawWebhook !== undefined)
      log.info(
        `${inputs.label('slack-token')} is given, so the message goes through Slack's Web API; ${inputs.label('webhook-url')} is not used.`,
      );
  } else {
    for (const name of ['channel', 'message-ts', 'thread-ts'])
      if (inputs.raw(name) !== undefined)
        throw new InputError(
          name,
          `${inputs.label(name)} needs ${inputs.label('slack-token')} (a webhook posts to its own channel and cannot update or thread).`,
        );
    if (rawWebhook !== undefined) request.webhook = parseWebhookUrl(rawWebhook, inputs.label('webhook-url'), options);
    else if (!dryRun)
      throw new InputError(
        'webhook-url',
        `${inputs.label('webhook-url')} (or ${inputs.label('slack-token')} with ${inputs.label('channel')}) is required unless ${inputs.label('dry-run')} is true.`,
      );
  }
  return request;
}

/** Counts go up to this (the scan's outputs are counts of findings). */
const MAX_COUNT = 10_000_000;

/**
 * The security scan's counts: shown when security-new is given (the scan ran). security-baseline
 * says whether they were counted against a baseline; without one, fixed and unchanged mean nothing
 * and the message says so instead of showing "0 new".
 */
function readSecurity(inputs: Inputs): SecuritySummary | undefined {
  const count = (name: string, required: boolean) =>
    inputs.integer(name, { min: 0, max: MAX_COUNT, ...(required ? { required: true } : { default: 0 }) })!;
  const found = inputs.string('security-new');
  if (found === undefined) {
    for (const name of ['security-fixed', 'security-unchanged'])
      if (inputs.raw(name) !== undefined)
        throw new InputError(name, `${inputs.label(name)} needs ${inputs.label('security-new')} (the counts of one scan go together).`);
    return undefined;
  }
  if (inputs.raw('security-baseline') === undefined)
    throw new InputError(
      'security-baseline',
      `${inputs.label('security-baseline')} is required with ${inputs.label('security-new')}: true when the counts were made against a baseline (the scan's baseline output is not empty), false when not.`,
    );
  const baseline = inputs.boolean('security-baseline', false);
  return {
    new: count('security-new', true),
    fixed: count('security-fixed', baseline),
    unchanged: count('security-unchanged', baseline),
    baseline,
  };
}

/** A Slack message timestamp as the Web API gives it: seconds, a dot, microseconds. */
const TS = /^\d{9,11}\.\d{6}$/;
/** A conversation ID (public C…, private G…, direct D…), the only form chat.update accepts. */
const CHANNEL_ID = /^[CDG][A-Z0-9]{6,}$/;

/** channel, message-ts and thread-ts of bot-token mode. */
function readTarget(inputs: Inputs): Pick<NotifyRequest, 'channel' | 'messageTs' | 'threadTs'> {
  const raw = inputs.string('channel', { required: true }).replace(/^#/, '');
  if (!CHANNEL_ID.test(raw) && !/^[a-z0-9][a-z0-9_.-]{0,79}$/.test(raw)) {
    throw new InputError(
      'channel',
      `${inputs.label('channel')} must be a channel ID (C…, G… or D…) or a channel name (lower-case letters, digits, -, _ and .), got '${raw.slice(0, 100)}'.`,
    );
  }
  const target: Pick<NotifyRequest, 'channel' | 'messageTs' | 'threadTs'> = { channel: raw };
  for (const [name, key] of [
    ['message-ts', 'messageTs'],
    ['thread-ts', 'threadTs'],
  ] as const) {
    const value = inputs.string(name);
    if (value === undefined) continue;
    if (!TS.test(value))
      throw new InputError(
        name,
        `${inputs.label(name)} must be a Slack message timestamp such as 1712345678.123456, got '${value.slice(0, 100)}'.`,
      );
    target[key] = value;
  }
  if (target.messageTs && target.threadTs)
    throw new InputError(
      'thread-ts',
      `Give ${inputs.label('message-ts')} (update that message) or ${inputs.label('thread-ts')} (reply in that thread), not both.`,
    );
  if (target.messageTs && !CHANNEL_ID.test(raw)) {
    throw new InputError(
      'channel',
      `${inputs.label('channel')} must be the channel ID (C…) to update a message (chat.update does not take names); the channel-id output of the step that posted the message gives it.`,
    );
  }
  return target;
}
