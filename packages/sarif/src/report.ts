import {
  cutText,
  escapeMarkdown,
  link,
  singleLine,
  SHOWN_CHARS,
  table,
  type AnnotationProperties,
  type Cell,
} from '@pipeline-toolkit/core';
import { countAll, type FindingCounts, type SkippedPaths } from './aggregate.ts';
import type { GateResult } from './gate.ts';
import { BUCKETS, SEVERITIES, type Finding, type Severity, type ToolInfo } from './model.ts';
import { isRepositoryPath } from './paths.ts';
import type { SarifStats } from './writer.ts';
import type { BaselineOutcome } from './baseline.ts';

/** Where a file of the scanned commit can be linked to. */
export interface RepositoryLinks {
  serverUrl: string;
  repository: string;
  sha: string;
}

export interface ScanReport {
  /** Every finding in order, or (with `counts`) at least the head of them: see headOf. */
  findings: readonly Finding[];
  /** The counts of every finding, when `findings` holds only the head. */
  counts?: FindingCounts;
  tools: readonly ToolInfo[];
  gate: GateResult;
  /** The first different problems the scanners reported (PROBLEMS_LISTED in aggregate.ts). */
  problems: readonly string[];
  /** When the list was cut: every problem reported, repeats included. */
  problemReports?: number;
  sarif?: SarifStats;
  /** The comparison with the baseline (baseline.ts). */
  baseline?: BaselineOutcome;
  /** Why there is no baseline or why the scope fell back to `all`. */
  baselineNote?: string;
  /** skip-paths: the globs, and the findings each left out per tool (as the reports list them). */
  skipPaths?: { globs: readonly string[]; skipped: SkippedPaths };
}

const TITLE: Record<Severity, string> = { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low', INFO: 'Info' };

/**
 * A report's text as the console and the job summary show it: cut at SHOWN_CHARS. A rule id, a
 * path, a target or a tool's name is kept whole in the SARIF and findings files, where it
 * identifies the finding; a reader needs only its start.
 */
const shown = (text: string): string => cutText(text, SHOWN_CHARS);

/**
 * The longest link the summary makes: GitHub answers a longer address with an error (a helpUri
 * or a path of megabytes is shown as text instead).
 */
const LINK_CHARS = 2048;

/** `text` linked to `url`, when the link is one GitHub can follow. */
function linked(text: string, url: string | undefined): Cell {
  return url && url.length <= LINK_CHARS && URL.canParse(url) ? link(shown(text), url) : shown(text);
}

export function where(f: Finding): string {
  if (f.location) return `${f.location.path}${f.location.startLine ? `:${f.location.startLine}` : ''}`;
  if (f.package && f.target) return `${f.package} in ${f.target}`;
  return f.target ?? f.package ?? '';
}

function gateLine(report: ScanReport): string {
  const { gate } = report;
  if (gate.threshold === 'none') return 'Gate: passed (fail-on: none, findings never fail the step)';
  const at = `at or above ${gate.threshold.toUpperCase()}`;
  const scoped = gate.scope === 'new';
  const what = scoped ? 'new unsuppressed finding' : 'unsuppressed finding';
  const settings = `fail-on: ${gate.threshold}${gate.scope ? `, gate-scope: ${gate.scope}` : ''}`;
  return gate.passed
    ? `Gate: passed (${settings}; no ${what} ${at})`
    : `Gate: failed (${settings}; ${gate.failing} ${what}${gate.failing === 1 ? '' : 's'} ${at})`;
}

/** The baseline section: counts, the scope, and the new findings (texts already redacted). */
function baselineSection(report: ScanReport, top: number): string[] {
  const parts: string[] = [];
  const b = report.baseline;
  if (b) {
    parts.push(
      '### Compared with the baseline\n',
      `Baseline: ${escapeMarkdown(b.source)}. **New: ${b.new}**, fixed: ${b.fixed}, unchanged: ${b.unchanged}. ${
        b.scope === 'new' ? 'Only new findings can fail the gate (gate-scope: new).' : 'Every finding can fail the gate (gate-scope: all).'
      }\n`,
    );
    const listed = b.newFindings.slice(0, top);
    if (listed.length) {
      parts.push(
        table(
          ['Severity', 'Tools', 'Rule', 'Where', 'New finding'],
          listed.map((f) => [TITLE[f.severity], toolNames(report.tools, f.tools), shown(f.rule), shown(f.where), shown(f.title)]),
        ),
      );
      if (b.new > listed.length) parts.push(`…and ${b.new - listed.length} more new findings in the findings file.\n`);
    }
  }
  if (report.baselineNote) parts.push(`${b ? '' : '### Baseline\n\n'}${escapeMarkdown(report.baselineNote)}\n`);
  return parts;
}

/**
 * What skip-paths left out: the total, then per glob the count per tool, in the order the globs
 * were given (a glob that matched nothing says 0, so that a mistyped one shows). `code` wraps a
 * glob and `text` escapes a tool's name for the job summary; the console shows them as they are.
 */
function skipLine(report: ScanReport, code: (glob: string) => string, text: (s: string) => string = (s) => s): string | undefined {
  if (!report.skipPaths) return undefined;
  const { globs, skipped } = report.skipPaths;
  const byGlob = globs.map((glob) => {
    const tools = Object.entries(skipped)
      .filter(([, counts]) => counts[glob])
      .map(([tool, counts]) => `${text(toolName(report.tools, tool))} ${counts[glob]}`);
    const n = Object.values(skipped).reduce((sum, counts) => sum + (counts[glob] ?? 0), 0);
    return { text: `${code(glob)} ${n ? tools.join(', ') : '0'}`, n };
  });
  const total = byGlob.reduce((sum, g) => sum + g.n, 0);
  return `Left out by skip-paths (as the reports list them, before deduplication; never gate, not in the SARIF or findings files): ${total} — ${byGlob.map((g) => g.text).join('; ')}.`;
}

/** A glob in Markdown code, whatever backticks it holds. */
function codeSpan(text: string): string {
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length)) + 1);
  return `${fence}${fence.length > 1 || text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text}${fence}`;
}

