import type { Finding, ToolInfo } from './model.ts';

/** A finding as a parser reads it, before deduplication assigns tools, a fingerprint and its report. */
export type RawFinding = Omit<Finding, 'tools' | 'fingerprint' | 'report'> & {
  tool: string;
  /** The dedupe key (docs/security-scan.md); never contains a raw secret. */
  key: string;
};

/** Where parsers put what they read. */
export interface ReportSink {
  tool(info: ToolInfo): void;
  finding(finding: RawFinding): void;
  /** A raw secret value seen in the report: redacted from every output. */
  secret(value: string | undefined): void;
  /** A problem the tool itself reported (scan errors); shown as warnings. */
  problem(message: string): void;
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

/** CWE ids (`CWE-79`) mentioned in texts such as `CWE-79: Improper Neutralization…` or `external/cwe/cwe-079`. */
export function cweIds(texts: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(CWE)) ids.add(`CWE-${Number(m[1])}`);
    const tag = /^external\/cwe\/cwe-(\d+)$/i.exec(text);
    if (tag) ids.add(`CWE-${Number(tag[1])}`);
  }
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

/** A text of at most `max` characters, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The first line of a text, at most `max` characters. */
export function firstLine(text: string, max = 160): string {
  const end = text.indexOf('\n');
  return truncate((end < 0 ? text : text.slice(0, end)).trim(), max);
}
