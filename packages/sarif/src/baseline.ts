import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from '@pipeline-toolkit/core';
import { Aggregator, emptyCounts, type SeverityCounts } from './aggregate.ts';
import { arr, obj, str } from './json.ts';
import { OUTPUT_MARKER, SEVERITIES, type Severity } from './model.ts';
import { readReports, tooLarge } from './load.ts';
import { streamJson, TextTooLarge } from './parallel/reader.ts';
import { globCompiler, pathGlob } from './policy.ts';

/**
 * The baseline gate (ADR-030). A finding is new when its `match` (aggregate.ts matchOf: tool,
 * category, rule, file or target, package and content, never lines) is not in the baseline;
 * findings of one `match` are compared as a multiset (two in the baseline, three now: one new).
 * Within one match, findings at a line the baseline had are taken as unchanged first.
 */

export type GateScope = 'new' | 'all';

/** What the aggregation thread needs of the baseline: its unsuppressed findings' matches and lines. */
export interface BaselineJob {
  /** The file named in the summary. */
  source: string;
  matches: string[];
  lines: number[];
  scope: GateScope;
}

/** A new finding, as the summary, the PR comment and the gate's message show it (texts already redacted). */
export interface NewFinding {
  severity: Severity;
  rule: string;
  title: string;
  where: string;
  tools: string[];
  match: string;
}

export interface BaselineOutcome {
  source: string;
  scope: GateScope;
  new: number;
  fixed: number;
  unchanged: number;
  /** New unsuppressed findings per severity (what a `new` scope gates on). */
  newBySeverity: SeverityCounts;
  /** The first new findings, most severe first (at most NEW_SHOWN). */
  newFindings: NewFinding[];
}

/** New findings kept for the summary and the PR comment. */
export const NEW_SHOWN = 50;

interface Entry {
  match: string;
  line: number;
  suppressed: boolean;
  path?: string;
}

const HEX32 = /^[0-9a-f]{32}$/;

function fail(input: string, label: string, shown: string, why: string): never {
  throw new InputError(
    input,
    `${label}: ${shown} ${why}. Expected a findings file written by security-scan (its \`findings-file\` output, with \`match\` fingerprints) or a SARIF 2.1.0 log.`,
  );
}

/** The entry of finding `i` of a findings file of this action (a JSON array of findings, each with `match`). */
function fromFinding(item: unknown, i: number, fail: (why: string) => never): Entry {
  const f = obj(item);
  const match = str(f?.['match']);
  if (!f || !match || !HEX32.test(match)) fail(`has a finding (${i + 1}) without a \`match\` fingerprint (written by an older version?)`);
  const location = obj(f['location']);
  return { match, line: Number(location?.['startLine'] ?? 0) || 0, suppressed: f['suppressed'] === true, path: str(location?.['path']) };
}

/** What reading a bare array whose first element is not a finding of this action gives: another tool's report. */
const NOT_FINDINGS = Symbol('not a findings file');

/** Stops the reading of such an array at its first element. */
class NotFindings extends Error {}

/**
 * Reads a baseline file as a stream: a findings file (a JSON array, one finding per line, as
 * large as the scan that wrote it) finding by finding, into entries; any other document whole.
 * Returns the entries, or the document, or NOT_FINDINGS for a bare array of something else.
 */
async function readBaseline(
  file: string,
  fail: (why: string) => never,
): Promise<{ entries: Entry[] } | { doc: unknown } | typeof NOT_FINDINGS> {
  const entries: Entry[] = [];
  let bare = false;
  try {
    const doc = await streamJson(file, {
      split: new Set(['']),
      arrayStart: () => {
        bare = true;
        return (item, i) => {
          const f = obj(item);
          if (i === 0 && !(f && 'fingerprint' in f && 'tools' in f)) throw new NotFindings();
          entries.push(fromFinding(item, i, fail));
        };
      },
    });
    return bare ? { entries } : { doc };
  } catch (error) {
    if (error instanceof NotFindings) return NOT_FINDINGS;
    if (error instanceof InputError) throw error;
    if (error instanceof TextTooLarge) fail(tooLarge(error.part));
    if (error instanceof SyntaxError) fail(`is not valid JSON (${error.message})`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code) fail(`cannot be read (${code})`);
    throw error;
  }
}

/** Entries of a SARIF log this action wrote: each result's `pipelineToolkitMatch/v1`. */
function fromOwnSarif(doc: Record<string, unknown>, input: string, label: string, shown: string): Entry[] {
  const entries: Entry[] = [];
  for (const run of arr(doc['runs'])) {
    for (const result of arr(obj(run)?.['results'])) {
      const r = obj(result);
      const match = str(obj(r?.['partialFingerprints'])?.['pipelineToolkitMatch/v1']);
      if (!match || !HEX32.test(match))
        fail(input, label, shown, 'is a SARIF log of an older security-scan without `pipelineToolkitMatch/v1` fingerprints');
      const physical = obj(obj(arr(r!['locations'])[0])?.['physicalLocation']);
      entries.push({
        match,
        line: Number(obj(physical?.['region'])?.['startLine'] ?? 0) || 0,
        suppressed: arr(r!['suppressions']).length > 0,
        path: str(obj(physical?.['artifactLocation'])?.['uri']),
      });
    }
  }
  return entries;
}

