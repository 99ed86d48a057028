import type { ActionContext } from '@pipeline-toolkit/core';
import { deployActionDefaults, deployFailure, deployStep, dryRunStep, type DeployActionDeps, type Outcome } from '@pipeline-toolkit/k8s';
import { createGitHub, type CiDeps } from '@pipeline-toolkit/memory-bank';
import { postToWebhook } from '@pipeline-toolkit/slack';
import { readReleaseInputs } from './inputs.ts';
import { notify, record } from './report.ts';

export interface Deps extends DeployActionDeps, Pick<CiDeps, 'github' | 'now'> {
  post: typeof postToWebhook;
}

const defaults = (): Deps => ({ ...deployActionDefaults(), post: postToWebhook, github: createGitHub });

/**
 * The one-step release: blue-green deploy (smoke gates, rollback) → Slack message → progress
 * entry in the memory bank, then the step fails if the deploy did. Every input is checked first.
 */
export async function run(ctx: ActionContext, deps: Deps = defaults()): Promise<void> {
  const request = readReleaseInputs(ctx);
  if (request.deploy.dryRun) {
    await dryRunStep(ctx, request.deploy, deps.plan, ['Dry run: no Slack message is sent and nothing is recorded.']);
    await ctx.outputs.set({ result: 'unchanged', notified: false, recorded: false });
    return;
  }

  let outcome: Outcome | undefined;
  let notStarted: unknown;
  try {
    outcome = await deployStep(ctx, request.deploy, deps);
  } catch (error) {
    notStarted = error;
  }
  const ending = { ...(outcome ? { outcome } : {}), cancelled: deps.signal.aborted };
  const notified = request.notify ? await notify(ctx, request.notify, request.deploy, ending, deps.post) : false;
  const { github, now } = deps;
  const recorded = request.record
    ? await record(ctx, request.record, ending, { ...(github ? { github } : {}), ...(now ? { now } : {}) })
    : false;
  await ctx.outputs.set({ notified, recorded, ...(outcome ? {} : { result: 'failed' }) });

  if (deps.signal.aborted) deps.exitSoon();
  if (notStarted !== undefined) throw notStarted;
  const failure = outcome && deployFailure(outcome);
  if (failure) throw failure;
}
