import { ExternalError, errorMessage, redactPatterns, stripChar, type Logger, requestFailure } from '@pipeline-toolkit/core';
import type { RunRef, RunsApi } from './github.ts';
import type { NotifyOn, NotifyRequest } from './inputs.ts';
import type { FailedJob, RunContext, Status } from './model.ts';
import { failedJobsFromNeeds, statusFromNeeds } from './needs.ts';
import { renderMessage, type SlackPayload } from './render.ts';
import { readSmokeReport } from './smoke.ts';
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
}

/** Works out the status, whether a message is due, the failed jobs, the smoke results, and renders the message. */
export async function prepareNotification(request: NotifyRequest, run: RunContext, deps: PrepareDeps): Promise<Prepared> {
  const { log } = deps;
  const status = request.status ?? statusFromNeeds(request.needs ?? {});
  const fromNeeds = request.needs ? failedJobsFromNeeds(request.needs) : [];
  const ref = runRef(run);
  const api = ref && deps.runs ? { runs: deps.runs, ref } : undefined;

  const decision = await decide(request.notifyOn, status, api, log);
  if (!decision.due) return { status, due: false, reason: decision.reason, failedJobs: fromNeeds };

  const failedJobs = status === 'success' ? fromNeeds : await listFailedJobs(fromNeeds, api, log);
  const smoke = request.smokeReport ? await readSmokeReport(resolvePath(request.smokeReport, deps.cwd), log) : undefined;
  const payload = renderMessage(
    {
      status,
      language: request.language,
      title: request.title,
      environmentUrl: request.environmentUrl,
      run,
      failedJobs,
      smoke,
      mentions: request.mentions,
    },
    deps.redact ?? redactPatterns,
  );
  return { status, due: true, reason: decision.reason, failedJobs, payload };
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