function toolName(tools: readonly ToolInfo[], id: string): string {
  return tools.find((t) => t.id === id)?.name ?? id;
}

/** The names of a finding's tools, for a table cell or a title (each cut at SHOWN_CHARS). */
function toolNames(tools: readonly ToolInfo[], ids: readonly string[]): string {
  return ids.map((id) => shown(toolName(tools, id))).join(', ');
}

/** Every finding's counts: given, or counted. */
function countsOf(report: ScanReport): FindingCounts {
  return report.counts ?? countAll(report.findings, report.tools);
}

/**
 * Tools with a row of their own in the counts table; the others share one row. A SARIF file may
 * hold any number of runs, each its own tool, and GitHub takes 20 runs of an upload.
 */
const TOOL_ROWS = 20;

function countRows(report: ScanReport, counts: FindingCounts): (string | number)[][] {
  const { byTool, bySeverity: totals } = counts;
  const names = new Map(report.tools.map((t) => [t.id, t.name]));
  const tools = [...byTool];
  const rows: (string | number)[][] = tools
    .slice(0, TOOL_ROWS)
    .map(([id, counts]) => [shown(names.get(id) ?? id), ...SEVERITIES.map((s) => counts[s])]);
  const others = tools.slice(TOOL_ROWS);
  if (others.length) rows.push([`${others.length} other tools`, ...SEVERITIES.map((s) => others.reduce((n, [, c]) => n + c[s], 0))]);
  rows.push(['Total (deduplicated)', ...SEVERITIES.map((s) => totals[s])]);
  return rows;
}

/** Findings shown in the summary (the console shows fewer). */
const HEAD = 20;

/**
 * Suppressed findings listed with their reasons (the most severe first): a suppression is a way
 * around the gate, so whoever reads the run sees what was set aside and why.
 */
const SUPPRESSED_SHOWN = 10;

/** The first `top` suppressed findings (after the unsuppressed ones: findings come sorted by bucket). */
function suppressedFindings(findings: readonly Finding[], top: number): Finding[] {
  let first = findings.length;
  while (first > 0 && findings[first - 1]!.suppressed) first--;
  return findings.slice(first, first + top);
}

/** Why a finding was suppressed, as its tool, ignore file or the suppressions file said, on one line and cut. */
function reasonOf(f: Finding): string {
  return f.justification ? singleLine(cutText(f.justification, SHOWN_CHARS)) : 'no reason given';
}

/** The first `top` unsuppressed findings (the most severe: findings come sorted), without a pass over all of them. */
function topFindings(findings: readonly Finding[], top: number): Finding[] {
  const shown: Finding[] = [];
  for (let i = 0; i < findings.length && shown.length < top; i++) if (!findings[i]!.suppressed) shown.push(findings[i]!);
  return shown;
}

