import {
  BUCKETS,
  bucketOf,
  bucketSeverity,
  maxSeverity,
  SARIF_HEAD,
  severityRank,
  type Finding,
  type Location,
  type Severity,
  type ToolInfo,
} from './model.ts';
import { writeTextFile, type TextFile } from './text-file.ts';
import {
  driverJson,
  findingJson,
  GITHUB_LIMITS,
  placement,
  resultJson,
  ruleJson,
  sanitizeId,
  type RuleSource,
  type SarifOptions,
  type SarifStats,
} from './writer.ts';

/**
 * The SARIF and findings files, written by one or two shards (threads that each read some of the
 * reports, see parallel/README.md). Both files list findings in the order of the ten buckets of equal
 * severity (model.ts): a SARIF run's results and the findings file are sequences
 * of segments — one bucket of one shard — and every shard renders its own segments. A plan made
 * from the shards' descriptions (counts and rules per segment, no findings) decides which results
 * fit GitHub's limits and numbers the rules, so that the files are byte for byte those of one
 * shard that read every report.
 */

/** The first finding of a rule in a segment: `at` is its index there; `source` when the describer has the finding. */
export interface RuleFirst {
  id: string;
  at: number;
  source?: RuleSource;
}

export interface SegmentDescription {
  count: number;
  /** The segment's rules in the order they first appear. */
  rules: RuleFirst[];
}

/** What the plan needs to know of a shard: no findings, only counts and rules. */
export interface ShardDescription {
  /** SARIF runs (by tool id) in the order their first finding appears, each with one segment per bucket. */
  runs: { tool: string; segments: SegmentDescription[] }[];
  /** Findings per bucket (the findings file lists them all). */
  buckets: number[];
  /** Findings without a file location whose report lies outside the repository: not in the SARIF file. */
  unlocated: number;
}

/**
 * A segment of the findings file: one shard's bucket, whole. The separators between segments are
 * text of the file, so a shard renders its segments before the plan exists.
 */
export interface EntrySegment {
  shard: number;
  bucket: number;
  count: number;
}

/** A segment of a SARIF run: the first `count` findings of one shard's bucket. `first`: nothing precedes it in the run. */
export interface PlannedSegment extends EntrySegment {
  first: boolean;
}

/** A rule of a run: numbered in the order rules first appear; its entry is written from that first result (`source`, filled in once its shard has it). */
export interface PlannedRule {
  id: string;
  severity: Severity;
  first: { shard: number; bucket: number; at: number };
  source?: RuleSource;
}

export interface PlannedRun {
  tool: ToolInfo;
  rules: PlannedRule[];
  segments: PlannedSegment[];
}

export interface OutputPlan {
  categoryPrefix: string;
  runs: PlannedRun[];
  /** The findings file's segments. */
  entries: EntrySegment[];
  stats: SarifStats;
}

interface RunSegments {
  findings: Finding[][];
  places: Location[][];
}

/**
 * The loops that write a segment's results and entries, in functions of their own that end with
 * the loop: V8 optimises a long loop while it runs (on-stack replacement) and keeps that code for
 * the next segment, unless the code after the loop sends it back to the interpreter, as reading
 * the file's position there did at the end of every segment (the loop was then compiled again).
 */
function writeResults(out: TextFile, run: PlannedRun, segment: PlannedSegment, list: readonly Finding[], where: readonly Location[]): void {
  const indexes = ruleIndexes(run);
  for (let i = 0; i < segment.count; i++) {
    const f = list[i]!;
    const index = indexes.get(f.rule)!;
    out.writeBetween(i || !segment.first ? ',' : '', resultJson(f, where[i]!, index, run.rules[index]!.severity), '\n');
  }
}

function writeEntries(out: TextFile, list: readonly Finding[]): void {
  for (let i = 0; i < list.length; i++) out.writeBetween(i ? ',\n' : '', findingJson(list[i]!), '');
}

/** One shard's findings (sorted, redacted: Aggregator.findings()) arranged by SARIF run and bucket. */
export class ShardOutput {
  readonly #runs = new Map<string, RunSegments>();
  readonly #buckets: Finding[][] = Array.from({ length: BUCKETS }, () => []);
  #unlocated = 0;

  constructor(findings: readonly Finding[], root: string) {
    const reports = new Map<string, Location | undefined>();
    for (const f of findings) {
      const bucket = bucketOf(f);
      this.#buckets[bucket]!.push(f);
      const where = placement(f, root, reports);
      if (!where) {
        this.#unlocated++;
        continue;
      }
      // a finding reported by several tools goes to the run of the first
      let run = this.#runs.get(f.tools[0]!);
      if (!run) {
        run = { findings: Array.from({ length: BUCKETS }, () => []), places: Array.from({ length: BUCKETS }, () => []) };
        this.#runs.set(f.tools[0]!, run);
      }
      run.findings[bucket]!.push(f);
      run.places[bucket]!.push(where);
    }
  }

  /** The findings by bucket (model.ts), each in order. */
  get buckets(): readonly (readonly Finding[])[] {
    return this.#buckets;
  }

