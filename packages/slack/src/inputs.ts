import { InputError, type Inputs, type Logger, requestPolicy, type RequestPolicy } from '@pipeline-toolkit/core';
import { parseMentions } from './mentions.ts';
import { LANGUAGES, STATUSES, type Language, type Status } from './model.ts';
import { parseNeeds, type NeedsResults } from './needs.ts';
import { parseWebhookUrl, type WebhookUrl } from './webhook.ts';

export const NOTIFY_ON = ['always', 'failure', 'success', 'change'] as const;
export type NotifyOn = (typeof NOTIFY_ON)[number];

/** Everything the notifier was asked to do, validated. */
export interface NotifyRequest {
  webhook?: WebhookUrl;
  status?: Status;
  needs?: NeedsResults;
  language: Language;
  title?: string;
  environmentUrl?: string;
  smokeReport?: string;
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

  const dryRun = inputs.boolean('dry-run', false);
  const status = inputs.enum('status', STATUSES);
  const needsText = inputs.raw('needs');
  const needs = needsText === undefined ? undefined : parseNeeds(needsText, inputs.label('needs'));
  if (!status && !needs) {
    throw new InputError(
      'status',
      `${inputs.label('status')} is required when ${inputs.label('needs')} is not given: one of ${STATUSES.join(', ')}.`,
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
  if (rawWebhook !== undefined) request.webhook = parseWebhookUrl(rawWebhook, inputs.label('webhook-url'), options);
  else if (!dryRun)
    throw new InputError('webhook-url', `${inputs.label('webhook-url')} is required unless ${inputs.label('dry-run')} is true.`);
  return request;
}