/** The job summary: gate verdict, counts per tool × severity, top findings with links. Text is already redacted. */
export function summaryMarkdown(report: ScanReport, links?: RepositoryLinks, top = HEAD): string {
  const counts = countsOf(report);
  const { suppressed } = counts;
  const parts = [
    '## Security scan\n',
    `**${report.gate.passed ? '✅' : '❌'} ${escapeMarkdown(gateLine(report))}**\n`,
    table(['Tool', ...SEVERITIES.map((s) => TITLE[s])], countRows(report, counts)),
    `Suppressed (by the tools, ignore files, ignore-unfixed or the suppressions file; never gate): ${suppressed}.\n`,
    ...[skipLine(report, codeSpan, escapeMarkdown)].filter((line) => line !== undefined).map((line) => `${line}\n`),
    ...baselineSection(report, top),
  ];
  const listed = topFindings(report.findings, top);
  if (listed.length) {
    const rows: Cell[][] = listed.map((f) => {
      const file = f.location && isRepositoryPath(f.location.path) && links;
      const blob = file
        ? `${links.serverUrl}/${links.repository}/blob/${links.sha}/${f.location!.path}${f.location!.startLine ? `#L${f.location!.startLine}` : ''}`
        : undefined;
      return [
        TITLE[f.severity],
        toolNames(report.tools, f.tools),
        linked(f.rule, f.helpUri),
        linked(where(f), blob),
        // a vulnerability's message names the package, its installed and its fixed version
        shown(f.category === 'vulnerability' ? f.message : f.title),
      ];
    });
    parts.push(`### Top findings\n`, table(['Severity', 'Tools', 'Rule', 'Where', 'Finding'], rows));
    const rest = counts.total - listed.length;
    if (rest > 0) parts.push(`…and ${rest} more in the SARIF and findings files.\n`);
  }
  const set = suppressedFindings(report.findings, SUPPRESSED_SHOWN);
  if (set.length) {
    const rows: Cell[][] = set.map((f) => [
      TITLE[f.severity],
      toolNames(report.tools, f.tools),
      shown(f.rule),
      shown(where(f)),
      shown(f.title),
      reasonOf(f),
    ]);
    parts.push(`### Suppressed findings\n`, table(['Severity', 'Tools', 'Rule', 'Where', 'Finding', 'Reason'], rows));
    if (suppressed > set.length) parts.push(`…and ${suppressed - set.length} more in the SARIF and findings files.\n`);
  }
  if (report.sarif && (report.sarif.overLimit || report.sarif.unlocated)) {
    parts.push(
      `SARIF: ${report.sarif.results} results in ${report.sarif.runs} runs; left out: ${report.sarif.overLimit} over GitHub's limits (least severe first), ${report.sarif.unlocated} without a file location.\n`,
    );
  }
  if (report.problems.length) {
    const list = report.problems.map((p) => `- ${escapeMarkdown(p)}`).join('\n');
    parts.push(`### Problems the scanners reported\n`, list, '\n', ...[moreProblems(report)].filter((line) => line !== undefined));
  }
  return parts.join('\n');
}

/** The line after a list of problems that was cut, if it was. */
export function moreProblems(report: Pick<ScanReport, 'problems' | 'problemReports'>): string | undefined {
  if (report.problemReports === undefined) return undefined;
  return `…and more: the scanners reported ${report.problemReports} problems in all (repeats included); the first ${report.problems.length} different ones are listed.`;
}

