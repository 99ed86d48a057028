import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { arr, int, obj, str, strings, ReportError, type JsonObject } from '../json.ts';
import { isStated, severityFromLabel, severityFromScore, type Location, type Severity } from '../model.ts';
import { normalisePath } from '../paths.ts';
import { cleanText, cveIds, cweIds, firstLine, snippetHash, truncate, unrecognisedSeverity, type ParseContext } from '../sink.ts';
import type { ExecResult } from '@pipeline-toolkit/core';
import type { Isolated, Scanner, ScannerDeps } from './scanner.ts';

export const SEMGREP = { id: 'semgrep', name: 'Semgrep', informationUri: 'https://semgrep.dev' } as const;

/** Why Semgrep set a finding aside (`extra.is_ignored`): a `nosemgrep` comment on its line. */
export const NOSEMGREP = 'Semgrep: a nosemgrep comment';

/**
 * The environment Semgrep is run in, for a scan or only `--version`: no metrics, and no check of
 * semgrep.dev for a newer release, which Semgrep makes at every start otherwise (a call out of the
 * runner; where there is no network it waits about 95 s before printing even its version).
 */
export const SEMGREP_ENV: Readonly<Record<string, string>> = { SEMGREP_SEND_METRICS: 'off', SEMGREP_ENABLE_VERSION_CHECK: '0' };

/** Semgrep's fingerprint, unless masked (logged-out Semgrep ≥ 1.100 writes "requires login"; test snapshots "0x42"). */
export function usableFingerprint(fingerprint: string | undefined): string | undefined {
  return fingerprint !== undefined && isFingerprint(fingerprint) ? fingerprint : undefined;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);

/**
 * Whether a text reads `^[0-9a-f]{16,}(?:_\d+)?$` (any case): 16 hex digits or more, then maybe an
 * underscore and digits. A loop over its characters, as it runs once per result, and a result's
 * fingerprint is about 130 characters: several times faster than the regular expression.
 */
