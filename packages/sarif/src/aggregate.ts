import { hash } from 'node:crypto';
import { compareFindings, maxSeverity, SEVERITIES, type Finding, type Severity, type ToolInfo } from './model.ts';
import { SecretIndex } from './secrets.ts';
import type { RawFinding, ReportSink } from './sink.ts';

/** Shared by every finding without CWE or CVE ids; never mutated. */
const EMPTY: string[] = [];

export type SeverityCounts = Record<Severity, number>;

export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 };
}

/**
 * A finding's fingerprint: the first 16 bytes of the sha256 of its dedupe key, in hex. It is also
 * the deduplication map's key (a quarter of the key's size). Hex of the first 16 bytes is one flat
 * string (a slice of the full hex digest would keep the digest alive behind it).
 */
export function fingerprintOf(key: string): string {
  return hash('sha256', key, 'buffer').toString('hex', 0, 16);
}

/**
 * Collects findings from every report and deduplicates them: within a tool by the tool's key, and
 * across tools for secrets by (path, start line). A duplicate keeps the highest severity and
 * adds its tool to the list. Raw secrets are collected so that nothing is written unredacted.
 */
export class Aggregator implements ReportSink {
  readonly secrets = new SecretIndex();
  readonly problems: string[] = [];
  readonly #tools = new Map<string, ToolInfo>();
  readonly #byKey = new Map<string, Finding>();
  readonly #secretsAt = new Map<string, Finding[]>();
  readonly #findings: Finding[] = [];
  readonly #strings = new Map<string, string>();
  readonly #lists = new Map<string, string[]>();
  readonly #toolLists = new Map<string, string[]>();
  #report = '';
  #dirty = false;
  #finished = false;

  /** Names the report file that the following findings come from. */
  startReport(file: string): void {
    this.#report = file;
  }

  tool(info: ToolInfo): void {
    const known = this.#tools.get(info.id);
    if (!known) this.#tools.set(info.id, { ...info });
    else if (!known.version && info.version) known.version = info.version;
  }

  secret(value: string | undefined): void {
    if (!value) return;
    this.secrets.add(value);
    this.#dirty = true;
  }

  problem(message: string): void {
    if (!this.problems.includes(message)) this.problems.push(message);
  }

  finding(raw: RawFinding): void {
    this.fingerprinted(raw, fingerprintOf(raw.key));
  }

  /** A finding whose fingerprint (fingerprintOf its key) was computed elsewhere, for example in another thread. */
  fingerprinted(raw: RawFinding, fingerprint: string): void {
    if (this.#finished) throw new Error('Aggregator.finding() called after finish()');
    const byKey = this.#byKey.get(fingerprint);
    const existing = byKey ?? this.#sameSecret(raw);
    if (existing) {
      existing.severity = maxSeverity(existing.severity, raw.severity);
      existing.suppressed &&= raw.suppressed;
      if (!existing.tools.includes(raw.tool)) existing.tools = [...existing.tools, raw.tool];
      if (!byKey) this.#byKey.set(fingerprint, existing);
      return;
    }
    const intern = this.#intern;
    if (raw.location) raw.location.path = intern(raw.location.path);
    // Every finding has every property, in one order: one hidden class for all of them.
    const finding: Finding = {
      tools: this.#toolList(raw.tool),
      rule: intern(raw.rule),
      title: intern(raw.title),
      message: raw.message,
      severity: raw.severity,
      category: raw.category,
      location: raw.location,
      target: raw.target === undefined ? undefined : intern(raw.target),
      package: raw.package,
      fingerprint,
      suppressed: raw.suppressed,
      cwe: this.#list(raw.cwe),
      cve: this.#list(raw.cve),
      helpUri: raw.helpUri === undefined ? undefined : intern(raw.helpUri),
      report: this.#report,
    };
    this.#byKey.set(fingerprint, finding);
    this.#findings.push(finding);
    this.#dirty = true;
    if (finding.category === 'secret' && finding.location) {
      const at = `${finding.location.path}|${finding.location.startLine ?? 0}`;
      const list = this.#secretsAt.get(at);
      if (list) list.push(finding);
      else this.#secretsAt.set(at, [finding]);
    }
  }

  /**
   * One copy of each repeated text: JSON parsing gives every occurrence its own string, and
   * 100,000 findings repeat the same rules, titles, paths and links (messages mostly differ).
   */
  readonly #intern = (text: string): string => {
    const known = this.#strings.get(text);
    if (known !== undefined) return known;
    this.#strings.set(text, text);
    return text;
  };

  /**
   * One frozen `[tool]` list shared by every finding that a single tool reported (most of them);
   * a merged duplicate gets a list of its own.
   */
  #toolList(tool: string): string[] {
    let list = this.#toolLists.get(tool);
    if (!list) this.#toolLists.set(tool, (list = Object.freeze([tool]) as string[]));
    return list;
  }

  #list(items: string[]): string[] {
    if (!items.length) return EMPTY;
    const id = items.join('\n');
    const known = this.#lists.get(id);
    if (known) return known;
    this.#lists.set(id, items);
    return items;
  }

  /** Across tools, a secret at the same path and start line is the same secret (Trivy's and Gitleaks' rule ids differ). */
  #sameSecret(raw: RawFinding): Finding | undefined {
    if (raw.category !== 'secret' || !raw.location) return undefined;
    const list = this.#secretsAt.get(`${raw.location.path}|${raw.location.startLine ?? 0}`);
    return list?.find((f) => !f.tools.includes(raw.tool));
  }

  get tools(): ToolInfo[] {
    return [...this.#tools.values()];
  }

  /**
   * The final findings (as findings()), after which no more are added: the deduplication indexes
   * (a tenth of the memory of 100,000 findings) are dropped before the outputs are written.
   */
  finish(): Finding[] {
    const findings = this.findings();
    this.#finished = true;
    this.#byKey.clear();
    this.#secretsAt.clear();
    this.#strings.clear();
    this.#lists.clear();
    return findings;
  }

  /**
   * The deduplicated findings, most severe first, with every text redacted (registered secrets and
   * secret-like patterns). Redaction runs here, once, after all reports are read, because a secret
   * found in a later report may appear in an earlier report's message.
   */
  findings(): Finding[] {
    if (this.#dirty) {
      for (const f of this.#findings) {
        f.title = this.secrets.redact(f.title);
        f.message = this.secrets.redact(f.message);
        if (f.target) f.target = this.secrets.redact(f.target);
      }
      this.#findings.sort(compareFindings);
      this.#dirty = false;
    }
    return this.#findings;
  }
}

/** Counts of unsuppressed findings per severity, and of suppressed ones. */
export function countFindings(findings: readonly Finding[]): { bySeverity: SeverityCounts; suppressed: number; total: number } {
  const bySeverity = emptyCounts();
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else bySeverity[f.severity]++;
  }
  const total = SEVERITIES.reduce((sum, s) => sum + bySeverity[s], 0);
  return { bySeverity, suppressed, total };
}

/** Unsuppressed counts per tool × severity (a finding reported by two tools counts for both). */
export function countByTool(findings: readonly Finding[], tools: readonly ToolInfo[]): Map<string, SeverityCounts> {
  const table = new Map<string, SeverityCounts>(tools.map((t) => [t.id, emptyCounts()]));
  for (const f of findings) {
    if (f.suppressed) continue;
    for (const tool of f.tools) {
      let row = table.get(tool);
      if (!row) table.set(tool, (row = emptyCounts()));
      row[f.severity]++;
    }
  }
  return table;
}
