import { statSync } from 'node:fs';
import type { AggregateJob } from '../job.ts';
import type { ShardJob } from './shard.ts';

/**
 * Where the reports are divided between this thread and a shard (see shard.ts): the shard reads
 * from report `index` on; with `at`, report `index` itself is divided at that byte (see Division
 * in reader.ts), this thread reading its start. `index` equal to the number of reports: no shard.
 */
export interface Split {
  index: number;
  at?: number;
}

/** Below this many bytes of reports, a second thread costs more to start than it saves. */
const PARALLEL_BYTES = 8 << 20;

export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // a missing file: loadReport names it when its turn comes
  }
}

/**
 * Below this many bytes of reports in all, the aggregation runs in the thread that asks for it:
 * starting a worker (about 50 ms) would cost more than reading them, and the small young
 * generation of a worker (RESOURCE_LIMITS) matters only for large reports.
 */
export const IN_THREAD_BELOW = 1 << 20;

/** Whether the job is small enough to aggregate in the calling thread (IN_THREAD_BELOW), with no shard. */
export function inThread(job: Pick<AggregateJob, 'sources'>, split: Split): boolean {
  return split.index >= job.sources.length && job.sources.reduce((sum, s) => sum + fileSize(s.file), 0) < IN_THREAD_BELOW;
}

/** A report is not divided so close to its start or end that one side would get less than this. */
const MIN_PART = 1 << 20;

/**
 * The coordinator's share of the bytes. Before it can merge, the coordinator reads its part and
 * redacts its texts (about 15% of its reading, measured), while the shard hands over as soon as
 * it has read: 0.465 : 0.535 ends both at the same time (0.465 × 1.15 ≈ 0.535).
 */
export const COORDINATOR_SHARE = 0.465;

/**
 * Divides the reports by bytes: this thread takes the first `share` of them, the shard the rest,
 * in report order (so that the shard's findings merge as if read here after these), dividing the
 * report that straddles that point. Less than `minBytes` in all: no shard.
 */
export function divideReports(sizes: readonly number[], minBytes: number, minPart = MIN_PART, share = COORDINATOR_SHARE): Split {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total < minBytes) return { index: sizes.length };
  const middle = Math.round(total * share);
  let before = 0;
  for (const [index, size] of sizes.entries()) {
    if (before + size > middle) {
      const at = middle - before;
      if (at < minPart) return { index };
      if (size - at < minPart) return { index: index + 1 };
      return { index, at };
    }
    before += size;
  }
  return { index: sizes.length };
}

/** The job's split, or where divideReports divides its reports. */
export function splitOf(job: AggregateJob): Split {
  return (
    job.split ??
    divideReports(
      job.sources.map((s) => fileSize(s.file)),
      job.parallelFrom ?? PARALLEL_BYTES,
    )
  );
}

/** What the shard of a split reads: the reports from `index` on, the first from `at` when divided. */
export function shardJob(job: AggregateJob, split: Split): ShardJob {
  return {
    sources: job.sources.slice(split.index).map(({ input, label, file, kind }, i) => ({
      input,
      label,
      file,
      kind,
      ...(i === 0 && split.at !== undefined ? { division: { at: split.at, side: 'after' as const } } : {}),
    })),
    root: job.root,
    gitleaksIgnore: job.gitleaksIgnore,
    ...(job.policy ? { policy: job.policy } : {}),
  };
}
