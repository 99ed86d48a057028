import { resolveInside, type ActionContext } from '@pipeline-toolkit/core';
import {
  LOOPBACK_SEAM,
  deliver,
  githubRunsApi,
  notificationSummary,
  postToWebhook,
  prepareNotification,
  readNotifyInputs,
  runContext,
} from '@pipeline-toolkit/slack';

export interface Deps {
  runsApi: typeof githubRunsApi;
  post: typeof postToWebhook;
}

const defaults: Deps = { runsApi: githubRunsApi, post: postToWebhook };

export async function run(ctx: ActionContext, deps: Deps = defaults): Promise<void> {
  const request = readNotifyInputs(ctx.inputs, ctx.log, { allowLoopback: ctx.env[LOOPBACK_SEAM] === 'true' });
  const context = runContext(ctx.env);
  const workspace = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();
  if (request.smokeReport)
    resolveInside(request.smokeReport, { input: 'smoke-report', label: ctx.inputs.label('smoke-report'), roots: [workspace] });
  const prepared = await prepareNotification(request, context, {
    log: ctx.log,
    runs: request.githubToken ? deps.runsApi(request.githubToken, context.apiUrl, request.request) : undefined,
    redact: (text) => ctx.log.redactor.redact(text),
    cwd: ctx.env['GITHUB_WORKSPACE'],
  });

  let sent = false;
  try {
    sent = await deliver(request, prepared, ctx.log, deps.post);
  } finally {
    await ctx.outputs.set({ sent, payload: prepared.payload ?? '', 'failed-jobs': prepared.failedJobs });
    await ctx.summary.write(notificationSummary(prepared, { dryRun: request.dryRun, sent }));
  }
}
