import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hash } from 'node:crypto';
import { int, obj, str, strings, ReportError } from '../json.ts';
import type { Severity } from '../model.ts';
import { normalisePath } from '../paths.ts';
import { snippetHash, type ParseContext } from '../sink.ts';
import type { Scanner } from './scanner.ts';

export const GITLEAKS = { id: 'gitleaks', name: 'Gitleaks', informationUri: 'https://github.com/gitleaks/gitleaks' } as const;

/** Hash of a secret for the dedupe key: findings of the same secret in several commits collapse. */
export function secretHash(secret: string | undefined): string {
  return secret ? hash('sha256', secret).slice(0, 24) : '-';
}

/**
 * Gitleaks has no severity: every leak is HIGH, and a rule opts into CRITICAL with a tag
 * (`critical` or `severity:critical` in the rule's `tags` in .gitleaks.toml).
 */
export function gitleaksSeverity(tags: readonly string[]): Severity {
  return tags.some((t) => /^(?:severity[:=])?critical$/i.test(t.trim())) ? 'CRITICAL' : 'HIGH';
}

export interface GitleaksLeak {
  rule: string;
  description?: string;
  /** Undefined for a leak in what `gitleaks stdin` read (its `File` is empty). */
  file: string | undefined;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
  secret?: string;
  tags: string[];
  /** Gitleaks' own fingerprint (`commit:file:rule:line`), as listed in .gitleaksignore. */
  fingerprint?: string;
  /** The matched text (Gitleaks' `Match`): with `--redact` the secret is replaced in it, the text around it stays. */
  context?: string;
}

/** What Gitleaks writes in place of a secret with `--redact` (and older reports: asterisks). */
const REDACTED = /^(?:REDACTED|\*+)$/;

/** The baseline discriminator of a leak: the secret's hash (`hashed`, secretHash of it), or with `--redact` the hash of the text matched around it. */
function leakStable(leak: GitleaksLeak, hashed: string): string {
  if (leak.secret && !REDACTED.test(leak.secret)) return `secret:${hashed}`;
  return leak.context ? `match:${snippetHash(leak.context)}` : '';
}

/** What a leak found by `gitleaks stdin` is in: it names no file (its line is a line of the input). */
const STANDARD_INPUT = 'standard input';

/** Turns one leak (from the JSON or the SARIF report) into a finding; the secret itself never leaves here. */
export function addLeak(leak: GitleaksLeak, ctx: ParseContext): void {
  const ignored = ctx.gitleaksIgnore;
  const path = leak.file === undefined ? undefined : normalisePath(leak.file, ctx.root);
  const title = leak.description ?? leak.rule;
  const line = leak.startLine ?? 0;
  const hashed = secretHash(leak.secret);
  ctx.sink.finding({
    tool: GITLEAKS.id,
    key: `gitleaks|${path ?? ''}|${line}|${leak.rule}|${hashed}`,
    rule: leak.rule,
    title,
    message: leakMessage(leak.rule, leak.description),
    severity: gitleaksSeverity(leak.tags),
    category: 'secret',
    ...(path === undefined
      ? { target: STANDARD_INPUT }
      : { location: { path, startLine: leak.startLine, endLine: leak.endLine, startColumn: leak.startColumn, endColumn: leak.endColumn } }),
    stable: leakStable(leak, hashed),
    ...(ignored !== undefined && ignored.size > 0 && leak.fingerprint !== undefined && isIgnored(leak.fingerprint, ignored)
      ? { suppressed: true, justification: 'Gitleaks: listed in .gitleaksignore' }
      : { suppressed: false }),
    cwe: ['CWE-798'],
    cve: [],
    helpUri: GITLEAKS.informationUri,
  });
}

/** The message of each rule (and the description it was made with): leaks repeat a few rules. */
const messages = new Map<string, { description: string | undefined; message: string }>();

/** The same text for every leak of a rule (one string, not one per leak). */
function leakMessage(rule: string, description: string | undefined): string {
  const known = messages.get(rule);
  if (known && known.description === description) return known.message;
  const message = `Secret detected by rule ${rule}${description ? ` (${description})` : ''}. Rotate it and remove it from the code and the history.`;
  if (known || messages.size < 10_000) messages.set(rule, { description, message });
  return message;
}

/**
 * Whether .gitleaksignore lists a leak's fingerprint, as Gitleaks decides (8.30.1, detect.go): the
 * fingerprint as written, or without its commit (an entry `file:rule:line` covers every commit).
 * A shortened commit is no match for Gitleaks, so it is none here either.
 */
export function isIgnored(fingerprint: string, ignored: ReadonlySet<string>): boolean {
  return ignored.has(fingerprint) || ignored.has(withoutCommit(fingerprint));
}

/**
 * The entries of a .gitleaksignore as Gitleaks reads them: lines trimmed, blank lines and `#`
 * comments skipped, and the file part of a `file:rule:line` or `commit:file:rule:line` entry
 * written with `/` (an entry written on Windows with `\` matches).
 */
export function parseGitleaksIgnore(text: string): string[] {
  const entries: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(':');
    const file = parts.length === 3 ? 0 : parts.length === 4 ? 1 : -1;
    if (file >= 0) parts[file] = parts[file]!.replaceAll('\\', '/');
    entries.push(parts.join(':'));
  }
  return entries;
}

function withoutCommit(fingerprint: string): string {
  const parts = fingerprint.split(':');
  return parts.length >= 4 ? parts.slice(1).join(':') : fingerprint;
}

