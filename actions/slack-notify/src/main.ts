import { resolveInside, type ActionContext } from '@pipeline-toolkit/core';
import {
  LOOPBACK_SEAM,
  callChat,
  deliver,
  deliverWebApi,
  githubRunsApi,
  notificationSummary,
  postToWebhook,
  prepareNotification,
  readNotifyInputs,
  runContext,
  slackApiBase,
} from '@pipeline-toolkit/slack';

export interface Deps {
  runsApi: typeof githubRunsApi;
  post: typeof postToWebhook;
  chat: typeof callChat;
}

const defaults: Deps = { runsApi: githubRunsApi, post: postToWebhook, chat: callChat };

export async function run(ctx: ActionContext, deps: Deps = defaults): Promise<void> {
  const allowLoopback = ctx.env[LOOPBACK_SEAM] === 'true';
  const request = readNotifyInputs(ctx.inputs, ctx.log, { allowLoopback });
  const baseUrl = slackApiBase(ctx.env, allowLoopback);
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
  let where: { channel?: string; ts?: string; reposted?: boolean; replyTs?: string } = {
    channel: request.channel,
    ts: request.messageTs,
  };
  try {
    if (request.token) {
      const delivered = await deliverWebApi(request, prepared, ctx.log, { baseUrl }, deps.chat);
      sent = delivered.sent;
      where = delivered;
    } else sent = await deliver(request, prepared, ctx.log, deps.post);
  } finally {
    await ctx.outputs.set({
      sent,
      payload: prepared.payload ?? '',
      'failed-jobs': prepared.failedJobs,
      'message-ts': where.ts ?? '',
      'channel-id': where.channel ?? '',
    });
    await ctx.summary.write(notificationSummary(prepared, { dryRun: request.dryRun, sent, message: where }));
  }
}
