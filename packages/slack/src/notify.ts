import { ExternalError, errorMessage, redactPatterns, stripChar, type Logger, requestFailure } from '@pipeline-toolkit/core';
import type { RunRef, RunsApi } from './github.ts';
import type { NotifyOn, NotifyRequest } from './inputs.ts';
import type { FailedJob, RunContext, Status } from './model.ts';
import { failedJobsFromNeeds, statusFromNeeds } from './needs.ts';
import { renderMessage, type SlackPayload } from './render.ts';
import { readSmokeReport } from './smoke.ts';
import { FINAL_STAGES, renderDetails, renderLifecycle, type Stage, type ThreadReply } from './lifecycle.ts';
import { SlackApiError, callChat, type PostedMessage, type WebApiOptions } from './webapi.ts';
import { postToWebhook } from './webhook.ts';

export interface PrepareDeps {
  log: Logger;
  /** The GitHub API, when a token is available. */
  runs?: RunsApi;
  /** Applied to every text of the message; the logger's redactor also knows the registered secrets. */
  redact?: (text: string) => string;
  /** Where a relative smoke-report path is read from. */
  cwd?: string;
}

/** A message ready to be sent, or the reason none is due. */
export interface Prepared {
  status: Status;
  /** false when `notify-on` says this outcome is not worth a message. */
  due: boolean;
  reason: string;
  failedJobs: FailedJob[];
  payload?: SlackPayload;
  /** Bot-token mode, final stage: the details posted in the message's thread. */
  reply?: ThreadReply;
  stage?: Stage;
}

/** The notification status a lifecycle stage stands for (notify-on reads it). */
export function stageStatus(stage: Stage): Status {
  if (stage === 'cancelled') return 'cancelled';
  return stage === 'live' || !FINAL_STAGES.includes(stage) ? 'success' : 'failure';
}

/** Works out the status, whether a message is due, the failed jobs, the smoke results, and renders the message. */
export async function prepareNotification(request: NotifyRequest, run: RunContext, deps: PrepareDeps): Promise<Prepared> {
  const { log } = deps;
  const status = request.status ?? (request.needs ? statusFromNeeds(request.needs) : stageStatus(request.stage ?? 'live'));
  const fromNeeds = request.needs ? failedJobsFromNeeds(request.needs) : [];
  const ref = runRef(run);
  const api = ref && deps.runs ? { runs: deps.runs, ref } : undefined;

  const stage = request.stage;
  // An existing message is always brought up to date, and a deploy's stages before its end are
  // always posted: notify-on decides only whether an outcome starts a conversation of its own.
  const decision =
    request.token && request.messageTs
      ? { due: true, reason: 'the run has a Slack message to update' }
      : stage && !FINAL_STAGES.includes(stage)
        ? { due: true, reason: `the run reached the stage ${stage}` }
        : await decide(request.notifyOn, status, api, log);
  if (!decision.due) return { status, due: false, reason: decision.reason, failedJobs: fromNeeds, ...(stage ? { stage } : {}) };

  const failedJobs = status === 'success' ? fromNeeds : await listFailedJobs(fromNeeds, api, log);
  const smoke = request.smokeReport ? await readSmokeReport(resolvePath(request.smokeReport, deps.cwd), log) : undefined;
  const redact = deps.redact ?? redactPatterns;
  const message = {
    status,
    language: request.language,
    title: request.title,
    environmentUrl: request.environmentUrl,
    run,
    failedJobs,
    smoke,
    ...(request.security ? { security: request.security } : {}),
    mentions: request.mentions,
  };
  if (!stage) return { status, due: true, reason: decision.reason, failedJobs, payload: renderMessage(message, redact) };

  const reviewers = stage === 'awaiting-approval' ? await readReviewers(request.environment, api, log) : undefined;
  const lifecycle = {
    ...message,
    stage,
    approval: { ...(request.environment ? { environment: request.environment } : {}), ...(reviewers ? { reviewers } : {}) },
    ...(request.reason ? { reason: request.reason } : {}),
  };
  const payload = renderLifecycle(lifecycle, redact, { viaWebhook: !request.token });
  const reply = request.token ? renderDetails(lifecycle, redact) : undefined;
  return { status, due: true, reason: decision.reason, failedJobs, payload, stage, ...(reply ? { reply } : {}) };
}