/** Whether an array element is a Gitleaks leak: v8 (`RuleID`) or v7 (`rule` with `offender`, `file` or `line`). */
export function isGitleaksLeak(item: unknown): boolean {
  const leak = obj(item);
  return !!leak && ('RuleID' in leak || ('rule' in leak && ('offender' in leak || 'file' in leak || 'lineNumber' in leak)));
}

/** Gitleaks 7 wrote its tags as one comma-separated string (`"key, AWS"`). */
function tagsOf(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : strings(value);
}

/** One leak of a Gitleaks JSON report, v8 (`RuleID`, `Secret`, `Match`) or v7 (`rule`, `offender`, `line`); `index` names it in errors. */
export function readGitleaksLeak(item: unknown, index: number, ctx: ParseContext): void {
  const leak = obj(item);
  const rule = str(leak?.['RuleID']) ?? str(leak?.['rule']);
  const file = str(leak?.['File']) ?? str(leak?.['file']);
  // `gitleaks stdin` writes its leaks with an empty File
  if (!leak || !rule || (!file && leak['File'] !== ''))
    throw new ReportError(ctx.file, `finding ${index} has no RuleID (or rule) or File (or file); expected a Gitleaks JSON report`);
  // Secret, offender and Match all count as the secret: each is redacted wherever it appears.
  const secret = str(leak['Secret']) ?? str(leak['offender']);
  ctx.sink.secret(str(leak['Secret']));
  ctx.sink.secret(str(leak['offender']));
  const match = str(leak['Match']);
  if (match?.includes('\n')) for (const line of match.split(/\r?\n/)) ctx.sink.secret(line);
  else ctx.sink.secret(match);
  addLeak(
    {
      rule,
      description: str(leak['Description']),
      file,
      startLine: int(leak['StartLine']) ?? int(leak['lineNumber']),
      endLine: int(leak['EndLine']),
      startColumn: int(leak['StartColumn']),
      endColumn: int(leak['EndColumn']),
      secret,
      tags: tagsOf(leak['Tags'] ?? leak['tags']),
      fingerprint: str(leak['Fingerprint']),
      context: str(leak['Match']),
    },
    ctx,
  );
}

/** Gitleaks `--report-format json`: an array of leaks. */
export function parseGitleaksJson(doc: unknown, ctx: ParseContext): void {
  if (!Array.isArray(doc)) throw new ReportError(ctx.file, 'expected a Gitleaks JSON report (an array of findings)');
  ctx.sink.tool({ ...GITLEAKS });
  doc.forEach((item, index) => readGitleaksLeak(item, index, ctx));
}

/** The configuration written for skip-paths: the repository's own (or Gitleaks' default) extended with an allowlist of the paths. */
const SKIP_CONFIG = 'gitleaks-skip-paths.toml';

/** A glob as the regular expression Gitleaks' allowlist `paths` takes (matched anywhere in the path, so anchored at a separator). */
export function globRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') out += '(?:';
    else if (c === '}') out += ')';
    else if (c === ',' && out.lastIndexOf('(?:') > out.lastIndexOf(')')) out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return `(?:^|/)${out}(?:/.*)?$`;
}

/** TOML literal strings cannot hold `'''`: such a glob is refused by the input's validation first. */
export function skipConfig(workspace: string, skipPaths: readonly string[]): string {
  const own = ['.gitleaks.toml', '.github/.gitleaks.toml'].map((f) => path.join(workspace, f)).find((f) => existsSync(f));
  const extend = own ? `path = ${JSON.stringify(own)}` : 'useDefault = true';
  const paths = skipPaths.map((g) => `  '''${globRegex(g)}''',`).join('\n');
  return `# written by pipeline-toolkit security-scan for skip-paths\n[extend]\n${extend}\n\n[[allowlists]]\ndescription = "skip-paths"\npaths = [\n${paths}\n]\n`;
}

export const gitleaks: Scanner = {
  tool: GITLEAKS,
  input: 'gitleaks-report',
  formats: 'JSON (v7 and v8) or SARIF, also of Betterleaks',
  severity: 'HIGH; CRITICAL when the rule is tagged `critical` or `severity:critical`',
  // Betterleaks, Gitleaks' successor by its author, writes the same reports
  sarifDriver: /^(?:gitleaks|betterleaks)$/i,
  detectElement: isGitleaksLeak,
  parse: parseGitleaksJson,
  readElement: readGitleaksLeak,
  run: {
    command: 'gitleaks',
    summary:
      'gitleaks with --redact (.gitleaksignore and skip-paths applied); on a diff-aware scan only the commits after diff-base (`gitleaks git --log-opts base..HEAD`)',
    args: ({ report, workspace, diffBase, skipPaths = [], workDir }) => [
      ...(diffBase ? ['git', `--log-opts=${diffBase}..HEAD`] : ['dir']),
      '--no-banner',
      '--redact',
      ...(existsSync(path.join(workspace, '.gitleaksignore')) ? ['--gitleaks-ignore-path', path.join(workspace, '.gitleaksignore')] : []),
      ...(skipPaths.length ? ['--config', path.join(workDir ?? path.dirname(report), SKIP_CONFIG)] : []),
      '--exit-code',
      '0',
      '--report-format',
      'json',
      '--report-path',
      report,
      workspace,
    ],
    env: {},
    okExitCodes: [0],
    prepare: async ({ workspace, skipPaths = [], workDir, report }) => {
      if (skipPaths.length) await writeFile(path.join(workDir ?? path.dirname(report), SKIP_CONFIG), skipConfig(workspace, skipPaths));
    },
  },
};
