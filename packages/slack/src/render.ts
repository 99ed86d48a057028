import { redactPatterns } from '@pipeline-toolkit/core';
import { wording, type Wording } from './i18n.ts';
import type { FailedJob, Message, SecuritySummary, SmokeSummary, Status } from './model.ts';
import { fitLines, safeText, slackLink, truncate } from './text.ts';

/** Block Kit limits (https://api.slack.com/reference/block-kit/blocks). */
export const LIMITS = {
  header: 150,
  sectionText: 3000,
  fieldText: 2000,
  contextText: 2000,
  /** Slack truncates a message `text` over 40 000 characters; a notification fallback stays far shorter. */
  fallbackText: 3000,
  /** One list line (a job with its step); long names are cut so that others still fit. */
  line: 400,
} as const;

export const COLORS: Record<Status, string> = { success: '#2EB67D', failure: '#E01E5A', cancelled: '#9E9E9E' };

interface Text {
  type: 'plain_text' | 'mrkdwn';
  text: string;
}
export type Block =
  | { type: 'header'; text: Text }
  | { type: 'section'; text?: Text; fields?: Text[] }
  | { type: 'context'; elements: Text[] };

/** What is posted to the webhook: the coloured bar needs an attachment; `text` is the notification fallback. */
export interface SlackPayload {
  text: string;
  attachments: [{ color: string; fallback: string; blocks: Block[] }];
}

const mrkdwn = (text: string): Text => ({ type: 'mrkdwn', text });

/**
 * Renders a message as Block Kit. Every outside string, link addresses included, goes through
 * `redact` (registered secrets and secret-like patterns) where it enters the message (a second
 * pass over finished markup could eat link syntax next to a `***`), is escaped and has its mentions neutralised; every text respects
 * Slack's limits and shows a visible marker where something had to be cut. The layout is fixed
 * (at most six blocks, at most five fields), far inside the 50-block and 10-field limits; long
 * lists are cut inside their section instead.
 */
export function renderMessage(message: Message, redact: (text: string) => string = redactPatterns): SlackPayload {
  const w = wording(message.language);
  const headline = w.headline[message.status];
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(safeText(message.title ?? headline, redact), LIMITS.header, '…') } },
  ];
  if (message.title) blocks.push({ type: 'section', text: mrkdwn(`*${headline}*`) });

  const fields = runFields(message, w, redact);
  if (fields.length) blocks.push({ type: 'section', fields: fields.map((f) => mrkdwn(truncate(f, LIMITS.fieldText, w.truncated))) });
  if (message.failedJobs.length)
    blocks.push(
      section(
        `*${w.failedJobs}*`,
        message.failedJobs.map((job) => jobLine(job, w, redact)),
        w,
      ),
    );
  if (message.smoke) blocks.push(smokeSection(message.smoke, w, redact));
  if (message.security) blocks.push(securitySection(message.security, w));
  if (message.run.workflow) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(truncate(`${w.workflow}: ${safeText(message.run.workflow, redact)}`, LIMITS.contextText, w.truncated))],
    });
  }

  const text = fallbackText(message, headline, redact);
  return { text, attachments: [{ color: COLORS[message.status], fallback: text, blocks }] };
}

/** One path segment of a link; a lone surrogate (from a cut or hostile ref name) becomes U+FFFD instead of a URIError. */
const urlPart = (text: string): string => encodeURIComponent(text.toWellFormed());

export function runFields(message: Message, w: Wording, redact: (text: string) => string): string[] {
  const { run } = message;
  const repoUrl = run.repository ? `${run.serverUrl}/${run.repository}` : undefined;
  const field = (label: string, value: string) => `*${label}*\n${value}`;
  const fields: string[] = [];
  if (run.repository) fields.push(field(w.repository, slackLink(repoUrl, run.repository, redact)));
  if (run.branch) {
    const url = repoUrl && `${repoUrl}/tree/${run.branch.split('/').map(urlPart).join('/')}`;
    fields.push(field(w.branch, slackLink(url, run.branch, redact)));
  }
  if (run.sha) fields.push(field(w.commit, slackLink(repoUrl && `${repoUrl}/commit/${urlPart(run.sha)}`, run.sha.slice(0, 7), redact)));
  if (run.runId || run.runNumber) {
    const attempt = run.runAttempt && run.runAttempt !== '1' ? run.runAttempt : undefined;
    const url =
      repoUrl && run.runId ? `${repoUrl}/actions/runs/${urlPart(run.runId)}${attempt ? `/attempts/${urlPart(attempt)}` : ''}` : undefined;
    const label = `#${run.runNumber ?? run.runId}${attempt ? ` (${w.attempt(attempt)})` : ''}`;
    fields.push(field(w.run, slackLink(url, label, redact)));
  }
  if (message.environmentUrl) {
    // The link shows the address without its query string, which is where tokens tend to hide.
    const shown = message.environmentUrl.split(/[?#]/)[0] ?? message.environmentUrl;
    fields.push(field(w.environment, slackLink(message.environmentUrl, shown, redact)));
  }
  return fields;
}

export function jobLine(job: FailedJob, w: Wording, redact: (text: string) => string): string {
  const how = job.step
    ? w.failedAtStep(`*${safeText(job.step, redact)}*`)
    : (w.conclusion[job.conclusion] ?? safeText(job.conclusion, redact));
  return truncate(`• ${slackLink(job.url, job.name, redact)} — ${how}`, LIMITS.line, w.truncated);
}

export function smokeSection(smoke: SmokeSummary, w: Wording, redact: (text: string) => string): Block {
  const counts = `*${w.smokeTests}*: ${w.smokeCounts(smoke)}`;
  if (!smoke.failedCritical.length) return { type: 'section', text: mrkdwn(counts) };
  const lines = smoke.failedCritical.map((name) => truncate(`• ${safeText(name, redact)}`, LIMITS.line, w.truncated));
  return section(`${counts}\n*${w.failedCritical}*`, lines, w);
}

/** The security scan's counts against its baseline, or how many findings when there was none. */
export function securitySection(security: SecuritySummary, w: Wording): Block {
  const counts = security.baseline ? w.securityCounts(security) : w.securityNoBaseline(security.new);
  return { type: 'section', text: mrkdwn(`*${w.securityScan}*: ${counts}`) };
}

/** A section with a heading and a list, cut to the section limit with an "… and N more" line. */
function section(heading: string, lines: string[], w: Wording): Block {
  return { type: 'section', text: mrkdwn(`${heading}\n${fitLines(lines, LIMITS.sectionText - heading.length - 1, w.more)}`) };
}

function fallbackText(message: Message, headline: string, redact: (text: string) => string): string {
  const { run } = message;
  const where = [run.repository, run.branch].filter(Boolean).map((part) => safeText(part as string, redact));
  const runLabel = run.runNumber ? ` #${safeText(run.runNumber, redact)}` : '';
  const mentions = message.status === 'failure' && message.mentions.length ? `${message.mentions.join(' ')} ` : '';
  const jobs = message.failedJobs.length ? `: ${message.failedJobs.map((j) => safeText(j.name, redact)).join(', ')}` : '';
  const text = `${mentions}${headline}${where.length ? ` — ${where.join(' · ')}` : ''}${runLabel}${jobs}`;
  return truncate(text, LIMITS.fallbackText, '…');
}