/**
 * Reads a baseline: a findings file of this action, a SARIF log of this action, or any report
 * this package reads (another tool's SARIF, a scanner's JSON), whose findings get their `match`
 * exactly as the current ones do. Suppressed baseline findings and those under skip-paths are
 * left out (a suppression that ends makes its finding new).
 */
export async function loadBaseline(
  file: string,
  options: { input: string; label: string; shown: string; root: string; scope: GateScope; skipPaths: readonly string[] },
): Promise<BaselineJob> {
  const { input, label, shown } = options;
  const read = await readBaseline(file, (why) => fail(input, label, shown, why));
  let entries: Entry[];
  if (read !== NOT_FINDINGS && 'entries' in read) {
    entries = read.entries;
  } else if (read !== NOT_FINDINGS && obj(read.doc) && obj(obj(read.doc)!['properties'])?.[OUTPUT_MARKER] !== undefined) {
    entries = fromOwnSarif(obj(read.doc)!, input, label, shown);
  } else {
    const agg = new Aggregator();
    const failed = await readReports(agg, [{ file, kind: 'any' }], options.root, []);
    if (failed) fail(input, label, shown, `is not a report security-scan reads (${(failed.error as Error).message})`);
    entries = agg
      .finish()
      .map((f) => ({ match: f.match, line: f.location?.startLine ?? 0, suppressed: f.suppressed, path: f.location?.path }));
  }
  const compile = options.skipPaths.length ? await globCompiler() : undefined;
  const skipped = options.skipPaths.map((glob) => pathGlob(compile!, glob));
  const kept = entries.filter((e) => !e.suppressed && !(e.path && skipped.some((matches) => matches(e.path!))));
  return { source: shown, matches: kept.map((e) => e.match), lines: kept.map((e) => e.line), scope: options.scope };
}

/** `path:line` (`package in path:line`), `package in target`, or the target of a finding read back from the findings file. */
function whereOf(f: Record<string, unknown>): string {
  const location = obj(f['location']);
  const file = str(location?.['path']);
  const pkg = str(f['package']);
  if (file) return `${pkg ? `${pkg} in ` : ''}${file}${location?.['startLine'] ? `:${String(location['startLine'])}` : ''}`;
  const target = str(f['target']);
  if (pkg && target) return `${pkg} in ${target}`;
  return target ?? pkg ?? '';
}

/**
 * Compares the findings file just written (one finding per line, already redacted) with the
 * baseline: counts of new, fixed and unchanged unsuppressed findings, new ones per severity, and
 * the first new findings in the file's order (most severe first).
 */
export async function compareWithBaseline(findingsFile: string, baseline: BaselineJob): Promise<BaselineOutcome> {
  const before = new Map<string, number[]>();
  baseline.matches.forEach((m, i) => {
    const lines = before.get(m);
    if (lines) lines.push(baseline.lines[i]!);
    else before.set(m, [baseline.lines[i]!]);
  });
  const groups = new Map<string, { index: number; line: number }[]>();
  const current: { severity: Severity; record: Record<string, unknown> }[] = [];
  const lines = createInterface({ input: createReadStream(findingsFile, 'utf8'), crlfDelay: Infinity });
  for await (const raw of lines) {
    const line = raw.trim().replace(/^,/, '').replace(/,$/, '');
    if (!line.startsWith('{')) continue;
    const f = JSON.parse(line) as Record<string, unknown>;
    if (f['suppressed'] === true) continue;
    const severity = SEVERITIES.includes(f['severity'] as Severity) ? (f['severity'] as Severity) : 'INFO';
    const match = String(f['match']);
    const index = current.length;
    current.push({ severity, record: f });
    const at = Number(obj(f['location'])?.['startLine'] ?? 0) || 0;
    const group = groups.get(match);
    if (group) group.push({ index, line: at });
    else groups.set(match, [{ index, line: at }]);
  }
  const isNew = new Uint8Array(current.length);
  let unchanged = 0;
  let fixed = 0;
  for (const [match, group] of groups) {
    const lines = before.get(match) ?? [];
    const known = new Set(lines);
    // those at a line the baseline had first, then in file order
    const ordered = [...group].sort((a, b) => Number(known.has(b.line)) - Number(known.has(a.line)) || a.index - b.index);
    const same = Math.min(lines.length, group.length);
    unchanged += same;
    for (const g of ordered.slice(same)) isNew[g.index] = 1;
    fixed += lines.length - same;
  }
  for (const [match, lines] of before) if (!groups.has(match)) fixed += lines.length;
  const newBySeverity = emptyCounts();
  const newFindings: NewFinding[] = [];
  let count = 0;
  current.forEach(({ severity, record }, i) => {
    if (!isNew[i]) return;
    count++;
    newBySeverity[severity]++;
    if (newFindings.length < NEW_SHOWN)
      newFindings.push({
        severity,
        rule: String(record['rule'] ?? ''),
        title: String(record['title'] ?? ''),
        where: whereOf(record),
        tools: Array.isArray(record['tools']) ? record['tools'].map(String) : [],
        match: String(record['match']),
      });
  });
  return { source: baseline.source, scope: baseline.scope, new: count, fixed, unchanged, newBySeverity, newFindings };
}