  describe(): ShardDescription {
    const runs = [...this.#runs].map(([tool, run]) => ({
      tool,
      segments: run.findings.map((list) => {
        const seen = new Set<string>();
        const rules: RuleFirst[] = [];
        for (const [at, f] of list.entries()) {
          if (seen.has(f.rule)) continue;
          seen.add(f.rule);
          rules.push({ id: f.rule, at, source: ruleSource(f) });
        }
        return { count: list.length, rules };
      }),
    }));
    return { runs, buckets: this.#buckets.map((b) => b.length), unlocated: this.#unlocated };
  }

  /**
   * Writes this shard's segments of the files given, in file order; with `skeleton`, the text
   * around them too (a single shard writes the files straight). Returns each segment's size in bytes.
   */
  render(plan: OutputPlan, shard: number, out: { sarif?: TextFile; findings?: TextFile }, skeleton: boolean): Sizes {
    const sizes: Sizes = { sarif: [], findings: [] };
    const { sarif, findings } = out;
    if (sarif) {
      for (const piece of skeleton ? sarifPieces(plan) : sarifSegments(plan)) {
        if (typeof piece === 'string') sarif.write(piece);
        else if (piece.segment.shard === shard) sizes.sarif.push(this.#results(sarif, piece.run, piece.segment));
      }
    }
    if (findings && !skeleton) sizes.findings = this.renderEntries(findings);
    else if (findings) {
      for (const piece of findingsPieces(plan)) {
        if (typeof piece === 'string') findings.write(piece);
        else if (piece.shard === shard) sizes.findings.push(this.#entries(findings, piece.bucket));
      }
    }
    return sizes;
  }

  /** One segment of a run's results; returns its size. */
  #results(out: TextFile, run: PlannedRun, segment: PlannedSegment): number {
    const start = out.position;
    const { findings, places } = this.#runs.get(run.tool.id)!;
    writeResults(out, run, segment, findings[segment.bucket]!, places[segment.bucket]!);
    return out.position - start;
  }

  /** One segment of the findings file (a whole bucket, without a separator before it); returns its size. */
  #entries(out: TextFile, bucket: number): number {
    const start = out.position;
    writeEntries(out, this.#buckets[bucket]!);
    return out.position - start;
  }

  /**
   * This shard's segments of the findings file, in order: every bucket that has findings (the
   * plan's entries of this shard, known before the plan). Returns their sizes in bytes.
   */
  renderEntries(out: TextFile): number[] {
    const sizes: number[] = [];
    for (const [bucket, list] of this.#buckets.entries()) if (list.length) sizes.push(this.#entries(out, bucket));
    return sizes;
  }

  /** The entries of the rules that first appear in this shard's segments, in plan order (see fillSources). */
  ruleSources(plan: OutputPlan, shard: number): RuleSource[] {
    const sources: RuleSource[] = [];
    for (const run of plan.runs) {
      for (const rule of run.rules) {
        if (rule.first.shard !== shard) continue;
        const f = this.#runs.get(run.tool.id)!.findings[rule.first.bucket]![rule.first.at]!;
        sources.push(ruleSource(f));
      }
    }
    return sources;
  }
}

/** Gives the rules that first appear in a shard's segments their entries (from ShardOutput.ruleSources). */
export function fillSources(plan: OutputPlan, shard: number, sources: readonly RuleSource[]): void {
  let next = 0;
  for (const run of plan.runs) for (const rule of run.rules) if (rule.first.shard === shard) rule.source = sources[next++];
}

const ruleSource = (f: Finding): RuleSource => ({ title: f.title, helpUri: f.helpUri, category: f.category, cwe: f.cwe });

const indexesOf = new WeakMap<PlannedRun, Map<string, number>>();
function ruleIndexes(run: PlannedRun): Map<string, number> {
  let indexes = indexesOf.get(run);
  if (!indexes) indexesOf.set(run, (indexes = new Map(run.rules.map((r, i) => [r.id, i]))));
  return indexes;
}

/** Each file's segment sizes in bytes, in the order a shard rendered them. */
export interface Sizes {
  sarif: number[];
  findings: number[];
}

/** The two files: the outputs, or the temporary files a shard renders its segments into. */
export interface OutputFiles {
  sarif: string;
  findings: string;
}

/** Renders a shard's segments into `files` (to be assembled), or with `skeleton` the whole files. */
export function renderFiles(output: ShardOutput, plan: OutputPlan, shard: number, files: OutputFiles, skeleton: boolean): Sizes {
  return writeTextFile(files.sarif, (sarif) =>
    writeTextFile(files.findings, (findings) => output.render(plan, shard, { sarif, findings }, skeleton)),
  );
}

/**
 * Which results go into the SARIF file and how its rules are numbered, from the shards'
 * descriptions in report order: one run per tool (`tools` first, in order), at most 25,000
 * results per run keeping the most severe, at most 20 runs keeping the most severe, rules in the
 * order they first appear with the highest severity of their results.
 */
export function planOutputs(
  descriptions: readonly ShardDescription[],
  tools: readonly ToolInfo[],
  options: { categoryPrefix: string; maxResultsPerRun?: number },
): OutputPlan {
  const limit = Math.min(options.maxResultsPerRun ?? GITHUB_LIMITS.resultsPerRun, GITHUB_LIMITS.resultsPerRun);
  const stats: SarifStats = { runs: 0, results: 0, overLimit: 0, unlocated: 0, droppedRuns: [] };
  // one run per tool, even without results (its run still closes the tool's old alerts)
  const info = new Map(tools.map((t) => [t.id, t]));
  for (const d of descriptions) for (const run of d.runs) if (!info.has(run.tool)) info.set(run.tool, { id: run.tool, name: run.tool });
  const runs: PlannedRun[] = [...info.keys()].map((id) => {
    const run: PlannedRun = { tool: info.get(id)!, rules: [], segments: [] };
    const rules = new Map<string, PlannedRun['rules'][number]>();
    let left = limit;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      for (const [shard, d] of descriptions.entries()) {
        const segment = d.runs.find((r) => r.tool === id)?.segments[bucket];
        if (!segment?.count) continue;
        const count = Math.min(segment.count, left);
        left -= count;
        stats.overLimit += segment.count - count;
        if (!count) continue;
        run.segments.push({ shard, bucket, count, first: run.segments.length === 0 });
        const severity = bucketSeverity(bucket);
        for (const rule of segment.rules) {
          if (rule.at >= count) break;
          const known = rules.get(rule.id);
          if (known) known.severity = maxSeverity(known.severity, severity);
          else rules.set(rule.id, { id: rule.id, severity, first: { shard, bucket, at: rule.at }, source: rule.source });
        }
      }
    }
    run.rules = [...rules.values()];
    return run;
  });
  const results = (run: PlannedRun) => run.segments.reduce((sum, s) => sum + s.count, 0);
  if (runs.length > GITHUB_LIMITS.runs) {
    const worst = (run: PlannedRun) => (run.segments[0] ? severityRank(bucketSeverity(run.segments[0].bucket)) : -1);
    runs.sort((a, b) => worst(b) - worst(a));
  }
  for (const dropped of runs.splice(GITHUB_LIMITS.runs)) {
    stats.droppedRuns.push(dropped.tool.id);
    stats.overLimit += results(dropped);
  }
  stats.runs = runs.length;
  stats.results = runs.reduce((sum, run) => sum + results(run), 0);
  stats.unlocated = descriptions.reduce((sum, d) => sum + d.unlocated, 0);
  const entries: EntrySegment[] = [];
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    for (const [shard, d] of descriptions.entries()) {
      const count = d.buckets[bucket] ?? 0;
      if (count) entries.push({ shard, bucket, count });
    }
  }
  return { categoryPrefix: sanitizeId(options.categoryPrefix) || 'security-scan', runs, entries, stats };
}

