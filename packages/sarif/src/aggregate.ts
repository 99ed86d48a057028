import { hash } from 'node:crypto';
import { visibleControls } from '@pipeline-toolkit/core';
import {
  BUCKETS,
  bucketOf,
  maxSeverity,
  SEVERITIES,
  severityOfRank,
  severityRank,
  toolSlug,
  type Finding,
  type Severity,
  type ToolInfo,
} from './model.ts';
import { RecentCache } from './recent.ts';
import { SecretIndex } from './secrets.ts';
import type { RawFinding, ReportSink } from './sink.ts';

/** Shared by every finding without CWE or CVE ids; never mutated. */
const EMPTY: string[] = [];

/**
 * How many different problems (scan errors) are listed in the summary and the log: a Semgrep run
 * over a large repository may report one per file, thousands, and the job summary holds 1 MiB.
 * The others are counted.
 */
export const PROBLEMS_LISTED = 50;

export type SeverityCounts = Record<Severity, number>;

export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 };
}

const HEX_DIGITS = Buffer.from('0123456789abcdef');
const hexOut = Buffer.allocUnsafe(32);

/**
 * A finding's fingerprint: the first 16 bytes of the sha256 of its dedupe key, in hex. It is also
 * the deduplication map's key (a quarter of the key's size). The hex is written from the digest
 * as a binary string into a reusable buffer: a flat 32-character string at half the cost of a
 * Buffer digest (a slice of the hex digest would keep all 64 characters alive).
 */
export function fingerprintOf(key: string): string {
  const digest = hash('sha256', key, 'binary');
  for (let i = 0; i < 16; i++) {
    const byte = digest.charCodeAt(i);
    hexOut[2 * i] = HEX_DIGITS[byte >> 4]!;
    hexOut[2 * i + 1] = HEX_DIGITS[byte & 15]!;
  }
  return hexOut.toString('latin1', 0, 32);
}

/**
 * A finding's baseline fingerprint (`match`, ADR-030): fingerprintOf tool, category, rule, file
 * (or target), package and the finding's content discriminator (`stable`), never a line or a
 * column. Two findings of one rule in one file with the same content share it; the baseline
 * comparison counts them (a multiset), so neither a move nor a duplicate makes a finding new.
 */
export function matchOf(raw: Pick<RawFinding, 'tool' | 'category' | 'rule' | 'location' | 'target' | 'package' | 'stable'>): string {
  const place = raw.location?.path ?? raw.target ?? '';
  return fingerprintOf(`match/v1|${raw.tool}|${raw.category}|${raw.rule}|${place}|${raw.package ?? ''}|${raw.stable ?? ''}`);
}

/** What deduplication reads and changes of a finding. */
type Mergeable = Pick<Finding, 'tools' | 'severity' | 'suppressed'>;

/** How many redacted ids, paths and links are remembered (#redactOne). */
const IDS_REMEMBERED = 20_000;

/** Up to this many secret findings at one place are searched from the first each time (see #sameSecret). */
const SEARCHED_AT_ONCE = 8;

/**
 * The findings of a shard (a second thread that read the later reports, see parallel/README.md), as the
 * coordinator needs them to deduplicate: one entry per finding, in the order they were found.
 */
export interface Handover {
  fingerprints: string[];
  /** The finding's tool ids, joined by newlines. */
  tools: string[];
  rules: string[];
  /** Whether the finding has a place in the SARIF file (see output.ts and parallel/README.md). */
  placed: Uint8Array;
  severities: Uint8Array;
  suppressed: Uint8Array;
  /** Secret findings with a location (cross-tool deduplication): their index, path and start line. */
  secrets: { index: number; path: string; line: number }[];
}

/** The tool ids of a handed-over finding. */
export function handedTools(h: Handover, i: number): string[] {
  const text = h.tools[i]!;
  return text.includes('\n') ? text.split('\n') : [text];
}

/** The first tool id of a handed-over finding (its SARIF run). */
export function handedTool(h: Handover, i: number): string {
  const text = h.tools[i]!;
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}

/** What became of each finding of a Handover: merged into another (-1), or kept with this severity rank, suppression and tools. */
export interface Verdict {
  severities: Int8Array;
  suppressed: Uint8Array;
  /** Kept findings whose tool list grew, by index. */
  tools: [number, string[]][];
}

