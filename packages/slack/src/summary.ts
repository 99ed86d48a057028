import { codeBlock, details, heading, table } from '@pipeline-toolkit/core';
import type { Prepared } from './notify.ts';

/** The job-summary section: what was (or would have been) sent, and why. Dry runs show the payload. */
export function notificationSummary(
  prepared: Prepared,
  outcome: { dryRun: boolean; sent: boolean; message?: { channel?: string; ts?: string; reposted?: boolean; replyTs?: string } },
): string {
  const state = !prepared.due
    ? `not sent: ${prepared.reason}`
    : outcome.dryRun
      ? 'dry run: not sent'
      : outcome.sent
        ? 'sent'
        : 'not delivered';
  const failed = prepared.failedJobs.length ? prepared.failedJobs.map((j) => j.name).join(', ') : 'none';
  let text = `${heading('Slack notification')}\n${table(['Status', 'Message', 'Failed jobs'], [[prepared.status, state, failed]])}`;
  // Bot-token mode: which message the run's later steps update, and what happened to it.
  const { message } = outcome;
  if (prepared.stage || message?.ts) {
    const what = message?.reposted ? 'posted anew (the message to update was gone)' : message?.ts ? 'this message' : 'none';
    const shown = message?.ts ? `${message.ts} in ${message.channel ?? '?'}: ${what}` : what;
    text += `\n${table(['Stage', 'Slack message', 'Thread reply'], [[prepared.stage ?? '(final message)', shown, message?.replyTs ?? 'none']])}`;
  }
  // The payload folded: one line to open it, not a page of JSON in every summary.
  if (outcome.dryRun && prepared.payload)
    text += `\n${details('Payload (Block Kit JSON)', codeBlock(JSON.stringify(prepared.payload, null, 2), 'json'))}`;
  return text;
}