type SarifPiece = string | { run: PlannedRun; segment: PlannedSegment };

/** The SARIF file's segments, in order. */
function* sarifSegments(plan: OutputPlan): Generator<SarifPiece> {
  for (const run of plan.runs) for (const segment of run.segments) yield { run, segment };
}

/** The SARIF file as text and segments, in order (every rule has its source by now). */
export function* sarifPieces(plan: OutputPlan): Generator<SarifPiece> {
  yield SARIF_HEAD;
  for (const [index, run] of plan.runs.entries()) {
    const automation = JSON.stringify({ id: `${plan.categoryPrefix}/${sanitizeId(run.tool.id) || 'tool'}/` });
    const rules = run.rules.map((r) => ruleJson(r.id, r.source!, r.severity)).join(',');
    yield `${index ? ',' : ''}{"tool":{"driver":${driverJson(run.tool).slice(0, -1)},"rules":[${rules}]}},"automationDetails":${automation},"columnKind":"utf16CodeUnits","results":[`;
    for (const segment of run.segments) yield { run, segment };
    yield ']}';
  }
  yield ']}\n';
}

/** The findings file (a JSON array, one finding per line) as text and segments, in order. */
export function* findingsPieces(plan: OutputPlan): Generator<string | EntrySegment> {
  yield '[\n';
  for (const [i, segment] of plan.entries.entries()) {
    if (i) yield ',\n';
    yield segment;
  }
  yield '\n]\n';
}

/** Writes the SARIF file of one shard's findings (Aggregator.findings()). */
export async function writeSarif(
  file: string,
  findings: readonly Finding[],
  tools: readonly ToolInfo[],
  options: SarifOptions,
): Promise<SarifStats> {
  const shard = new ShardOutput(findings, options.root);
  const plan = planOutputs([shard.describe()], tools, options);
  writeTextFile(file, (sarif) => shard.render(plan, 0, { sarif }, true));
  return plan.stats;
}

/** Writes the normalised findings (Aggregator.findings(), already redacted) as a JSON array, one finding per line. */
export async function writeFindings(file: string, findings: readonly Finding[]): Promise<void> {
  const shard = new ShardOutput(findings, '');
  const plan = planOutputs([shard.describe()], [], { categoryPrefix: '' });
  writeTextFile(file, (findings) => shard.render(plan, 0, { findings }, true));
}
