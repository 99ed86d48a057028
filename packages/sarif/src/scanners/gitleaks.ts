import { hash } from 'node:crypto';
import { int, obj, str, strings, ReportError } from '../json.ts';
import type { Severity } from '../model.ts';
import { normalisePath } from '../paths.ts';
import type { ParseContext } from '../sink.ts';
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
  file: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
  secret?: string;
  tags: string[];
  /** Gitleaks' own fingerprint (`commit:file:rule:line`), as listed in .gitleaksignore. */
  fingerprint?: string;
}

/** Turns one leak (from the JSON or the SARIF report) into a finding; the secret itself never leaves here. */
export function addLeak(leak: GitleaksLeak, ctx: ParseContext): void {
  const ignored = ctx.gitleaksIgnore;
  const path = normalisePath(leak.file, ctx.root);
  const title = leak.description ?? leak.rule;
  const line = leak.startLine ?? 0;
  ctx.sink.finding({
    tool: GITLEAKS.id,
    key: `gitleaks|${path}|${line}|${leak.rule}|${secretHash(leak.secret)}`,
    rule: leak.rule,
    title,
    message: leakMessage(leak.rule, leak.description),
    severity: gitleaksSeverity(leak.tags),
    category: 'secret',
    location: { path, startLine: leak.startLine, endLine: leak.endLine, startColumn: leak.startColumn, endColumn: leak.endColumn },
    suppressed:
      ignored !== undefined &&
      ignored.size > 0 &&
      leak.fingerprint !== undefined &&
      (ignored.has(leak.fingerprint) || ignored.has(withoutCommit(leak.fingerprint))),
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
  if (!leak || !rule || !file)
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

export const gitleaks: Scanner = {
  tool: GITLEAKS,
  input: 'gitleaks-report',
  formats: 'JSON (v7 and v8) or SARIF',
  severity: 'HIGH; CRITICAL when the rule is tagged `critical` or `severity:critical`',
  sarifDriver: /^gitleaks$/i,
  detectElement: isGitleaksLeak,
  parse: parseGitleaksJson,
  readElement: readGitleaksLeak,
  run: {
    command: 'gitleaks',
    summary: 'gitleaks with --redact; on a diff-aware scan only the commits after diff-base (`gitleaks git --log-opts base..HEAD`)',
    args: ({ report, workspace, diffBase }) => [
      ...(diffBase ? ['git', `--log-opts=${diffBase}..HEAD`] : ['dir']),
      '--no-banner',
      '--redact',
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
  },
};
