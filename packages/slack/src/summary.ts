import { codeBlock, details, heading, table } from '@pipeline-toolkit/core';
import type { Prepared } from './notify.ts';

/** The job-summary section: what was (or would have been) sent, and why. Dry runs show the payload. */
export function notificationSummary(prepared: Prepared, outcome: { dryRun: boolean; sent: boolean }): string {
  const state = !prepared.due
    ? `not sent: ${prepared.reason}`
    : outcome.dryRun
      ? 'dry run: not sent'
      : outcome.sent
        ? 'sent'
        : 'not delivered';
  const failed = prepared.failedJobs.length ? prepared.failedJobs.map((j) => j.name).join(', ') : 'none';
  let text = `${heading('Slack notification')}\n${table(['Status', 'Message', 'Failed jobs'], [[prepared.status, state, failed]])}`;
  // The payload folded: one line to open it, not a page of JSON in every summary.
  if (outcome.dryRun && prepared.payload)
    text += `\n${details('Payload (Block Kit JSON)', codeBlock(JSON.stringify(prepared.payload, null, 2), 'json'))}`;
  return text;
}