/** A plain-text table for the terminal. */
export function consoleReport(report: ScanReport, top = 10): string {
  const header = ['Tool', ...SEVERITIES.map((s) => TITLE[s])];
  const counts = countsOf(report);
  const rows = [header, ...countRows(report, counts).map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.push('', `Suppressed (not gated): ${counts.suppressed}`);
  const skip = skipLine(report, (glob) => glob);
  if (skip) lines.push(skip);
  const b = report.baseline;
  if (b) {
    lines.push(`Baseline ${b.source}: new ${b.new}, fixed ${b.fixed}, unchanged ${b.unchanged} (gate-scope: ${b.scope})`);
    for (const f of b.newFindings.slice(0, top))
      lines.push(`  new ${f.severity.padEnd(8)} ${shown(f.rule)}  ${shown(f.where)}  ${shown(f.title)}`);
  }
  if (report.baselineNote) lines.push(report.baselineNote);
  const listed = topFindings(report.findings, top);
  if (listed.length) {
    lines.push('', 'Top findings:');
    for (const f of listed) lines.push(`  ${f.severity.padEnd(8)} ${shown(f.rule)}  ${shown(where(f))}  ${shown(f.title)}`);
  }
  const set = suppressedFindings(report.findings, top);
  if (set.length) {
    lines.push('', 'Suppressed findings:');
    for (const f of set)
      lines.push(`  ${f.severity.padEnd(8)} ${shown(f.rule)}  ${shown(where(f))}  ${shown(f.title)}  (reason: ${reasonOf(f)})`);
  }
  for (const p of report.problems) lines.push(`warning: ${p}`);
  const more = moreProblems(report);
  if (more) lines.push(`warning: ${more}`);
  lines.push('', gateLine(report));
  // every line on one line, its control characters shown: a rule, path or problem read from a
  // report cannot start a line of its own (`::error::` would be a workflow command where the CLI runs in a job)
  return lines.map(singleLine).join('\n');
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: AnnotationProperties;
}

/**
 * What GitHub keeps of an annotation: the runner cuts its message at 4,096 characters
 * (`_maxIssueMessageLength` in actions/runner), and a check annotation's title holds 255.
 */
export const ANNOTATION_CHARS = { message: 4096, title: 255 } as const;

/** GitHub shows at most 10 annotations of each level per step; one error and one notice are kept for the gate and upload messages. */
export const ANNOTATION_LIMITS = { error: 9, warning: 10, notice: 9 } as const;
const ANNOTATIONS_PER_LEVEL = 10;

const LEVEL: Partial<Record<Severity, Annotation['level']>> = { CRITICAL: 'error', HIGH: 'error', MEDIUM: 'warning', LOW: 'notice' };

/** Annotations on files for the most severe unsuppressed findings, within the per-step limits. */
export function annotations(findings: readonly Finding[], tools: readonly ToolInfo[]): Annotation[] {
  const left: Record<Annotation['level'], number> = { ...ANNOTATION_LIMITS };
  const out: Annotation[] = [];
  for (const f of findings) {
    if (left.error + left.warning + left.notice === 0) break;
    const level = LEVEL[f.severity];
    if (f.suppressed || !level || !f.location || !isRepositoryPath(f.location.path) || left[level] === 0) continue;
    left[level]--;
    const start = Math.max(1, f.location.startLine ?? 1);
    out.push({
      level,
      message: cutText(`${f.message}${f.helpUri ? `\n${f.helpUri}` : ''}`, ANNOTATION_CHARS.message),
      properties: {
        title: cutText(`${f.severity} ${shown(f.rule)} (${toolNames(tools, f.tools)})`, ANNOTATION_CHARS.title),
        file: f.location.path,
        line: start,
        ...(f.location.endLine && f.location.endLine >= start ? { endLine: f.location.endLine } : {}),
      },
    });
  }
  return out;
}

/**
 * What the summary, console report and annotations read of a sorted list of findings, from its
 * buckets (ShardOutput.buckets, see model.ts): the first 20 of each unsuppressed severity and the
 * first annotations' worth of each that can be annotated, and the first 10 of each suppressed
 * severity. The heads of two lists that follow each other, joined bucket by bucket, hold
 * everything those read of the joined list.
 */
export function headOf(buckets: readonly (readonly Finding[])[]): Finding[][] {
  return Array.from({ length: BUCKETS }, (_, bucket) => {
    const findings = buckets[bucket] ?? [];
    // a suppressed bucket: only listed
    if (findings[0]?.suppressed) return findings.slice(0, SUPPRESSED_SHOWN);
    const head: Finding[] = [];
    let annotatable = 0;
    for (const f of findings) {
      if (head.length >= HEAD && annotatable >= ANNOTATIONS_PER_LEVEL) break;
      const onFile = f.location !== undefined && isRepositoryPath(f.location.path);
      if (head.length < HEAD || (onFile && annotatable < ANNOTATIONS_PER_LEVEL)) head.push(f);
      if (onFile) annotatable++;
    }
    return head;
  });
}

/** Joins heads bucket by bucket (the first list's findings first). */
export function joinHeads(heads: readonly Finding[][][]): Finding[] {
  return Array.from({ length: BUCKETS }, (_, bucket) => heads.flatMap((h) => h[bucket] ?? [])).flat();
}
