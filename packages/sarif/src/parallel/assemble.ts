import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { handedTool, type Handover, type Verdict } from '../aggregate.ts';
import { BUCKETS, bucketOfRank } from '../model.ts';
import {
  findingsPieces,
  sarifPieces,
  type OutputFiles,
  type OutputPlan,
  type SegmentDescription,
  type ShardDescription,
  type Sizes,
} from '../output.ts';

/**
 * The two-thread side of the outputs (see README.md): the shard's description derived from its
 * hand-over, and the assembly of both threads' segments into the files.
 */

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
  // the two threads start on different files: writes to one file wait for each other (its inode's lock)
  const order = shard % 2 === 0 ? (['sarif', 'findings'] as const) : (['findings', 'sarif'] as const);
  for (const which of order) assemble(files[which], layouts[which], shard, rendered[which], shard === 0);
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
