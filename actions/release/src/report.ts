import { errorMessage, type ActionContext } from '@pipeline-toolkit/core';
import type { DeployOptions, Outcome } from '@pipeline-toolkit/k8s';
import { ciSummary, runCi, runContext as bankRunContext, type CiDeps, type CiRequest } from '@pipeline-toolkit/memory-bank';
import { deliver, prepareNotification, runContext, type NotifyRequest, type postToWebhook, type Status } from '@pipeline-toolkit/slack';

/**
 * What happens after the deploy, whatever its outcome: the Slack message and the progress entry.
 * Neither may hide the deploy's result, so each failure is a warning and the functions never throw.
 */

/** How the deploy ended, for the message and the record. Undefined outcome: it could not start. */
export interface Ending {
  outcome?: Outcome;
  cancelled: boolean;
}

function status({ outcome, cancelled }: Ending): Status {
  if (cancelled) return 'cancelled';
  return outcome && !outcome.error ? 'success' : 'failure';
}

const httpUrl = (url: string | undefined) => (url && /^https?:\/\/\S+$/.test(url) ? url : undefined);

/** Sends the green/red message naming the outcome and the environment URL; returns whether Slack accepted it. */
export async function notify(
  ctx: ActionContext,
  request: NotifyRequest,
  deploy: DeployOptions,
  ending: Ending,
  post: typeof postToWebhook,
): Promise<boolean> {
  const { release, namespace } = deploy.spec;
  const message: NotifyRequest = {
    ...request,
    status: status(ending),
    title: `${release} in ${namespace}: ${ending.outcome?.result ?? 'failed'}`,
    environmentUrl: httpUrl(ending.outcome?.url),
  };
  try {
    const prepared = await prepareNotification(message, runContext(ctx.env), {
      log: ctx.log,
      redact: (text) => ctx.log.redactor.redact(text),
    });
    return await deliver(message, prepared, ctx.log, post);
  } catch (error) {
    ctx.log.warning(`The Slack message was not sent: ${errorMessage(error)}`);
    return false;
  }
}

/** Records the deploy in the memory bank's progress (files, commit or pull request); returns whether that worked. */
export async function record(ctx: ActionContext, request: CiRequest, ending: Ending, deps: Omit<CiDeps, 'log'>): Promise<boolean> {
  const deployUrl = httpUrl(ending.outcome?.url);
  const entry: CiRequest = { ...request, result: status(ending), ...(deployUrl ? { deployUrl } : {}) };
  try {
    const result = await runCi(entry, bankRunContext(ctx.env), { ...deps, log: ctx.log });
    ctx.log.info(result.changed ? `Recorded the deploy in ${result.files.join(', ')}.` : 'The deploy was already recorded.');
    await ctx.summary.write(ciSummary(result));
    return true;
  } catch (error) {
    ctx.log.warning(`The deploy was not recorded in the memory bank: ${errorMessage(error)}`);
    return false;
  }
}
