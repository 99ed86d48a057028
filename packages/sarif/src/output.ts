import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { handedTool, type Handover, type Verdict } from './aggregate.ts';
import {
  BUCKETS,
  bucketOf,
  bucketOfRank,
  bucketSeverity,
  maxSeverity,
  OUTPUT_MARKER,
  severityRank,
  type Finding,
  type Location,
  type Severity,
  type ToolInfo,
} from './model.ts';
import { TextFile } from './text-file.ts';
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
 * reports, see shard.ts). Both files list findings in the order of the ten buckets of equal
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

/** A segment placed in a file: the first `count` findings of one shard's bucket. `first`: nothing precedes it in its list. */
export interface PlannedSegment {
  shard: number;
  bucket: number;
  count: number;
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
  entries: PlannedSegment[];
  stats: SarifStats;
}

interface RunSegments {
  findings: Finding[][];
  places: Location[][];
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
    if (findings) {
      for (const piece of skeleton ? findingsPieces(plan) : plan.entries) {
        if (typeof piece === 'string') findings.write(piece);
        else if (piece.shard === shard) sizes.findings.push(this.#entries(findings, piece));
      }
    }
    return sizes;
  }

  /** One segment of a run's results; returns its size. */
  #results(out: TextFile, run: PlannedRun, segment: PlannedSegment): number {
    const start = out.position;
    const { findings, places } = this.#runs.get(run.tool.id)!;
    const indexes = ruleIndexes(run);
    const list = findings[segment.bucket]!;
    const where = places[segment.bucket]!;
    for (let i = 0; i < segment.count; i++) {
      const f = list[i]!;
      out.write(`${i || !segment.first ? ',' : ''}${resultJson(f, where[i]!, indexes.get(f.rule)!)}\n`);
    }
    return out.position - start;
  }

  /** One segment of the findings file; returns its size. */
  #entries(out: TextFile, segment: PlannedSegment): number {
    const start = out.position;
    for (const [i, f] of this.#buckets[segment.bucket]!.entries()) out.write(`${i || !segment.first ? ',\n' : ''}${findingJson(f)}`);
    return out.position - start;
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

/**
 * A shard's description as the coordinator derives it from the shard's Handover and the verdict
 * on it, before the shard has sorted anything: the kept findings in order, by run and bucket.
 * The rules' entries come from the shard later (ruleSources).
 */
export function describeHandover(h: Handover, verdict: Verdict): ShardDescription {
  const runs = new Map<string, { segments: SegmentDescription[]; seen: Set<string>[] }>();
  const buckets: number[] = new Array<number>(BUCKETS).fill(0);
  let unlocated = 0;
  for (let i = 0; i < h.fingerprints.length; i++) {
    const rank = verdict.severities[i]!;
    if (rank < 0) continue;
    const bucket = bucketOfRank(rank, verdict.suppressed[i] === 1);
    buckets[bucket]!++;
    if (!h.placed[i]) {
      unlocated++;
      continue;
    }
    const tool = handedTool(h, i);
    let run = runs.get(tool);
    if (!run) {
      run = {
        segments: Array.from({ length: BUCKETS }, () => ({ count: 0, rules: [] })),
        seen: Array.from({ length: BUCKETS }, () => new Set()),
      };
      runs.set(tool, run);
    }
    const segment = run.segments[bucket]!;
    const rule = h.rules[i]!;
    if (!run.seen[bucket]!.has(rule)) {
      run.seen[bucket]!.add(rule);
      segment.rules.push({ id: rule, at: segment.count });
    }
    segment.count++;
  }
  return { runs: [...runs].map(([tool, run]) => ({ tool, segments: run.segments })), buckets, unlocated };
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
  const sarif = new TextFile(files.sarif);
  const findings = new TextFile(files.findings);
  try {
    return output.render(plan, shard, { sarif, findings }, skeleton);
  } finally {
    sarif.close();
    findings.close();
  }
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
  const entries: PlannedSegment[] = [];
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    for (const [shard, d] of descriptions.entries()) {
      const count = d.buckets[bucket] ?? 0;
      if (count) entries.push({ shard, bucket, count, first: entries.length === 0 });
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
function* sarifPieces(plan: OutputPlan): Generator<SarifPiece> {
  // the marker: a later run never reads this file back as input, whatever it is named (load.ts)
  yield `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","properties":{${JSON.stringify(OUTPUT_MARKER)}:{"written-by":"pipeline-toolkit security-scan"}},"runs":[`;
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
function* findingsPieces(plan: OutputPlan): Generator<string | PlannedSegment> {
  yield '[\n';
  yield* plan.entries;
  yield '\n]\n';
}

/** Where a file's pieces go: the text around the segments, and each shard's segments (in that shard's order). */
export interface FileLayout {
  texts: { text: string; offset: number }[];
  /** Per shard: where each of its segments goes, and its size. */
  segments: { offset: number; size: number }[][];
}

export type Layouts = Record<keyof OutputFiles, FileLayout>;

/** Lays out both files from every shard's segment sizes (the plan's rules have their sources by now). */
export function layoutFiles(plan: OutputPlan, sizes: readonly Sizes[]): Layouts {
  const sarif = [...sarifPieces(plan)].map((p) => (typeof p === 'string' ? p : p.segment));
  return {
    sarif: layout(
      sarif,
      sizes.map((s) => s.sarif),
    ),
    findings: layout(
      [...findingsPieces(plan)],
      sizes.map((s) => s.findings),
    ),
  };
}

function layout(pieces: Iterable<string | { shard: number }>, sizes: readonly number[][]): FileLayout {
  const placed: FileLayout = { texts: [], segments: sizes.map(() => []) };
  let offset = 0;
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      placed.texts.push({ text: piece, offset });
      offset += Buffer.byteLength(piece);
    } else {
      const mine = placed.segments[piece.shard]!;
      const size = sizes[piece.shard]![mine.length]!;
      mine.push({ offset, size });
      offset += size;
    }
  }
  return placed;
}

/**
 * Puts one shard's part of the files in place: its segments, copied from the temporary files it
 * rendered them into (one after another, in order), and for shard 0 the text around them. The
 * files must exist: shard 0 creates them before the others start.
 */
export function assembleFiles(files: OutputFiles, layouts: Layouts, shard: number, rendered: OutputFiles): void {
  for (const which of ['sarif', 'findings'] as const) assemble(files[which], layouts[which], shard, rendered[which], shard === 0);
}

function assemble(file: string, layout: FileLayout, shard: number, rendered: string, texts: boolean): void {
  const fd = openSync(file, 'r+');
  const from = openSync(rendered, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    if (texts) for (const { text, offset } of layout.texts) writeAll(fd, Buffer.from(text), offset);
    for (const { offset, size } of layout.segments[shard]!) {
      for (let done = 0; done < size; ) {
        const n = readSync(from, buffer, 0, Math.min(buffer.length, size - done), null);
        if (n === 0) throw new Error(`${rendered} ended before its segments did`);
        writeAll(fd, buffer.subarray(0, n), offset + done);
        done += n;
      }
    }
  } finally {
    closeSync(from);
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
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
  const sarif = new TextFile(file);
  try {
    shard.render(plan, 0, { sarif }, true);
  } finally {
    sarif.close();
  }
  return plan.stats;
}

/** Writes the normalised findings (Aggregator.findings(), already redacted) as a JSON array, one finding per line. */
export async function writeFindings(file: string, findings: readonly Finding[]): Promise<void> {
  const shard = new ShardOutput(findings, '');
  const plan = planOutputs([shard.describe()], [], { categoryPrefix: '' });
  const out = new TextFile(file);
  try {
    shard.render(plan, 0, { findings: out }, true);
  } finally {
    out.close();
  }
}