/**
 * The environment's required reviewers from the GitHub API; undefined (the message then says
 * "the environment's reviewers") when there is no token, no environment, or the API refuses.
 */
async function readReviewers(
  environment: string | undefined,
  api: { runs: RunsApi; ref: RunRef } | undefined,
  log: Logger,
): Promise<string[] | undefined> {
  if (!environment || !api?.runs.requiredReviewers) return undefined;
  try {
    const reviewers = await api.runs.requiredReviewers(api.ref, environment);
    if (!reviewers.length)
      log.info(`The environment '${environment}' names no required reviewers; the message says "the environment's reviewers".`);
    return reviewers;
  } catch (error) {
    const hint = requestFailure(error) ? '' : " (reading an environment needs 'permissions: actions: read')";
    log.info(
      `Could not read the reviewers of the environment '${environment}' (${errorMessage(requestFailure(error) ?? error)})${hint}; the message says "the environment's reviewers".`,
    );
    return undefined;
  }
}

/**
 * Sends a prepared message unless it is not due or this is a dry run; returns whether Slack
 * accepted it. With `fail-on-error: false`, a delivery failure becomes a warning.
 */
export async function deliver(
  request: NotifyRequest,
  prepared: Prepared,
  log: Logger,
  post: typeof postToWebhook = postToWebhook,
): Promise<boolean> {
  if (!prepared.due) {
    log.info(`No Slack message: ${prepared.reason}.`);
    return false;
  }
  if (request.dryRun || !prepared.payload || !request.webhook) {
    log.info('Dry run: the message was built but not sent.');
    return false;
  }
  try {
    const attempts = await post(request.webhook, prepared.payload, {
      retry5xx: request.retry5xx,
      log,
      ...(request.request ? { policy: request.request } : {}),
    });
    log.info(`Slack message sent (${prepared.status}${attempts > 1 ? `, after ${attempts} attempts` : ''}).`);
    return true;
  } catch (error) {
    if (request.failOnError || !(error instanceof ExternalError)) throw error;
    log.warning(`${errorMessage(error)} (fail-on-error is false, so this still succeeds.)`);
    return false;
  }
}

/** Where a message went in bot-token mode, and whether it is a new one. */
export interface Delivered {
  sent: boolean;
  /** The message's channel ID and ts (the one updated, or the new one); the given ones when nothing was sent. */
  channel?: string;
  ts?: string;
  /** chat.update found no message to update (message_not_found), so a new one was posted. */
  reposted?: boolean;
  /** The thread reply's ts, when details were posted. */
  replyTs?: string;
}

/**
 * Bot-token mode: updates the run's message when `message-ts` is given (a message that no longer
 * exists is posted anew, with a warning saying so), else posts it (in `thread-ts`'s thread when
 * given); then posts the details of a final stage in the message's thread.
 */
export async function deliverWebApi(
  request: NotifyRequest,
  prepared: Prepared,
  log: Logger,
  options: Omit<WebApiOptions, 'log'> = {},
  chat: typeof callChat = callChat,
): Promise<Delivered> {
  const kept: Delivered = {
    sent: false,
    ...(request.channel ? { channel: request.channel } : {}),
    ...(request.messageTs ? { ts: request.messageTs } : {}),
  };
  if (!prepared.due) {
    log.info(`No Slack message: ${prepared.reason}.`);
    return kept;
  }
  if (request.dryRun || !prepared.payload || !request.token || !request.channel) {
    log.info('Dry run: the message was built but not sent.');
    return kept;
  }
  const token = request.token;
  const settings: WebApiOptions = {
    log,
    retry5xx: request.retry5xx,
    ...(request.request ? { policy: request.request } : {}),
    ...options,
  };
  const content = { text: prepared.payload.text, attachments: prepared.payload.attachments };
  const post = (extra: Record<string, unknown>) =>
    chat(token, 'chat.postMessage', { channel: request.channel, ...content, unfurl_links: false, unfurl_media: false, ...extra }, settings);
  try {
    let message: PostedMessage;
    let reposted = false;
    if (request.messageTs) {
      try {
        message = await chat(token, 'chat.update', { channel: request.channel, ts: request.messageTs, ...content }, settings);
        log.info(`Slack message ${message.ts} updated${prepared.stage ? ` (stage ${prepared.stage})` : ''}.`);
      } catch (error) {
        if (!(error instanceof SlackApiError) || error.code !== 'message_not_found') throw error;
        log.warning(`${error.message} Posted a new message instead; later steps update the new one (output message-ts).`);
        message = await post({});
        reposted = true;
      }
    } else {
      message = await post(request.threadTs ? { thread_ts: request.threadTs } : {});
      log.info(`Slack message ${message.ts} posted in ${message.channel}${prepared.stage ? ` (stage ${prepared.stage})` : ''}.`);
    }
    const delivered: Delivered = { sent: true, channel: message.channel, ts: message.ts, reposted };
    if (prepared.reply) {
      const reply = await chat(
        token,
        'chat.postMessage',
        {
          channel: message.channel,
          thread_ts: message.ts,
          text: prepared.reply.text,
          blocks: prepared.reply.blocks,
          unfurl_links: false,
          unfurl_media: false,
        },
        settings,
      );
      delivered.replyTs = reply.ts;
      log.info(`Details posted in the message's thread (${reply.ts}).`);
    }
    return delivered;
  } catch (error) {
    if (request.failOnError || !(error instanceof ExternalError)) throw error;
    log.warning(`${errorMessage(error)} (fail-on-error is false, so this still succeeds.)`);
    return kept;
  }
}

