import { hash } from 'node:crypto';
import { cutText } from '@pipeline-toolkit/core';
import type { Finding, ToolInfo } from './model.ts';

/** A finding as a parser reads it, before deduplication assigns tools, a fingerprint and its report. */
export type RawFinding = Omit<Finding, 'tools' | 'fingerprint' | 'match' | 'report'> & {
  tool: string;
  /** The dedupe key (docs/security-scan.md); never contains a raw secret. */
  key: string;
  /**
   * What tells this finding apart from others of its rule in the same file without a line number:
   * a hash of the secret, Semgrep's match-based id, a hash of the normalised snippet (see matchOf).
   */
  stable?: string;
  /** A vulnerability without a fixed version (input ignore-unfixed). */
  unfixed?: boolean;
  /** What Trivy's ignore files are matched against, for a finding of Trivy's JSON (see TrivyMatch). */
  trivy?: TrivyMatch;
};

/**
 * What Trivy matches its ignore files against (pkg/result/filter.go), kept from its JSON report:
 * the ids an entry may name, in the order Trivy tries them (absent: the rule; a misconfiguration's
 * ID, AVDID and aliases; a licence's name), the paths an entry's globs are tried on (a Result's
 * Target as Trivy wrote it, then a vulnerability's PkgPath; a licence's FilePath), and a
 * vulnerability's package URL (PkgIdentifier.PURL).
 */
export interface TrivyMatch {
  ids?: readonly string[];
  paths: readonly string[];
  purl?: string;
}

/** Where parsers put what they read. */
export interface ReportSink {
  tool(info: ToolInfo): void;
  finding(finding: RawFinding): void;
  /** A raw secret value seen in the report: redacted from every output. */
  secret(value: string | undefined): void;
  /** A problem the tool itself reported (scan errors); shown as warnings. */
  problem(message: string): void;
  /** A finding of `tool` left out because its path matched the skip-paths glob `glob` (counted in the summary). */
  skipped?(tool: string, glob: string): void;
}

export interface ParseContext {
  /** The report file, as named in messages. */
  file: string;
  /** The repository root that paths are made relative to. */
  root: string;
  sink: ReportSink;
  /** Gitleaks fingerprints listed in the repository's .gitleaksignore: such leaks are kept as suppressed. */
  gitleaksIgnore?: ReadonlySet<string>;
}

const CWE = /CWE-(\d+)/gi;
const CVE = /\b(?:CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3})\b/gi;

/**
 * The CWE ids of texts met before: a rule's CWE texts repeat in every one of its results. Short
 * texts only, and at most CWE_MEMO_SIZE of them, so that the memo never holds much of a report.
 */
const cweMemo = new Map<string, string[]>();
const CWE_MEMO_SIZE = 4096;
const CWE_MEMO_LENGTH = 256;

/** The CWE ids of one text, remembered when short (the list is then shared: never mutated). */
function cweIdsOf(text: string): string[] {
  const memo = text.length <= CWE_MEMO_LENGTH;
  let ids = memo ? cweMemo.get(text) : undefined;
  if (ids !== undefined) return ids;
  const found = new Set<string>();
  for (const m of text.matchAll(CWE)) found.add(`CWE-${Number(m[1])}`);
  const tag = /^external\/cwe\/cwe-(\d+)$/i.exec(text);
  if (tag) found.add(`CWE-${Number(tag[1])}`);
  ids = [...found];
  if (!memo) return ids;
  if (cweMemo.size >= CWE_MEMO_SIZE) cweMemo.clear();
  cweMemo.set(text, ids);
  return ids;
}

/**
 * CWE ids (`CWE-79`) mentioned in texts such as `CWE-79: Improper Neutralization…` or
 * `external/cwe/cwe-079`. The list may be shared with other findings: never mutated.
 */
export function cweIds(texts: readonly string[]): string[] {
  if (texts.length === 1) return cweIdsOf(texts[0]!);
  const ids = new Set<string>();
  for (const text of texts) for (const id of cweIdsOf(text)) ids.add(id);
  return [...ids];
}

/** An id already in canonical CVE form (Trivy's VulnerabilityID, a SARIF rule id). */
const CANONICAL_CVE = /^CVE-\d{4}-\d{4,}$/;

/** CVE and GHSA ids mentioned in texts. */
export function cveIds(texts: readonly string[]): string[] {
  if (texts.length === 1 && CANONICAL_CVE.test(texts[0]!)) return [texts[0]!];
  const ids = new Set<string>();
  for (const text of texts) {
    // canonical forms: CVE-2021-44228, GHSA-57j2-w4cx-62h2
    for (const [id] of text.matchAll(CVE)) ids.add(/^cve/i.test(id) ? id.toUpperCase() : `GHSA${id.slice(4).toLowerCase()}`);
  }
  return [...ids];
}

/**
 * A content discriminator for the baseline fingerprint (RawFinding.stable): a short hash of a
 * snippet with its white space collapsed, so re-indenting or moving it changes nothing.
 */
export function snippetHash(text: string | undefined): string {
  const normal = text?.replace(/\s+/g, ' ').trim();
  return normal ? hash('sha256', normal).slice(0, 24) : '';
}

/** A text of at most `max` characters, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  // Cut between grapheme clusters: a lone surrogate would make the SARIF invalid UTF-8.
  return cutText(text, max);
}

/** The first line of a text, at most `max` characters. */
export function firstLine(text: string, max = 160): string {
  const clean = cleanText(text).trimStart();
  const end = clean.indexOf('\n');
  return truncate((end < 0 ? clean : clean.slice(0, end)).trim(), max);
}

const warned = new WeakMap<ReportSink, Set<string>>();

/**
 * Lists a severity value that is neither a number nor a known label as a warning (once per tool,
 * field and value, at most 20 per run): the finding took its severity from the next source.
 */
export function unrecognisedSeverity(ctx: ParseContext, tool: string, field: string, value: unknown, used: string): void {
  let seen = warned.get(ctx.sink);
  if (!seen) warned.set(ctx.sink, (seen = new Set()));
  const shown = typeof value === 'string' ? value.slice(0, 40) : JSON.stringify(value)?.slice(0, 40);
  const key = `${tool}|${field}|${shown}`;
  if (seen.has(key) || seen.size >= 20) return;
  seen.add(key);
  ctx.sink.problem(
    `${tool}: ${field} ${JSON.stringify(shown)} is neither a number nor a known severity label; the severity came from ${used}.`,
  );
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const NEEDS_CLEANING = /[&\\\r]/;

/**
 * Text hygiene for every text read from a report: HTML entities decoded (`&#39;`, `&quot;`),
 * literal `\n` / `\r\n` / `\t` escapes that a tool left in its text (Trivy) turned into real ones,
 * CRLF into LF. Control, bidi and zero-width characters are left for the Aggregator, which makes
 * them visible with core's visibleControls, as the log, the summary and Slack do.
 */
export function cleanText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text
    .replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,5}));/gi, (all, dec?: string, hex?: string, name?: string) => {
      const code = dec ? Number(dec) : hex ? parseInt(hex, 16) : undefined;
      if (code !== undefined) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      return ENTITIES[name!.toLowerCase()] ?? all;
    })
    .replace(/\\r\\n|\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\r\n?/g, '\n');
}
