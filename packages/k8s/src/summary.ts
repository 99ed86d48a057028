import { codeBlock, details, formatDuration, heading, link, mermaid, table, type Cell } from '@pipeline-toolkit/core';
import type { Outcome, PhaseRecord } from './bluegreen/model.ts';
import type { DeployPlan } from './deploy.ts';

const label = (text: string) => text.replace(/[:;#]/g, ' ').trim();

/** The phases as a mermaid gantt chart: one bar per phase with its duration, failed ones in red. */
export function phaseTimeline(phases: readonly PhaseRecord[]): string {
  const ran = phases.filter((p) => p.outcome !== 'skipped');
  if (!ran.length) return '';
  const lines = ['gantt', '  title Deploy phases', '  dateFormat x', '  axisFormat %M:%S', '  section deploy'];
  ran.forEach((p, i) => {
    const tag = p.outcome === 'failed' ? 'crit, ' : 'done, ';
    lines.push(
      `  ${label(p.name)} (${formatDuration(p.endedAt - p.startedAt)}) :${tag}p${i}, ${p.startedAt}, ${Math.max(p.endedAt, p.startedAt + 1)}`,
    );
  });
  return mermaid(lines.join('\n'));
}

/** The job summary of a deploy: result and colours, the phase timeline, smoke verdicts, and what was rolled back and why. */
export function deploySummary(outcome: Outcome, release: string, namespace: string): string {
  const rows: Cell[][] = [
    ['Result', outcome.result],
    ['Mode', outcome.mode],
    ['Live colour', outcome.liveColor ?? 'none'],
    ['Previous colour', outcome.previousColor ?? '—'],
    ['Helm revision', outcome.revision ?? '—'],
  ];
  const address = (url: string) => (/^https?:\/\//.test(url) ? link(url, url) : url);
  if (outcome.url) rows.push(['URL', address(outcome.url)]);
  if (outcome.previewUrl) rows.push(['Preview', address(outcome.previewUrl)]);
  if (outcome.failure) rows.push(['Failed in', `${outcome.failure.phase} (${outcome.failure.kind})`]);
  const parts = [heading(`Deploy ${release} (${namespace}): ${outcome.result}`), table(['', ''], rows)];
  if (outcome.failure)
    parts.push(`**${outcome.result === 'rolled-back' ? 'Why' : 'Error'}:** ${outcome.failure.message.replace(/\r?\n/g, ' ')}\n`);
  parts.push(phaseTimeline(outcome.phases));
  parts.push(
    table(
      ['Phase', 'Outcome', 'Duration', 'Detail'],
      outcome.phases.map((p) => [p.name, p.outcome, formatDuration(p.endedAt - p.startedAt), p.detail ?? '']),
    ),
  );
  if (outcome.diagnosis?.pods.length) {
    parts.push(heading(`Why ${outcome.diagnosis.color} did not become ready`, 3));
    parts.push(
      table(
        ['Object', 'Phase', 'Reasons', 'Last events'],
        outcome.diagnosis.pods.map((d) => [d.object, d.phase, d.reasons.join('; ') || '—', d.events.join(' · ') || '—']),
      ),
    );
  }
  if (outcome.cleanup?.length) parts.push(`${heading('Clean-up', 3)}\n${outcome.cleanup.map((c) => `- ${c}`).join('\n')}\n`);
  if (outcome.gates.length) {
    parts.push(heading('Gates', 3));
    parts.push(
      table(
        ['Gate', 'Colour', 'Verdict', 'Summary'],
        outcome.gates.map((g) => [g.phase, g.color, g.passed ? 'passed' : 'FAILED', g.summary]),
      ),
    );
    for (const g of outcome.gates) if (g.markdown) parts.push(details(`${g.phase} gate results (${g.color})`, g.markdown));
  }
  if (outcome.rollback) {
    parts.push(heading(outcome.rollback.restored ? 'Rolled back' : 'Rollback NOT possible', 3));
    parts.push(`Why: ${outcome.rollback.reason}\n\n${outcome.rollback.details.map((d) => `- ${d}`).join('\n')}\n`);
  }
  return parts.filter(Boolean).join('\n');
}

/** The dry-run plan as text (CLI) and Markdown (job summary). */
export function planText(plan: DeployPlan): string {
  const width = Math.max(...plan.lines.map(([k]) => k.length));
  const shell = (argv: readonly string[]) => argv.map((a) => (/[\s'"$]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');
  const commands = [...(plan.recreate ? [plan.recreate.argv] : []), ...(plan.helm.length ? [plan.helm] : [])];
  return [
    ...plan.lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
    ...(commands.length
      ? ['', commands.length > 1 ? 'Helm commands, in order:' : 'Helm command:', ...commands.map((c) => `  ${shell(c)}`)]
      : []),
    '',
    'Cluster writes, in order:',
    ...plan.writes.flatMap((w, i) => [
      `${i + 1}. ${w.what}`,
      ...(w.body === null ? [] : [JSON.stringify(w.body, null, 2).replace(/^/gm, '     ')]),
    ]),
  ].join('\n');
}

export const planMarkdown = (plan: DeployPlan): string =>
  [heading('Deploy plan (dry run, nothing changed)'), codeBlock(planText(plan))].join('\n');
