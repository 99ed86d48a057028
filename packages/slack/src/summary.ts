import { codeBlock, heading, table } from '@pipeline-toolkit/core';
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
  const rows = [
    ['Status', prepared.status],
    ['Message', state],
    ['Failed jobs', prepared.failedJobs.length ? prepared.failedJobs.map((j) => j.name).join(', ') : 'none'],
  ];
  let text = `${heading('Slack notification')}\n${table(['', ''], rows)}`;
  if (outcome.dryRun && prepared.payload) text += `\nPayload:\n\n${codeBlock(JSON.stringify(prepared.payload, null, 2), 'json')}`;
  return text;
}
