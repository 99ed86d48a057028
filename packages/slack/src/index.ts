export {
  STATUSES,
  LANGUAGES,
  runContext,
  type Status,
  type Language,
  type FailedJob,
  type SmokeSummary,
  type RunContext,
  type Message,
} from './model.ts';
export { parseNeeds, statusFromNeeds, failedJobsFromNeeds, type NeedsResults } from './needs.ts';
export { escapeSlack, neutraliseMentions, safeText, slackLink, truncate, fitLines } from './text.ts';
export { wording, type Wording } from './i18n.ts';
export { renderMessage, LIMITS, COLORS, type SlackPayload, type Block } from './render.ts';
export { readSmokeReport, summariseSmoke } from './smoke.ts';
export {
  WebhookUrl,
  LOOPBACK_SEAM,
  parseWebhookUrl,
  postToWebhook,
  retryAfterMs,
  slackErrorMessage,
  type DeliveryOptions,
} from './webhook.ts';
export { githubRunsApi, failedJobsOf, outcomeOf, type RunsApi, type RunRef } from './github.ts';
export { parseMentions } from './mentions.ts';
export { readNotifyInputs, NOTIFY_ON, type NotifyOn, type NotifyRequest } from './inputs.ts';
export { prepareNotification, deliver, decide, runRef, type Prepared, type PrepareDeps } from './notify.ts';
export { notificationSummary } from './summary.ts';
export { previewHtml, previewText, mrkdwnToHtml, mrkdwnToText } from './preview.ts';
