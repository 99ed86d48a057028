import { hash } from 'node:crypto';
import { arr, int, obj, str, ReportError, type JsonObject } from '../json.ts';
import { severityFromSecurityLabel, type Severity } from '../model.ts';
import { isRepositoryPath, normalisePath, treeFilesOf } from '../paths.ts';
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

/** Whether a repository path names a regular file of the scanned repository (the context's root). */
const checkovTreeFile = (ctx: ParseContext) => treeFilesOf(ctx, ctx.root);

/** A path Checkov writes, relative to where it ran or to what it scanned with a leading slash (`/main.tf`), as a repository path. */
const relativePath = (value: string | undefined, root: string) =>
  value === undefined ? undefined : normalisePath(value.replace(/^\/+/, ''), root);

/**
 * The repository file a check is about. Checkov gives three paths, and one may be wrong:
 * `repo_file_path` (relative to the git repository, or to where Checkov ran), `file_path`
 * (relative to the scanned directory; the kubernetes framework's to where Checkov ran) and
 * `file_abs_path`. The kubernetes framework of `checkov -d deploy` doubles the scanned directory
 * in `repo_file_path` and `file_abs_path` (`/deploy/deploy/k8s/pod.yaml`, 2.5.20 and 3.3.30);
 * `cd infra && checkov -d .` writes `/main.tf` in both relative paths. So, the first that can be
 * known right: `file_abs_path` when it names a file of the repository, else the first of
 * `repo_file_path`, `file_path` that does; none existing (the tree is not here), `file_abs_path`
 * when it lies in the repository, else `repo_file_path` or `file_path` as written.
 */
function checkovPath(check: JsonObject, ctx: ParseContext): string | undefined {
  const absolute = str(check['file_abs_path']);
  const inRepository = absolute === undefined ? undefined : normalisePath(absolute, ctx.root);
  const candidates = [
    inRepository !== undefined && isRepositoryPath(inRepository) ? inRepository : undefined,
    relativePath(str(check['repo_file_path']), ctx.root),
    relativePath(str(check['file_path']), ctx.root),
  ].filter((p): p is string => p !== undefined);
  const exists = checkovTreeFile(ctx);
  return candidates.find(exists) ?? candidates[0];
}

/**
 * A path of Checkov's SARIF, which gives `repo_file_path` alone: where it names no file of the
 * repository and doubles its first directories (`deploy/deploy/k8s/pod.yaml`, the kubernetes
 * framework of `checkov -d deploy`), the path without the doubling when that is a file. `cd infra
 * && checkov -d .` (`main.tf` for `infra/main.tf`) cannot be told from the SARIF.
 */
export function checkovSarifPath(p: string, ctx: ParseContext): string {
  const exists = checkovTreeFile(ctx);
  if (!isRepositoryPath(p) || exists(p)) return p;
  const parts = p.split('/');
  for (let n = 1; 2 * n < parts.length; n++) {
    if (parts.slice(0, n).join('/') !== parts.slice(n, 2 * n).join('/')) continue;
    const undoubled = parts.slice(n).join('/');
    if (exists(undoubled)) return undoubled;
  }
  return p;
}

/** Checkov's `secrets` framework: its checks are secrets (CKV_SECRET_*), read as Gitleaks' and Trivy's are. */
const SECRETS = 'secrets';

/** The message of a secret found by Checkov, from its JSON or its SARIF, in the words of the other secret readers. */
export function checkovSecretMessage(id: string, name: string): string {
  return `Secret detected by rule ${id} (${firstLine(name, 120)}). Rotate it and remove it from the code and the history.`;
}

/** Whether a SARIF rule id is one of Checkov's secret checks (its `secrets` framework). */
export const isCheckovSecretRule = (id: string): boolean => /^CKV_SECRET_\d+$/.test(id);

/**
 * The lines a secret finding quotes (`code_block`: `[[line, text], …]`). Checkov 2.5 and later
 * mask the secret there (`"AKIAQ**********"`); 2.0 wrote it as it is.
 */
function codeLines(check: JsonObject): { line: number | undefined; text: string }[] {
  return arr(check['code_block']).map((entry) => {
    const pair = arr(entry);
    return { line: int(pair[0]), text: str(pair[1]) ?? '' };
  });
}

/** A masked value as Checkov writes it: its first characters, then asterisks. */
const MASKED = /\*{4,}/;

/**
 * The secret a code line of Checkov's shows unmasked (2.0 did), added to the secrets redacted from
 * every output: `resource` is the SHA-1 of the secret (detect-secrets' hashed_secret), so the
 * value is the token of the line with that hash. When none has it, the line itself, as Gitleaks'
 * Match is. A masked line holds no secret.
 */
export function addCodeSecrets(lines: readonly { text: string }[], resource: string | undefined, ctx: ParseContext): void {
  for (const { text } of lines) {
    const line = text.trim();
    if (!line || MASKED.test(line)) continue;
    const tokens = [...line.matchAll(/"([^"]*)"|'([^']*)'|([^\s"'=:,;(){}[\]]+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
    const secret = resource ? tokens.find((t) => t && hash('sha1', t) === resource) : undefined;
    ctx.sink.secret(secret ?? line);
  }
}

function readCheck(item: unknown, checkType: string, suppressed: boolean, ctx: ParseContext): void {
  const check = obj(item);
  const id = str(check?.['check_id']);
  if (!check || !id) return;
  const path = checkovPath(check, ctx);
  const lines = arr(check['file_line_range']);
  const [start, end] = [int(lines[0]), int(lines[1])];
  const name = str(check['check_name']) ?? id;
  const resource = str(check['resource']);
  // the reason a `#checkov:skip=ID:reason` comment gave
  const reason = suppressed ? str(obj(check['check_result'])?.['suppress_comment']) : undefined;
  const base = {
    tool: CHECKOV.id,
    key: `checkov|${checkType}|${id}|${path ?? ''}|${resource ?? ''}|${start ?? 0}`,
    rule: id,
    title: firstLine(name),
    severity: checkovSeverity(check['severity'], ctx),
    suppressed,
    ...(reason ? { justification: reason } : {}),
    cve: [],
    helpUri: str(check['guideline']),
  };
  if (checkType === SECRETS) {
    const code = codeLines(check);
    addCodeSecrets(code, resource, ctx);
    // `file_line_range` of a one-line secret ends a line after it ([3, 4]): the lines are the code block's
    const last = code.reduce(
      (n, { line }) => (line !== undefined && start !== undefined && line >= start ? Math.max(n, line) : n),
      start ?? 0,
    );
    ctx.sink.finding({
      ...base,
      // the resource is the SHA-1 of the secret: kept out of every text, it only tells secrets apart
      message: checkovSecretMessage(id, name),
      category: 'secret',
      ...(path ? { location: { path, startLine: start || undefined, endLine: last || undefined } } : { target: checkType }),
      stable: resource ? `secret:${hash('sha256', resource).slice(0, 24)}` : '',
      cwe: ['CWE-798'],
    });
    return;
  }
  ctx.sink.finding({
    ...base,
    message: `${id}: ${firstLine(name, 300)}${resource ? ` (resource ${resource})` : ''}`,
    category: 'misconfiguration',
    ...(path ? { location: { path, startLine: start || undefined, endLine: end || undefined } } : { target: checkType }),
    cwe: [],
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
