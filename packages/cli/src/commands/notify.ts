import { Inputs } from '@pipeline-toolkit/core';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  LOOPBACK_SEAM,
  previewHtml,
  previewText,
  deliver,
  deliverWebApi,
  githubRunsApi,
  slackApiBase,
  prepareNotification,
  readNotifyInputs,
  runContext,
} from '@pipeline-toolkit/slack';
import type { Command } from '../command.ts';
import { gitRunEnv } from '../git.ts';

/** Flags that may also come from the environment, so that secrets need not be typed on a command line. */
const FROM_ENV: Record<string, string> = {
  'webhook-url': 'SLACK_WEBHOOK',
  'slack-token': 'SLACK_BOT_TOKEN',
  'github-token': 'GITHUB_TOKEN',
};

export const notify: Command = {
  name: 'notify',
  summary: 'Build and send the Slack pipeline message (the slack-notify action)',
  usage: "pipeline-toolkit notify --status <success|failure|cancelled> [--needs '<json>'] [--dry-run] [flags]",
  flags: [
    {
      name: 'webhook-url',
      type: 'string',
      description: 'Slack incoming-webhook URL (default: $SLACK_WEBHOOK); not needed with --dry-run',
    },
    {
      name: 'slack-token',
      type: 'string',
      description: 'Slack bot token (default: $SLACK_BOT_TOKEN) instead of a webhook: the message can be updated and threaded',
    },
    { name: 'channel', type: 'string', description: 'With --slack-token: channel ID (C…) or name' },
    { name: 'message-ts', type: 'string', description: 'With --slack-token: ts of the message to update in place' },
    { name: 'thread-ts', type: 'string', description: 'With --slack-token: post as a reply in this thread' },
    {
      name: 'stage',
      type: 'string',
      description:
        'Deploy lifecycle stage: started | awaiting-approval | deploying | live | rolled-back | rejected | checks-failed | deploy-failed | rollback-failed | cancelled',
    },
    { name: 'environment', type: 'string', description: 'Deployment environment named in the approval line' },
    { name: 'reason', type: 'string', description: 'Why the run ended so, for the thread reply of a final stage' },
    { name: 'status', type: 'string', description: 'success | failure | cancelled (default: derived from --needs or --stage)' },
    { name: 'needs', type: 'string', description: 'JSON of toJSON(needs): jobs with result failure/cancelled are named as failed' },
    { name: 'language', type: 'string', description: 'en | pt-BR (default en)' },
    { name: 'title', type: 'string', description: 'Header of the message instead of the default headline' },
    { name: 'environment-url', type: 'string', description: 'Address of the deployed environment to link' },
    { name: 'smoke-report', type: 'string', description: 'Path of the smoke-test JSON result (may be absent)' },
    { name: 'security-new', type: 'string', description: "The security scan's new findings: the message shows the scan's counts" },
    { name: 'security-fixed', type: 'string', description: "The security scan's fixed findings (with --security-new)" },
    { name: 'security-unchanged', type: 'string', description: "The security scan's unchanged findings (with --security-new)" },
    {
      name: 'security-baseline',
      type: 'string',
      description: 'true when the counts were made against a baseline, false when there was none (required with --security-new)',
    },
    {
      name: 'mention-on-failure',
      type: 'string',
      description: 'here, channel, user IDs (U…) or user-group IDs (S…) to mention on failure',
    },
    {
      name: 'github-token',
      type: 'string',
      description: "Token to list the run's failed jobs (default: $GITHUB_TOKEN; used inside a workflow run)",
    },
    { name: 'retry-5xx', type: 'string', description: 'true to retry 5xx answers and timeouts (may post twice; default false)' },
    {
      name: 'dry-run',
      type: 'boolean',
      description: 'Print the message instead of sending it: as text on a terminal, as the payload JSON when piped or with --json',
    },
    { name: 'json', type: 'boolean', description: 'With --dry-run: print the payload JSON on a terminal too' },
    {
      name: 'preview',
      type: 'string',
      description: 'Also write the message as an HTML page here (open it in a browser); with --dry-run nothing is sent',
    },
    { name: 'fail-on-error', type: 'string', description: 'false to turn delivery failures into a warning (default true)' },
    { name: 'notify-on', type: 'string', description: 'always | failure | success | change (default always)' },
  ],
  async run({ inputs, io }) {
    const env = (name: string) => (FROM_ENV[name] ? io.env[FROM_ENV[name]]?.trim() || undefined : undefined);
    const flags = new Inputs(
      (name) => inputs.raw(name) ?? env(name),
      (name) => `--${name}`,
    );
    const allowLoopback = io.env[LOOPBACK_SEAM] === 'true';
    const request = readNotifyInputs(flags, io.log, { allowLoopback });
    // Run from a checkout (not in Actions): the repository, branch and commit come from git.
    const context = runContext(await gitRunEnv(io.env, io.cwd));
    const prepared = await prepareNotification(request, context, {
      log: io.log,
      runs: request.githubToken ? githubRunsApi(request.githubToken, context.apiUrl) : undefined,
      redact: (text) => io.log.redactor.redact(text),
      cwd: io.cwd,
    });
    const preview = inputs.string('preview');
    if (preview && prepared.payload) {
      const file = path.resolve(io.cwd, preview);
      await writeFile(file, io.log.redactor.redact(previewHtml(prepared.payload as Parameters<typeof previewHtml>[0])));
      io.log.info(`Preview: ${file}`);
    }
    if (request.dryRun) {
      if (!prepared.payload) io.log.info(`No Slack message: ${prepared.reason}.`);
      else if (io.terminal && !inputs.boolean('json', false)) {
        io.out(io.log.redactor.redact(previewText(prepared.payload as Parameters<typeof previewText>[0])));
        io.log.info('Nothing sent. The payload JSON: add --json (or pipe the output); the message as a page: --preview message.html');
      } else io.out(io.log.redactor.redact(JSON.stringify(prepared.payload, null, 2)));
      return 0;
    }
    if (request.token) {
      const delivered = await deliverWebApi(request, prepared, io.log, { baseUrl: slackApiBase(io.env, allowLoopback) });
      if (delivered.sent) io.out(`message-ts=${delivered.ts ?? ''}\nchannel-id=${delivered.channel ?? ''}`);
      return 0;
    }
    await deliver(request, prepared, io.log);
    return 0;
  },
};
