/**
 * The normalised finding model shared by every parser, the deduplicator, the gate and the writers.
 * Severity follows the table in docs/security-scan.md: the tool's own label wins over a derived
 * number, labels are read case-insensitively, and merged duplicates keep the highest severity.
 */

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = ['secret', 'sast', 'vulnerability', 'misconfiguration', 'licence', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Location {
  /** Repository-relative path with forward slashes (absolute only when outside the repository). */
  path: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

export interface Finding {
  /**
   * Tool ids that reported it (gitleaks, semgrep, trivy, or a slug of another SARIF driver); the
   * first found it first. Single-tool lists are frozen and shared between findings: replace, never mutate.
   */
  tools: string[];
  rule: string;
  title: string;
  message: string;
  severity: Severity;
  category: Category;
  location?: Location;
  /** What was scanned when there is no file: an image, a package target. */
  target?: string;
  /** `name@version` of the affected package (vulnerabilities, licences). */
  package?: string;
  /** Stable hash of the dedupe key; never derived from a raw secret alone. */
  fingerprint: string;
  /**
   * The baseline fingerprint (ADR-030): a hash of tool, category, rule, file or target, package and
   * the finding's content (secret hash, Semgrep's match id, a normalised snippet), never of line
   * numbers, so a finding that moves is the same finding. Findings of the same `match` are compared
   * as a multiset with the baseline's.
   */
  match: string;
  suppressed: boolean;
  /** Why it is suppressed (a suppressions entry's reason, an ignore file, ignore-unfixed); written as the SARIF suppression's justification. */
  justification?: string | undefined;
  cwe: string[];
  cve: string[];
  helpUri?: string;
  /** The report file the finding was first read from. */
  report: string;
}

/** A tool that contributed a report (even one without findings: its SARIF run still closes old alerts). */
export interface ToolInfo {
  id: string;
  name: string;
  version?: string;
  informationUri?: string;
}

const RANK: Record<Severity, number> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, INFO: 0 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The severity of a rank (severityRank's inverse). */
export function severityOfRank(rank: number): Severity {
  return SEVERITIES[4 - rank]!;
}

/**
 * The order of every output, as ten buckets: unsuppressed CRITICAL…INFO (0–4), then suppressed
 * CRITICAL…INFO (5–9), each in the order the findings were read. Every finding of a bucket has
 * the same severity.
 */
export const BUCKETS = 10;

export function bucketOfRank(rank: number, suppressed: boolean): number {
  return (suppressed ? 5 : 0) + 4 - rank;
}

export function bucketOf(finding: Pick<Finding, 'severity' | 'suppressed'>): number {
  return bucketOfRank(RANK[finding.severity], finding.suppressed);
}

export function bucketSeverity(bucket: number): Severity {
  return SEVERITIES[bucket % 5]!;
}

/** The number written as SARIF `security-severity` for each canonical severity. */
export const SECURITY_SEVERITY: Record<Severity, string> = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0', INFO: '0.0' };

/** The SARIF `level` written for each canonical severity. */
export const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note' | 'none'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  INFO: 'none',
};

const LABELS: Record<string, Severity> = {
  CRITICAL: 'CRITICAL',
  HIGH: 'HIGH',
  ERROR: 'HIGH',
  MEDIUM: 'MEDIUM',
  MODERATE: 'MEDIUM',
  WARNING: 'MEDIUM',
  LOW: 'LOW',
  INFO: 'LOW',
  NEGLIGIBLE: 'INFO',
  EXPERIMENT: 'INFO',
  INVENTORY: 'INFO',
  UNKNOWN: 'INFO',
};

/**
 * A tool's own severity label (Semgrep `extra.severity`, Trivy `Severity`), case-insensitive.
 * Note Semgrep's INFO is LOW while Trivy has no INFO label (its UNKNOWN is INFO).
 */
export function severityFromLabel(label: unknown): Severity | undefined {
  return typeof label === 'string' ? LABELS[label.trim().toUpperCase()] : undefined;
}

/**
 * Labels that a `security-severity` (or another tool's severity field) may hold instead of a
 * number, read case-insensitively (docs/security-scan.md). Unlike Semgrep's own scale, `info` here
 * means INFO.
 */
const SECURITY_LABELS: Record<string, Severity> = {
  CRITICAL: 'CRITICAL',
  HIGH: 'HIGH',
  MEDIUM: 'MEDIUM',
  MODERATE: 'MEDIUM',
  LOW: 'LOW',
  INFO: 'INFO',
  INFORMATIONAL: 'INFO',
  NEGLIGIBLE: 'INFO',
  UNKNOWN: 'INFO',
  NONE: 'INFO',
};

/** A severity label in any case (`High`, `moderate`, `informational`), or undefined when it is not one. */
export function severityFromSecurityLabel(label: unknown): Severity | undefined {
  return typeof label === 'string' ? SECURITY_LABELS[label.trim().toUpperCase()] : undefined;
}

/** Whether a report states a value at all: absent, null and an empty string state nothing. */
export function isStated(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * SARIF `security-severity`: a CVSS-like 0–10 score (number or numeric string) in bands, or a
 * severity label. Undefined when absent or neither (the caller falls through to the next source:
 * an unrecognised value never lowers a finding).
 */
export function severityFromScore(score: unknown): Severity | undefined {
  if (!isStated(score)) return undefined;
  const value =
    typeof score === 'number' ? score : typeof score === 'string' && /^\s*[+]?\d+(?:\.\d+)?\s*$/.test(score) ? Number(score) : NaN;
  if (!Number.isFinite(value) || value > 10) return severityFromSecurityLabel(score);
  if (value >= 9) return 'CRITICAL';
  if (value >= 7) return 'HIGH';
  if (value >= 4) return 'MEDIUM';
  if (value > 0) return 'LOW';
  return 'INFO';
}

/** SARIF `level` (error, warning, note, none), or undefined when absent or not one of them. */
export function severityFromKnownLevel(level: unknown): Severity | undefined {
  switch (level) {
    case 'error':
      return 'HIGH';
    case 'warning':
      return 'MEDIUM';
    case 'note':
      return 'LOW';
    case 'none':
      return 'INFO';
    default:
      return undefined;
  }
}

/** SARIF `level`; an absent level means `warning`, as the SARIF specification says. */
export function severityFromLevel(level: unknown): Severity {
  switch (level) {
    case 'error':
      return 'HIGH';
    case 'note':
      return 'LOW';
    case 'none':
      return 'INFO';
    default:
      return 'MEDIUM';
  }
}

/** Parses a `fail-on` threshold. */
export const THRESHOLDS = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

/** The property this package writes into its own SARIF logs: a file that has it is never read back as input. */
export const OUTPUT_MARKER = 'pipeline-toolkit/security-scan';

/**
 * How the SARIF file begins, with its marker: a later run never reads this file back as input,
 * whatever it is named (load.ts), and knows it at an output's path by these bytes (isOwnOutputHead).
 */
export const SARIF_HEAD = `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","properties":{${JSON.stringify(OUTPUT_MARKER)}:{"written-by":"pipeline-toolkit security-scan"}},"runs":[`;

/** How the findings file begins: empty, or its first finding (see findingsPieces and Finding's first property). */
const FINDINGS_HEAD = /^\[\n(?:\n\]|\{"tools":\[)/;

/** Whether a file that begins with `head` (its first 256 bytes or more) is a SARIF or findings file this package wrote. */
export function isOwnOutputHead(head: string): boolean {
  return head.startsWith(SARIF_HEAD) || FINDINGS_HEAD.test(head);
}

/**
 * A tool id for any SARIF driver: `CodeQL command-line toolchain` → `codeql-command-line-toolchain`.
 * The id folds the name's case: the Aggregator makes it again from the redacted name (redaction
 * comes before folding, see Aggregator.tools).
 */
export function toolSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      // Runs are single dashes now: one at each end at most.
      .replace(/^-/, '')
      .replace(/-$/, '')
      .slice(0, 60) || 'unnamed-tool'
  );
}