function isFingerprint(text: string): boolean {
  const n = text.length;
  let i = 0;
  while (i < n && isHex(text.charCodeAt(i))) i++;
  if (i < 16) return false;
  if (i === n) return true;
  if (text.charCodeAt(i) !== 95 || i + 1 === n) return false;
  for (i++; i < n; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** The dedupe key: the fingerprint, else (check_id, path, start, end). */
export function semgrepKey(rule: string, location: Location, fingerprint: string | undefined): string {
  return keyOf(rule, location, usableFingerprint(fingerprint));
}

/** semgrepKey of a fingerprint already checked by usableFingerprint. */
function keyOf(rule: string, location: Location, usable: string | undefined): string {
  if (usable) return `semgrep|${rule}|${location.path}|${usable}`;
  return `semgrep|${rule}|${location.path}|${location.startLine ?? 0}:${location.startColumn ?? 0}|${location.endLine ?? 0}:${location.endColumn ?? 0}`;
}

/**
 * The baseline discriminator: Semgrep's own match-based id (made from the rule, the file and the
 * matched code, not lines), else the matched lines normalised, unless masked ("requires login").
 */
export function semgrepStable(fingerprint: string | undefined, lines: string | undefined): string {
  return stableOf(usableFingerprint(fingerprint), lines);
}

/** semgrepStable of a fingerprint already checked by usableFingerprint. */
function stableOf(usable: string | undefined, lines: string | undefined): string {
  if (usable) return `id:${usable}`;
  return lines && !/^requires login$/i.test(lines.trim()) ? `code:${snippetHash(lines)}` : '';
}

/**
 * A Supply Chain rule's advisory label (`metadata.sca-severity`), then a rule's own
 * `metadata.security-severity` (a score or a label), as Semgrep's SARIF gives it to the rule,
 * which this reads first there too; else Semgrep's label (legacy ERROR/WARNING/INFO or
 * CRITICAL…LOW); anything else is listed and read as MEDIUM.
 */
function semgrepSeverity(value: unknown, ctx: ParseContext, metadata: JsonObject | undefined): Severity {
  const unrecognised: string[] = [];
  let severity: Severity | undefined;
  let source = 'the default (MEDIUM)';
  for (const field of ['sca-severity', 'security-severity']) {
    const stated = metadata?.[field];
    severity = severityFromScore(stated);
    if (severity) {
      source = `extra.metadata.${field}`;
      break;
    }
    if (isStated(stated)) unrecognised.push(field);
  }
  if (!severity) {
    severity = severityFromLabel(value);
    if (severity) source = 'extra.severity';
    else if (value !== undefined && value !== null) unrecognisedSeverity(ctx, 'Semgrep', 'extra.severity', value, source);
  }
  for (const field of unrecognised) unrecognisedSeverity(ctx, 'Semgrep', `extra.metadata.${field}`, metadata?.[field], source);
  return severity ?? 'MEDIUM';
}

function position(value: unknown): { line?: number; col?: number } {
  const p = obj(value);
  return { line: int(p?.['line']), col: int(p?.['col']) };
}

function helpUri(metadata: JsonObject | undefined): string | undefined {
  return str(metadata?.['source']) ?? str(metadata?.['shortlink']) ?? strings(metadata?.['references'])[0];
}

/** One result of a Semgrep JSON report. */
export function readSemgrepResult(item: unknown, index: number, ctx: ParseContext): void {
  const result = obj(item);
  const rule = str(result?.['check_id']);
  const file = str(result?.['path']);
  if (!result || !rule || !file) throw new ReportError(ctx.file, `result ${index} has no check_id or path; expected a Semgrep JSON report`);
  const extra = obj(result['extra']);
  const metadata = obj(extra?.['metadata']);
  const start = position(result['start']);
  const end = position(result['end']);
  const location: Location = {
    path: normalisePath(file, ctx.root),
    startLine: start.line,
    startColumn: start.col,
    endLine: end.line,
    endColumn: end.col,
  };
  const message = cleanText(str(extra?.['message']) ?? rule);
  const fingerprint = usableFingerprint(str(extra?.['fingerprint']));
  const dependency = suppliedPackage(extra);
  ctx.sink.finding({
    tool: SEMGREP.id,
    key: keyOf(rule, location, fingerprint),
    rule,
    title: firstLine(message),
    message,
    severity: semgrepSeverity(extra?.['severity'], ctx, metadata),
    // a Supply Chain finding is a vulnerable dependency: at its use in the code when reachable, else at its lockfile line
    category: dependency ? 'vulnerability' : 'sast',
    location,
    ...(dependency ? { package: dependency } : {}),
    stable: stableOf(fingerprint, str(extra?.['lines'])),
    suppressed: extra?.['is_ignored'] === true,
    ...(extra?.['is_ignored'] === true ? { justification: NOSEMGREP } : {}),
    cwe: cweIds(strings(metadata?.['cwe'])),
    cve: dependency ? cveIds(strings(metadata?.['sca-vuln-database-identifier'])) : [],
    helpUri: helpUri(metadata),
  });
}

/**
 * The dependency a Semgrep Supply Chain finding is about, `name@version`, from `extra.sca_info`
 * (`dependency_match.found_dependency`); undefined for a code finding.
 */
function suppliedPackage(extra: JsonObject | undefined): string | undefined {
  const found = obj(obj(obj(extra?.['sca_info'])?.['dependency_match'])?.['found_dependency']);
  const name = str(found?.['package']);
  return name && `${name}@${str(found?.['version']) ?? ''}`;
}

/** The report apart from its results: the Semgrep version and the errors Semgrep met. */
export function readSemgrepEnvelope(report: JsonObject, ctx: ParseContext): void {
  ctx.sink.tool({ ...SEMGREP, version: str(report['version']) });
  for (const error of arr(report['errors'])) {
    const e = obj(error);
    const message = str(e?.['message']) ?? str(e?.['type']);
    if (message) ctx.sink.problem(`Semgrep ${str(e?.['level']) ?? 'error'}: ${firstLine(message, 300)}`);
  }
}

/** Semgrep `--json`: `{ results: [{ check_id, path, start, end, extra: { message, severity, … } }], errors: […] }`. */
export function parseSemgrepJson(doc: unknown, ctx: ParseContext): void {
  const report = obj(doc);
  if (!report || !Array.isArray(report['results']))
    throw new ReportError(ctx.file, 'expected a Semgrep JSON report (an object with results)');
  readSemgrepEnvelope(report, ctx);
  report['results'].forEach((item, index) => readSemgrepResult(item, index, ctx));
}

/** Semgrep's registry and remote configs (`p/…`, `auto`, URLs) are refused: only local rule files are run. */
/** A path of the workspace relative to it, or undefined when it lies outside. */
function insideWorkspace(workspace: string, file: string): string | undefined {
  const relative = path.relative(workspace, path.resolve(workspace, file));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : undefined;
}

/** A rule file's path for Semgrep: in the private copy when the scan runs there and the file is the workspace's. */
function configIn(workspace: string, config: string, isolatedIn: string | undefined): string {
  const inside = isolatedIn ? insideWorkspace(workspace, config) : undefined;
  return inside !== undefined ? path.join(isolatedIn!, inside) : path.resolve(workspace, config);
}

/** The change's files from the repository root, as they are at HEAD (added, copied, modified, renamed, type-changed). */
async function changedFiles(git: (args: string[]) => Promise<ExecResult>, base: string): Promise<string[]> {
  const { stdout } = await git(['diff', '-z', '--name-only', '--no-relative', '--diff-filter=ACMRT', base, 'HEAD']);
  return stdout.split('\0').filter(Boolean);
}

/** A no-cone sparse-checkout pattern (gitignore syntax) for exactly this repository path: anchored, wildcards and trailing spaces escaped. */
export function exactPattern(file: string): string {
  const escaped = file.replace(/[\\*?[]/g, '\\$&');
  let end = escaped.length;
  while (end > 0 && escaped[end - 1] === ' ') end--;
  return `/${escaped.slice(0, end)}${'\\ '.repeat(escaped.length - end)}`;
}

/**
 * Semgrep's diff-aware scan checks the baseline commit out: in place with `git reset --hard` when
 * the working tree is clean (while Trivy reads the same files side by side), else in a full worktree
 * of its own, which it uses only for a relative target (with an absolute one it scans the current
 * files twice and reports nothing). So it runs in a private worktree of HEAD outside the
 * workspace, at the workspace's place in the repository, and scans `.` there. Semgrep reports only
 * findings in the changed files, so the worktree is sparse: only those files (and .semgrepignore)
 * are checked out, and the copied rule files are ignored through a private excludes file, so that
 * Semgrep finds the tree clean and resets it in place — a cost in proportion to the change. The
 * sparse settings reach git through GIT_CONFIG_* for this worktree's commands and Semgrep's only:
 * the repository's own configuration is not touched. A path git cannot take as a pattern (a line
 * break in its name) gives a full checkout instead.
 */
async function headWorktree(
  workspace: string,
  tree: string,
  configs: readonly string[],
  base: string,
  deps: ScannerDeps,
): Promise<Isolated> {
  const git = (args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
    deps.exec('git', args, { cwd: workspace, timeoutMs: 300_000, ...options });
  const prefix = (await git(['rev-parse', '--show-prefix'])).stdout.trim();
  await rm(tree, { recursive: true, force: true });
  await git(['worktree', 'add', '--detach', '--no-checkout', '--quiet', tree, 'HEAD']);
  const changed = await changedFiles(git, base);
  const sparse = !changed.some((file) => /[\r\n]/.test(file));
  const excludes = `${tree}.exclude`;
  const env: Record<string, string> = sparse
    ? {
        GIT_CONFIG_COUNT: '3',
        GIT_CONFIG_KEY_0: 'core.sparseCheckout',
        GIT_CONFIG_VALUE_0: 'true',
        GIT_CONFIG_KEY_1: 'core.sparseCheckoutCone',
        GIT_CONFIG_VALUE_1: 'false',
        GIT_CONFIG_KEY_2: 'core.excludesFile',
        GIT_CONFIG_VALUE_2: excludes,
      }
    : {};
  if (sparse) {
    const patterns = path.resolve(tree, (await git(['rev-parse', '--git-path', 'info/sparse-checkout'], { cwd: tree })).stdout.trim());
    await mkdir(path.dirname(patterns), { recursive: true });
    await writeFile(patterns, ['.semgrepignore', ...changed.map(exactPattern)].join('\n') + '\n');
  }
  await git(['read-tree', '-mu', 'HEAD'], { cwd: tree, env });
  const dir = path.resolve(tree, prefix);
  // The rule files as the workspace has them (untracked, like the toolkit's bundled rules, or
  // changed), at the same place: Semgrep prefixes each rule id with its file's path from the
  // working directory, so the ids stay those of a full scan and the baseline still matches.
  const copied: string[] = [];
  for (const config of configs) {
    const inside = insideWorkspace(workspace, config);
    if (inside === undefined) continue;
    await cp(path.resolve(workspace, config), path.join(dir, inside), { recursive: true, force: true });
    copied.push(exactPattern(path.relative(tree, path.join(dir, inside)).split(path.sep).join('/')));
  }
  await writeFile(excludes, copied.map((pattern) => `${pattern}\n`).join(''));
  return {
    dir,
    env,
    cleanup: async () => {
      await git(['worktree', 'remove', '--force', tree]);
      await rm(excludes, { force: true });
    },
  };
}

/** How many of a failed run's errors are told, and how much of each. */
const FAILURE_ERRORS = 5;
const FAILURE_MESSAGE_CHARS = 400;
/** A report larger than this is not read for its errors (a failed run writes a small one). */
const FAILURE_REPORT_BYTES = 16 * 1024 * 1024;

/** One of the `errors` of a Semgrep report, on one line: `type: message (file:line, rule id)`. */
export function semgrepErrorLine(error: unknown): string | undefined {
  const e = obj(error);
  if (!e) return undefined;
  // `type` is a name, or for some errors a list starting with it (`["PartialParsing", [...]]`)
  const type = str(e['type']) ?? str(arr(e['type'])[0]);
  const text = str(e['message']) ?? str(e['long_msg']) ?? str(e['short_msg']);
  if (!type && !text) return undefined;
  const message = text
    ?.split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
  const span = obj(arr(e['spans'])[0]);
  const file = str(span?.['file']) ?? str(e['path']);
  const line = int(obj(span?.['start'])?.['line']);
  const where = [file ? `${file}${line ? `:${line}` : ''}` : undefined, str(e['rule_id']) ? `rule ${str(e['rule_id'])}` : undefined].filter(
    Boolean,
  );
  // `Rule parse error: Rule parse error in rule …` says it once
  const said = message ? (type && !message.startsWith(type) ? `${type}: ` : '') + truncate(message, FAILURE_MESSAGE_CHARS) : type;
  return `${said}${where.length ? ` (${where.join(', ')})` : ''}`;
}

/**
 * Why a Semgrep run failed: with `--quiet --json --output` it says so only in its report's
 * `errors` (an invalid rule file, an unknown language…). Errors come before warnings (a file it
 * could not parse); the first few are told. Undefined when the report has none (then its output is).
 */
export async function explainSemgrepFailure(report: string, _result: ExecResult): Promise<string | undefined> {
  let doc: JsonObject | undefined;
  try {
    if ((await stat(report)).size > FAILURE_REPORT_BYTES) return undefined;
    doc = obj(JSON.parse(await readFile(report, 'utf8')));
  } catch {
    return undefined; // no report, or not one Semgrep finished writing
  }
  const errors = arr(doc?.['errors']);
  const ordered = [...errors.filter((e) => obj(e)?.['level'] !== 'warn'), ...errors.filter((e) => obj(e)?.['level'] === 'warn')];
  const lines = ordered.map(semgrepErrorLine).filter((line): line is string => line !== undefined);
  if (!lines.length) return undefined;
  const more = lines.length > FAILURE_ERRORS ? [`… and ${lines.length - FAILURE_ERRORS} more in ${report}`] : [];
  return [
    `Semgrep reports ${lines.length === 1 ? 'this error' : `${lines.length} errors`}:`,
    ...lines.slice(0, FAILURE_ERRORS).map((l) => `- ${l}`),
    ...more,
  ].join('\n');
}

export const REMOTE_SEMGREP_CONFIG = /^(?:p\/|r\/|s\/|auto$|https?:)/;

export const semgrep: Scanner = {
  tool: SEMGREP,
  input: 'semgrep-report',
  formats: 'JSON or SARIF, also of Opengrep',
  severity:
    "a Supply Chain rule's `metadata.sca-severity`, else the rule's `metadata.security-severity` (a score or a label) when it states one; else `extra.severity` (ERROR/WARNING/INFO or CRITICAL…LOW); else MEDIUM",
  // Opengrep, Semgrep's fork, writes the same reports ("Opengrep OSS")
  sarifDriver: /^(?:semgrep|opengrep)\b/i,
  detect: (o) => Array.isArray(o['results']) && ('errors' in o || 'paths' in o || 'version' in o),
  parse: parseSemgrepJson,
  stream: {
    key: 'results',
    element: (element, index, _envelope, ctx) => readSemgrepResult(element, index, ctx),
    envelope: readSemgrepEnvelope,
  },
  run: {
    command: 'semgrep',
    summary:
      'semgrep with the local rule files of semgrep-config, skip-paths as --exclude and metrics off; on a diff-aware scan only what the change introduced (`--baseline-commit`, run in a private sparse worktree of HEAD holding the changed files, so that the workspace is never checked out to the base)',
    args: ({ report, workspace, semgrepConfig, diffBase, skipPaths = [], isolatedIn }) => [
      'scan',
      ...semgrepConfig.flatMap((c) => ['--config', configIn(workspace, c, isolatedIn)]),
      ...(diffBase ? ['--baseline-commit', diffBase] : []),
      '--json',
      '--output',
      report,
      '--metrics',
      'off',
      '--disable-version-check',
      '--quiet',
      // .semgrepignore at the scanned root is Semgrep's own; skip-paths are added to it
      ...skipPaths.flatMap((glob) => ['--exclude', glob]),
      // in its private copy (isolate) Semgrep scans `.`: it checks the baseline out relative to
      // its working directory, and an absolute target would keep pointing at the current files
      isolatedIn ? '.' : workspace,
    ],
    isolate: ({ workspace, diffBase, workDir, report, semgrepConfig }, deps) =>
      diffBase
        ? headWorktree(workspace, path.join(workDir ?? path.dirname(report), 'semgrep-head'), semgrepConfig, diffBase, deps)
        : Promise.resolve(undefined),
    env: SEMGREP_ENV,
    // its parallel scan uses `--jobs` threads (default: 0.85 × the cores it detects; its help
    // warns that more threads than CPUs slow the scan with garbage-collection latency)
    cores: (n) => ({ args: ['--jobs', String(n)] }),
    okExitCodes: [0, 1],
    explainFailure: explainSemgrepFailure,
    skip: ({ semgrepConfig }) =>
      semgrepConfig.length ? undefined : 'semgrep is on PATH but semgrep-config names no local rule files; semgrep is skipped.',
  },
};