/** Whether `notify-on` wants a message for this outcome. When the API cannot tell, a message is sent: a missed alert costs more than an extra one. */
export async function decide(
  notifyOn: NotifyOn,
  status: Status,
  api: { runs: RunsApi; ref: RunRef } | undefined,
  log: Logger,
): Promise<{ due: boolean; reason: string }> {
  switch (notifyOn) {
    case 'always':
      return { due: true, reason: 'notify-on is always' };
    case 'failure':
    case 'success':
      return { due: status === notifyOn, reason: `notify-on is ${notifyOn} and the status is ${status}` };
    case 'change': {
      if (!api) {
        log.warning(
          'notify-on: change needs github-token and the run context (GITHUB_REPOSITORY, GITHUB_RUN_ID); sending the message anyway.',
        );
        return { due: true, reason: 'the previous run could not be looked up' };
      }
      let previous: Status | undefined;
      try {
        previous = await api.runs.previousOutcome(api.ref);
      } catch (error) {
        log.warning(
          `Could not read the previous run from the GitHub API (${errorMessage(requestFailure(error) ?? error)}); sending the message anyway.`,
        );
        return { due: true, reason: 'the previous run could not be looked up' };
      }
      if (previous === undefined) return { due: true, reason: 'there is no previous completed run on this branch' };
      return { due: previous !== status, reason: `the previous run's outcome was ${previous} and this one is ${status}` };
    }
  }
}

/**
 * The run's failed jobs from the GitHub API (matrix legs and steps included); the jobs named by
 * `needs` when the API is not available or found none (for example jobs of an earlier attempt).
 */
async function listFailedJobs(fromNeeds: FailedJob[], api: { runs: RunsApi; ref: RunRef } | undefined, log: Logger): Promise<FailedJob[]> {
  if (!api) return fromNeeds;
  try {
    const jobs = await api.runs.failedJobs(api.ref);
    return jobs.length ? jobs : fromNeeds;
  } catch (error) {
    // A timeout is not a permission problem: say only what happened.
    const hint = requestFailure(error) ? '' : " the job needs 'permissions: actions: read'.";
    log.warning(
      `Could not list the run's jobs from the GitHub API (${errorMessage(requestFailure(error) ?? error)});${hint} ${fromNeeds.length ? 'Naming the failed jobs from needs instead.' : ''}`.trim(),
    );
    return fromNeeds;
  }
}

export function runRef(run: RunContext): RunRef | undefined {
  const [owner, repo, extra] = run.repository?.split('/') ?? [];
  const runId = Number(run.runId);
  if (!owner || !repo || extra !== undefined || !Number.isSafeInteger(runId) || runId <= 0) return undefined;
  const attempt = Number(run.runAttempt ?? '1');
  return { owner, repo, runId, attempt: Number.isSafeInteger(attempt) && attempt > 0 ? attempt : 1 };
}

function resolvePath(file: string, cwd: string | undefined): string {
  return cwd && !file.startsWith('/') ? `${stripChar(cwd, '/', 'end')}/${file}` : file;
}
