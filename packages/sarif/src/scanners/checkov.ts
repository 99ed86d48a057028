import { arr, int, obj, str, ReportError, type JsonObject } from '../json.ts';
import { severityFromSecurityLabel, type Severity } from '../model.ts';
import { normalisePath } from '../paths.ts';
import { firstLine, unrecognisedSeverity, type ParseContext } from '../sink.ts';
import type { Scanner } from './scanner.ts';

export const CHECKOV = { id: 'checkov', name: 'Checkov', informationUri: 'https://www.checkov.io' } as const;

/** One framework's Checkov report (`checkov -o json`): `{ check_type, results: { failed_checks, … }, summary }`. */
export function isCheckovReport(doc: unknown): boolean {
  const o = obj(doc);
  return !!o && typeof o['check_type'] === 'string' && ('results' in o || 'summary' in o);
}

const COUNTS = ['passed', 'failed', 'skipped'] as const;

/**
 * What Checkov writes with `-o json` when no framework found anything to scan: its summary alone,
 * `{ passed, failed, skipped, parsing_errors, resource_count, checkov_version }`
 * (`Report("").get_summary()` in its runner_registry.py).
 */
function isCheckovSummary(doc: unknown): boolean {
  const o = obj(doc);
  return !!o && typeof o['checkov_version'] === 'string' && !('check_type' in o) && COUNTS.every((k) => typeof o[k] === 'number');
}

/** A report of Checkov's: one framework's, or the summary it writes when nothing was scanned. */
function isCheckovDocument(doc: unknown): boolean {
  return isCheckovReport(doc) || isCheckovSummary(doc);
}

/**
 * Checkov's `severity`. It is null without a platform key; a failed check is then HIGH, as
 * Checkov's own SARIF states it (`level: error` for a failed check without a severity, which
 * this reads as HIGH) and as Checkov's exit code treats it, so that one run gates alike read
 * from either file. An unrecognised value is listed as a warning.
 */
function checkovSeverity(value: unknown, ctx: ParseContext): Severity {
  const label = severityFromSecurityLabel(value);
  if (label) return label;
  if (value !== undefined && value !== null) unrecognisedSeverity(ctx, 'Checkov', 'severity', value, 'the default (HIGH)');
  return 'HIGH';
}

function readCheck(item: unknown, checkType: string, suppressed: boolean, ctx: ParseContext): void {
  const check = obj(item);
  const id = str(check?.['check_id']);
  if (!check || !id) return;
  // file_path is relative to the scanned directory, written with a leading slash (`/main.tf`)
  const file = str(check['repo_file_path']) ?? str(check['file_path']);
  const lines = arr(check['file_line_range']);
  const [start, end] = [int(lines[0]), int(lines[1])];
  const path = file ? normalisePath(file.replace(/^\/+/, ''), ctx.root) : undefined;
  const name = str(check['check_name']) ?? id;
  const resource = str(check['resource']);
  // the reason a `#checkov:skip=ID:reason` comment gave
  const reason = suppressed ? str(obj(check['check_result'])?.['suppress_comment']) : undefined;
  ctx.sink.finding({
    tool: CHECKOV.id,
    key: `checkov|${checkType}|${id}|${path ?? ''}|${resource ?? ''}|${start ?? 0}`,
    rule: id,
    title: firstLine(name),
    message: `${id}: ${firstLine(name, 300)}${resource ? ` (resource ${resource})` : ''}`,
    severity: checkovSeverity(check['severity'], ctx),
    category: 'misconfiguration',
    ...(path ? { location: { path, startLine: start || undefined, endLine: end || undefined } } : { target: checkType }),
    suppressed,
    ...(reason ? { justification: reason } : {}),
    cwe: [],
    cve: [],
    helpUri: str(check['guideline']),
  });
}

function readFramework(report: JsonObject, ctx: ParseContext): void {
  const checkType = str(report['check_type']) ?? 'checkov';
  const version = str(obj(report['summary'])?.['checkov_version']);
  if (version) ctx.sink.tool({ ...CHECKOV, version });
  const results = obj(report['results']);
  for (const c of arr(results?.['failed_checks'])) readCheck(c, checkType, false, ctx);
  // checks skipped in the code (`#checkov:skip=`) are kept as suppressed
  for (const c of arr(results?.['skipped_checks'])) readCheck(c, checkType, true, ctx);
  // files Checkov could not parse were not checked: the summary says so, as it does Semgrep's errors
  for (const file of arr(results?.['parsing_errors'])) {
    const name = str(file);
    if (!name) continue;
    // a path by its repository path; anything with a scheme as written (normalising a URL folds its `//`)
    const shown = /^[a-z][a-z0-9+.-]+:\/\//i.test(name) ? name : normalisePath(name, ctx.root);
    ctx.sink.problem(`Checkov (${checkType}) could not parse ${shown}: its checks did not run there.`);
  }
}

/** The summary alone: nothing was scanned, unless it counts failed or skipped checks that it does not list (they would be lost). */
function readSummary(summary: JsonObject, ctx: ParseContext): void {
  ctx.sink.tool({ ...CHECKOV, version: str(summary['checkov_version']) });
  const counted = (['failed', 'skipped'] as const).filter((k) => summary[k] !== 0).map((k) => `${String(summary[k])} ${k}`);
  if (counted.length)
    throw new ReportError(
      ctx.file,
      `is a Checkov summary counting ${counted.join(', ')} checks without listing them; expected a Checkov JSON report (\`-o json\`)`,
    );
}

/** One framework's report, or (several frameworks) one element of Checkov's bare array. */
export function readCheckovElement(item: unknown, index: number, ctx: ParseContext): void {
  if (!isCheckovReport(item))
    throw new ReportError(ctx.file, `element ${index} is not a Checkov report (no check_type); expected a Checkov JSON report`);
  readFramework(obj(item)!, ctx);
}

/** Checkov JSON: one object for one framework, a bare array of them for several. */
export function parseCheckovJson(doc: unknown, ctx: ParseContext): void {
  ctx.sink.tool({ ...CHECKOV });
  if (Array.isArray(doc)) doc.forEach((item, i) => readCheckovElement(item, i, ctx));
  else if (isCheckovSummary(doc)) readSummary(obj(doc)!, ctx);
  else readCheckovElement(doc, 0, ctx);
}

export const checkov: Scanner = {
  tool: CHECKOV,
  input: 'checkov-report',
  formats: "JSON (`-o json`: one framework's object or several frameworks' array) or SARIF",
  severity: "`severity` (set only with a platform key); else HIGH, as Checkov's SARIF states a failed check",
  sarifDriver: /^checkov$/i,
  detect: isCheckovDocument,
  detectElement: isCheckovReport,
  parse: parseCheckovJson,
  readElement: readCheckovElement,
};
