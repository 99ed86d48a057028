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
export { githubRunsApi, failedJobsOf, outcomeOf, reviewersOf, type RunsApi, type RunRef } from './github.ts';
export { parseMentions } from './mentions.ts';
export { readNotifyInputs, NOTIFY_ON, type NotifyOn, type NotifyRequest } from './inputs.ts';
export {
  prepareNotification,
  deliver,
  deliverWebApi,
  decide,
  runRef,
  stageStatus,
  type Delivered,
  type Prepared,
  type PrepareDeps,
} from './notify.ts';
export { notificationSummary } from './summary.ts';
export { previewHtml, previewText, mrkdwnToHtml, mrkdwnToText } from './preview.ts';
export {
  STAGES,
  FINAL_STAGES,
  ICONS,
  STAGE_COLORS,
  renderLifecycle,
  renderDetails,
  stepStates,
  runUrl,
  type Stage,
  type StepState,
  type LifecycleMessage,
  type ThreadReply,
} from './lifecycle.ts';
export {
  SlackToken,
  SlackApiError,
  SLACK_API_URL,
  SLACK_API_SEAM,
  callChat,
  parseSlackToken,
  slackApiBase,
  type PostedMessage,
  type WebApiOptions,
} from './webapi.ts';