export interface AggregatorOptions {
  /**
   * Merge a secret found by two tools at the same place (default true). A shard leaves it to the
   * coordinator, which sees the earlier reports too.
   */
  secretsAcrossTools?: boolean;
}

/**
 * Collects findings from every report and deduplicates them: within a tool by the tool's key, and
 * across tools for secrets by (path, start line). A duplicate keeps the highest severity and
 * adds its tool to the list. Raw secrets are collected so that nothing is written unredacted.
 */
/** Findings left out by skip-paths: tool id → glob → count. */
export type SkippedPaths = Record<string, Record<string, number>>;

export class Aggregator implements ReportSink {
  readonly secrets = new SecretIndex();
  /** The problems the tools reported (scan errors): the first PROBLEMS_LISTED different ones, in order. */
  readonly problems: string[] = [];
  /** Every problem reported, repeats included. */
  problemReports = 0;
  /** A different problem came when the list was full. */
  problemsCut = false;
  readonly #found: string[] = [];
  readonly #tools = new Map<string, ToolInfo>();
  readonly #byKey = new Map<string, Mergeable>();
  /** Secret findings by path, then start line: across tools, the same place is the same secret. */
  readonly #secretsAt = new Map<string, Map<number, Mergeable[]>>();
  /**
   * For the places searched (#sameSecret), per tool, where the search for a finding the tool has
   * not reported goes on: made on the first search there (most places are never searched).
   */
  readonly #searchedFrom = new Map<Mergeable[], Map<string, number>>();
  /**
   * The tools of the secret findings (#secretAt) when they were registered. A tool list only
   * grows, so while this holds one tool alone, every finding there lists it: a secret of that tool
   * has no other tool's to merge with, and its place is not looked up (one report of tens of
   * thousands of leaks, the common case, pays no lookup per leak).
   */
  readonly #secretTools = new Set<string>();
  /**
   * Secret findings not yet in #secretsAt, in the order found. Until a place is first looked up
   * (a second tool's secret), none needs to be found by its place, so they are indexed then, all
   * at once (most scans never index them).
   */
  #unplaced: { path: string; line: number; finding: Mergeable }[] | undefined = [];
  readonly #findings: Finding[] = [];
  readonly #strings = new Map<string, string>();
  /** In front of #strings; alone for messages, which mostly differ (a table of them would cost more than it saves). */
  readonly #recent = new RecentCache<string>(12);
  readonly #lists = new Map<string, string[]>();
  readonly #toolLists = new Map<string, string[]>();
  readonly #secretsAcrossTools: boolean;
  #report = '';
  #dirty = false;
  #finished = false;
  /** How many findings, from the first, have their texts redacted (see redactTexts). */
  #redacted = 0;
  /** Secrets registered after texts were redacted: those texts are checked for them again. */
  #late: SecretIndex | undefined;
  /** The texts before redaction, of findings whose texts redaction changed. */
  readonly #originals = new Map<Finding, FindingTexts>();
  /** Ids, paths and links already redacted, with the number of secrets known then. */
  readonly #ids = new Map<string, string>();
  #idsRedactedWith = 0;
  readonly #toolIds = new WeakMap<string[], { secrets: number; ids: string[] }>();
  #toolIdsChecked: { at: string; change: boolean } | undefined;

  constructor(options: AggregatorOptions = {}) {
    this.#secretsAcrossTools = options.secretsAcrossTools ?? true;
  }

  /** Names the report file that the following findings come from. */
  startReport(file: string): void {
    this.#report = file;
  }

  tool(info: ToolInfo): void {
    const known = this.#tools.get(info.id);

    if (!known)
      this.#tools.set(info.id, {
        ...info,
        name: visibleControls(info.name),
        ...(info.version ? { version: visibleControls(info.version) } : {}),
      });
    else if (!known.version && info.version) known.version = info.version;
  }

  secret(value: string | undefined): void {
    const added = this.secrets.add(value);
    if (added === undefined) return;
    this.#found.push(added);
    if (this.#redacted) this.#lateSecrets([added]);
  }

  /** The secrets this Aggregator's own reports gave (not those another thread handed over), in order. */
  get foundSecrets(): readonly string[] {
    return this.#found;
  }

  /** Registers the secrets another thread's Aggregator found (its secrets.values()). */
  addSecrets(values: readonly string[]): void {
    this.#lateSecrets(this.secrets.addAll(values));
  }

  #lateSecrets(added: readonly string[]): void {
    if (!added.length || !this.#redacted) return;
    this.#late ??= new SecretIndex();
    this.#late.addAll(added);
  }

  problem(message: string): void {
    this.problemReports++;
    // a tool's own text: its invisible and control characters shown, as in the findings' texts
    this.#listProblem(visibleControls(message));
  }

  /** Lists a problem unless listed already (a look through at most PROBLEMS_LISTED). */
  #listProblem(message: string): void {
    if (this.problems.includes(message)) return;
    if (this.problems.length < PROBLEMS_LISTED) this.problems.push(message);
    else this.problemsCut = true;
  }

  /**
   * Takes in the problems another thread's reports gave (read after these): the list and the
   * count end as if this thread had read them.
   */
  addProblems(other: { problems: readonly string[]; problemReports: number; problemsCut: boolean }): void {
    for (const message of other.problems) this.#listProblem(message);
    this.problemReports += other.problemReports;
    this.problemsCut ||= other.problemsCut;
  }

  /** Findings left out by skip-paths, by tool id, then by the glob that matched (as the reports list them, before deduplication). */
  readonly skippedPaths: SkippedPaths = {};

  skipped(tool: string, glob: string, count = 1): void {
    const byGlob = (this.skippedPaths[tool] ??= {});
    byGlob[glob] = (byGlob[glob] ?? 0) + count;
  }

  /** Takes in another thread's skip-paths counts. */
  addSkipped(other: SkippedPaths): void {
    for (const [tool, byGlob] of Object.entries(other)) for (const [glob, n] of Object.entries(byGlob)) this.skipped(tool, glob, n);
  }

  finding(raw: RawFinding): void {
    this.fingerprinted(raw, fingerprintOf(raw.key));
  }

  /** A finding whose fingerprint (fingerprintOf its key) was computed elsewhere. */
  fingerprinted(raw: RawFinding, fingerprint: string): void {
    if (this.#finished) throw new Error('Aggregator.finding() called after finish()');
    const byKey = this.#byKey.get(fingerprint);
    const existing = byKey ?? this.#sameSecret(raw.tool, raw.category === 'secret' ? raw.location : undefined);
    if (existing) {
      merge(existing, [raw.tool], raw.severity, raw.suppressed);
      if (!byKey) this.#byKey.set(fingerprint, existing);
      return;
    }
    const intern = this.#intern;
    if (raw.location) raw.location.path = intern(raw.location.path);
    // Every finding has every property, in one order: one hidden class for all of them.
    const finding: Finding = {
      tools: this.#toolList(raw.tool),
      rule: intern(raw.rule),
      title: this.#recently(raw.title),
      message: this.#recently(raw.message),
      severity: raw.severity,
      category: raw.category,
      location: raw.location,
      target: raw.target === undefined ? undefined : intern(raw.target),
      package: raw.package === undefined ? undefined : this.#recently(raw.package),
      fingerprint,
      match: matchOf(raw),
      suppressed: raw.suppressed,
      // a reason from a report or an ignore file: shown, and redacted, as every text of a report
      justification: raw.justification === undefined ? undefined : intern(raw.justification),
      cwe: this.#list(raw.cwe),
      cve: this.#list(raw.cve),
      helpUri: raw.helpUri === undefined ? undefined : this.#recently(raw.helpUri),
      report: this.#report,
    };
    this.#byKey.set(fingerprint, finding);
    this.#findings.push(finding);
    this.#dirty = true;
    if (finding.category === 'secret' && finding.location) this.#secretAt(finding.location.path, finding.location.startLine ?? 0, finding);
  }

  #secretAt(path: string, line: number, finding: Mergeable): void {
    if (!this.#secretsAcrossTools) return;
    for (const tool of finding.tools) this.#secretTools.add(tool);
    if (this.#unplaced) this.#unplaced.push({ path, line, finding });
    else this.#place(path, line, finding);
  }

  #place(path: string, line: number, finding: Mergeable): void {
    let lines = this.#secretsAt.get(path);
    if (!lines) this.#secretsAt.set(path, (lines = new Map()));
    const list = lines.get(line);
    if (list) list.push(finding);
    else lines.set(line, [finding]);
  }

  /**
   * Every text of a finding passes through #intern or #recently, which make control, bidi and
   * zero-width characters visible (core's visibleControls) once per distinct text.
   *
   * One copy of each repeated text: JSON parsing gives every occurrence its own string, and
   * 100,000 findings repeat the same rules, paths and targets (the table remembers all of them).
   */
  readonly #intern = (text: string): string => {
    const recent = this.#recent.get(text);
    if (recent !== undefined) return recent;
    let known = this.#strings.get(text);
    if (known === undefined) this.#strings.set(text, (known = visibleControls(text)));
    this.#recent.set(text, known);
    return known;
  };

  /**
   * A copy of a text seen recently, else the text: for texts that are often unique (messages,
   * a vulnerability's title, link and package) and otherwise repeat close together (one rule's
   * results, one CVE in several targets), where a table of every one would cost more than it saves.
   */
  readonly #recently = (text: string): string => {
    const recent = this.#recent.get(text);
    if (recent !== undefined) return recent;
    const shown = visibleControls(text);
    this.#recent.set(text, shown);
    return shown;
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
  #sameSecret(tool: string, at: { path: string; startLine?: number } | undefined): Mergeable | undefined {
    if (!at || (this.#secretTools.size <= 1 && (this.#secretTools.size === 0 || this.#secretTools.has(tool)))) return undefined;
    if (this.#unplaced) {
      for (const { path, line, finding } of this.#unplaced) this.#place(path, line, finding);
      this.#unplaced = undefined;
    }
    const findings = this.#secretsAt.get(at.path)?.get(at.startLine ?? 0);
    if (!findings || findings.length <= SEARCHED_AT_ONCE) return findings?.find((f) => !f.tools.includes(tool));
    // the first finding there that the tool has not reported; the ones before it listed the tool
    // at the last look, and still do (tool lists only grow), so the search goes on from there:
    // thousands of secrets on one line found by two tools take linear time, not quadratic
    let from = this.#searchedFrom.get(findings);
    if (!from) this.#searchedFrom.set(findings, (from = new Map()));
    let i = from.get(tool) ?? 0;
    while (i < findings.length && findings[i]!.tools.includes(tool)) i++;
    from.set(tool, i);
    return findings[i];
  }

  /** The shard side: its findings in the order found, for the coordinator's absorb(). */
  handover(placed: (finding: Finding) => boolean): Handover {
    const n = this.#findings.length;
    const h: Handover = {
      fingerprints: [],
      tools: [],
      rules: [],
      placed: new Uint8Array(n),
      severities: new Uint8Array(n),
      suppressed: new Uint8Array(n),
      secrets: [],
    };
    for (const [i, f] of this.#findings.entries()) {
      h.fingerprints.push(f.fingerprint);
      h.tools.push(f.tools.join('\n'));
      h.rules.push(f.rule);
      h.placed[i] = placed(f) ? 1 : 0;
      h.severities[i] = severityRank(f.severity);
      h.suppressed[i] = f.suppressed ? 1 : 0;
      if (f.category === 'secret' && f.location) h.secrets.push({ index: i, path: f.location.path, line: f.location.startLine ?? 0 });
    }
    return h;
  }

  /**
   * The coordinator side: deduplicates a shard's findings against these, exactly as if the shard's
   * reports had been read here after the others. A shard's finding is tracked by a stand-in that
   * takes later duplicates like a finding; the verdict says which were kept and how they ended.
   */
  absorb(h: Handover): Verdict {
    const n = h.fingerprints.length;
    // the shard's findings as they end: severity rank (-1 once merged into another), suppression, grown tool lists
    const severities = Int8Array.from(h.severities);
    const suppressed = Uint8Array.from(h.suppressed);
    const grown = new Map<number, string[]>();
    const toolsOf = (j: number) => grown.get(j) ?? handedTools(h, j);
    // its findings by fingerprint, and stand-ins for its secrets (found by place across tools)
    const units = new Map<string, number>();
    const standIns = new Map<Mergeable, number>();
    const standInOf = new Map<number, Mergeable>();
    const secretAt = new Map(h.secrets.map((s) => [s.index, s]));
    for (let i = 0; i < n; i++) {
      const fingerprint = h.fingerprints[i]!;
      const tools = handedTools(h, i);
      const rank = h.severities[i]!;
      const hidden = h.suppressed[i] === 1;
      const found = this.#byKey.get(fingerprint);
      const unit = found ? undefined : units.get(fingerprint);
      const at = secretAt.get(i);
      const existing = found ?? (unit === undefined ? this.#sameSecret(tools[0]!, at && { path: at.path, startLine: at.line }) : undefined);
      if (unit !== undefined) {
        // a duplicate of an earlier finding of the shard, by fingerprint
        severities[i] = -1;
        const standIn = standInOf.get(unit);
        if (standIn) merge(standIn, tools, severityOfRank(rank), hidden);
        else {
          severities[unit] = Math.max(severities[unit]!, rank);
          suppressed[unit] = suppressed[unit]! & (hidden ? 1 : 0);
          const known = toolsOf(unit);
          const missing = tools.filter((t) => !known.includes(t));
          if (missing.length) grown.set(unit, [...known, ...missing]);
        }
      } else if (existing) {
        severities[i] = -1;
        merge(existing, tools, severityOfRank(rank), hidden);
        const owner = standIns.get(existing);
        if (owner !== undefined) units.set(fingerprint, owner);
        else if (!found) this.#byKey.set(fingerprint, existing);
      } else {
        units.set(fingerprint, i);
        if (at) {
          const standIn: Mergeable = { tools, severity: severityOfRank(rank), suppressed: hidden };
          standIns.set(standIn, i);
          standInOf.set(i, standIn);
          this.#secretAt(at.path, at.line, standIn);
        }
      }
    }
    for (const [standIn, i] of standIns) {
      severities[i] = severityRank(standIn.severity);
      suppressed[i] = standIn.suppressed ? 1 : 0;
      if (standIn.tools.length > toolsOf(i).length) grown.set(i, standIn.tools);
    }
    this.#dirty = true;
    return { severities, suppressed, tools: [...grown] };
  }

  /** The shard side: keeps the findings the coordinator kept, as they ended. */
  applyVerdict(verdict: Verdict): void {
    const tools = new Map(verdict.tools);
    const kept: Finding[] = [];
    let redacted = 0;
    for (const [i, f] of this.#findings.entries()) {
      const rank = verdict.severities[i]!;
      if (rank < 0) continue;
      if (i < this.#redacted) redacted++;
      f.severity = severityOfRank(rank);
      f.suppressed = verdict.suppressed[i] === 1;
      const grown = tools.get(i);
      if (grown) f.tools = grown;
      kept.push(f);
    }
    this.#findings.splice(0, this.#findings.length, ...kept);
    this.#redacted = redacted;
    this.#dirty = true;
  }

  /** The tools that contributed, their fields redacted with every secret known now. */
  get tools(): ToolInfo[] {
    const r = (t: string | undefined) => (t === undefined ? undefined : this.secrets.redact(t));
    return [...this.#tools.values()].map((t) => ({
      id: this.#redactToolId(t.id),
      name: r(t.name)!,
      ...(t.version !== undefined ? { version: r(t.version) } : {}),
      ...(t.informationUri !== undefined ? { informationUri: r(t.informationUri) } : {}),
    }));
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
    this.#unplaced = [];
    this.#searchedFrom.clear();
    this.#secretTools.clear();
    this.#originals.clear();
    this.#strings.clear();
    this.#recent.clear();
    this.#lists.clear();
    return findings;
  }

  /**
   * The deduplicated findings, most severe first, with every text redacted (registered secrets and
   * secret-like patterns). Redaction runs here, once, after all reports are read, because a secret
   * found in a later report may appear in an earlier report's message.
   */
  findings(): Finding[] {
    this.redactTexts();
    if (this.#dirty) {
      const buckets: Finding[][] = Array.from({ length: BUCKETS }, () => []);
      for (const f of this.#findings) buckets[bucketOf(f)]!.push(f);
      // the buckets' order (model.ts), stable
      let i = 0;
      for (const bucket of buckets) for (const f of bucket) this.#findings[i++] = f;
      this.#dirty = false;
    }
    return this.#findings;
  }

  /**
   * Redacts the findings' texts with the secrets known so far (findings() calls it), for example
   * while another thread still reads. Secrets that arrive later are looked for in the texts
   * redacted before them, and only texts that contain one are redacted again, from their
   * originals: the result is exactly that of redacting once with every secret.
   */
  redactTexts(): void {
    const late = this.#late;
    this.#late = undefined;
    for (let i = 0; late && i < this.#redacted; i++) {
      const f = this.#findings[i]!;
      const texts = this.#originals.get(f) ?? textsOf(f);
      if (this.#holdsSecret(texts, late)) this.#redact(f, texts);
    }
    for (let i = this.#redacted; i < this.#findings.length; i++) {
      const f = this.#findings[i]!;
      this.#redact(f, textsOf(f));
    }
    this.#redacted = this.#findings.length;
    // tool ids that joined redacted findings later (a duplicate's, a shard's verdict) as read
    if (this.#toolIdsChange()) for (const f of this.#findings) f.tools = this.#redactTools(f.tools);
    // redaction may have renamed a tool (a driver name holding a secret): places are searched anew
    this.#searchedFrom.clear();
  }

  /** Whether redaction changes any tool id (rarely: a driver name holding a secret); remembered until a tool or secret arrives. */
  #toolIdsChange(): boolean {
    const at = `${this.#tools.size}|${this.secrets.size}`;
    if (this.#toolIdsChecked?.at !== at)
      this.#toolIdsChecked = { at, change: [...this.#tools.keys()].some((id) => this.#redactToolId(id) !== id) };
    return this.#toolIdsChecked.change;
  }

  /**
   * A shard's hand-over with its tools and rules as the outputs name them: redacted with every
   * secret known here, as the shard redacts its own findings before it renders them (the same in
   * both threads once both know every secret). Tens of thousands of entries, far fewer distinct
   * ones: each is redacted once.
   */
  asRendered(h: Handover): Handover {
    return {
      ...h,
      tools: eachDistinct(h.tools, (ids) =>
        ids
          .split('\n')
          .map((id) => this.#redactToolId(id))
          .join('\n'),
      ),
      rules: eachDistinct(h.rules, (rule) => this.#redactOne(rule)!),
    };
  }

  /** The tools as the reports named them, unredacted: for the other thread, which redacts them with every secret. */
  get toolsAsRead(): ToolInfo[] {
    return [...this.#tools.values()].map((t) => ({ ...t }));
  }

  /** Redacts one string (ids and paths repeat across findings: those are remembered until a secret arrives). */
  #redactOne(text: string | undefined): string | undefined {
    if (text === undefined || text.length < 4) return text;
    if (this.#idsRedactedWith !== this.secrets.size) {
      this.#ids.clear();
      this.#idsRedactedWith = this.secrets.size;
    }
    let known = this.#ids.get(text);
    if (known === undefined) {
      known = this.secrets.redact(text);
      // a full table starts again, rather than stop taking texts: the ones that repeat (a report's
      // name, rules, links) are back at once, where tens of thousands of one-off paths filled it
      if (this.#ids.size >= IDS_REMEMBERED) this.#ids.clear();
      this.#ids.set(text, known);
    }
    return known;
  }

  /**
   * A tool id made from a driver name (toolSlug) folds its case: it is made again from the
   * redacted name, and then redacted as folded text, so that no letter case of a secret remains.
   */
  #redactToolId(id: string): string {
    const name = this.#tools.get(id)?.name;
    let folded = id;
    if (name !== undefined && toolSlug(name) === id) {
      const redacted = this.secrets.redact(name);
      if (redacted !== name) folded = toolSlug(redacted);
    }
    return this.secrets.redactFolded(folded);
  }

  /** Tool ids, redacted as the tools getter's: one list per shared list (again when a secret arrives). */
  #redactTools(tools: string[]): string[] {
    const secrets = this.secrets.size;
    let known = this.#toolIds.get(tools);
    if (known?.secrets !== secrets) {
      const redacted = tools.map((t) => this.#redactToolId(t));
      known = { secrets, ids: redacted.every((t, i) => t === tools[i]) ? tools : (Object.freeze(redacted) as string[]) };
      this.#toolIds.set(tools, known);
    }
    return known.ids;
  }

  /** Whether a finding's texts (its tools by their names) hold one of `late`'s secrets. */
  #holdsSecret(texts: FindingTexts, late: SecretIndex): boolean {
    const [tools, ...rest] = texts;
    return (
      rest.some((t) => t !== undefined && late.containsSecret(t)) ||
      tools.some((id) => late.containsSecret(this.#tools.get(id)?.name ?? id))
    );
  }

  #redact(f: Finding, texts: FindingTexts): void {
    const secrets = this.secrets;
    const [tools, title, message, target, rule, path, helpUri, pkg, report, justification] = texts;
    f.title = secrets.redact(title);
    f.message = secrets.redact(message);
    f.target = this.#redactOne(target);
    f.rule = this.#redactOne(rule)!;
    f.tools = this.#redactTools(tools);
    f.helpUri = this.#redactOne(helpUri);
    f.package = this.#redactOne(pkg);
    f.report = this.#redactOne(report)!;
    f.justification = this.#redactOne(justification);
    if (f.location && path !== undefined) {
      const redacted = this.#redactOne(path)!;
      if (redacted !== f.location.path) f.location = { ...f.location, path: redacted };
    }
    const changed = f.title !== title || f.message !== message || f.target !== target || f.rule !== rule || f.tools !== tools;
    if (
      (changed ||
        f.helpUri !== helpUri ||
        f.package !== pkg ||
        f.location?.path !== path ||
        f.report !== report ||
        f.justification !== justification) &&
      !this.#originals.has(f)
    )
      this.#originals.set(f, texts);
  }
}

/** Every text of a finding that came from a report (and the tools, by id), in the order #redact takes them. */
type FindingTexts = [
  tools: string[],
  title: string,
  message: string,
  target: string | undefined,
  rule: string,
  path: string | undefined,
  helpUri: string | undefined,
  pkg: string | undefined,
  report: string,
  justification: string | undefined,
];

/** `texts` mapped by `map`, which is called once per distinct text. */
function eachDistinct(texts: readonly string[], map: (text: string) => string): string[] {
  const known = new Map<string, string>();
  for (const text of new Set(texts)) known.set(text, map(text));
  return texts.map((text) => known.get(text)!);
}

function textsOf(f: Finding): FindingTexts {
  return [f.tools, f.title, f.message, f.target, f.rule, f.location?.path, f.helpUri, f.package, f.report, f.justification];
}

/** A duplicate was found: the finding keeps the highest severity, stays suppressed only if both were, and lists every tool once. */
function merge(existing: Mergeable, tools: readonly string[], severity: Severity, suppressed: boolean): void {
  existing.severity = maxSeverity(existing.severity, severity);
  existing.suppressed &&= suppressed;
  for (const tool of tools) if (!existing.tools.includes(tool)) existing.tools = [...existing.tools, tool];
}

/** Counts of every finding: unsuppressed per severity and per tool × severity, suppressed, total unsuppressed. */
export interface FindingCounts {
  bySeverity: SeverityCounts;
  suppressed: number;
  total: number;
  byTool: Map<string, SeverityCounts>;
}

/** Adds counts of more findings (a shard's) to these. */
export function addCounts(into: FindingCounts, more: FindingCounts): void {
  for (const s of SEVERITIES) into.bySeverity[s] += more.bySeverity[s];
  into.suppressed += more.suppressed;
  into.total += more.total;
  for (const [tool, counts] of more.byTool) {
    const row = into.byTool.get(tool);
    if (!row) into.byTool.set(tool, { ...counts });
    else for (const s of SEVERITIES) row[s] += counts[s];
  }
}

/** Every count of the findings: countFindings and countByTool (`tools` first in the table, in order). */
export function countAll(findings: readonly Finding[], tools: readonly ToolInfo[]): FindingCounts {
  return { ...countFindings(findings), byTool: countByTool(findings, tools) };
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
  const rowOf = (tool: string) => {
    let row = table.get(tool);
    if (!row) table.set(tool, (row = emptyCounts()));
    return row;
  };
  // most findings share their tool list (one per tool, see Aggregator): its rows are looked up once per run of it
  let listed: readonly string[] | undefined;
  let rows: SeverityCounts[] = [];
  for (const f of findings) {
    if (f.suppressed) continue;
    if (f.tools !== listed) rows = (listed = f.tools).map(rowOf);
    for (const row of rows) row[f.severity]++;
  }
  return table;
}
