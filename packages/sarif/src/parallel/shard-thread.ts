import { rmSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import type { OutputFiles } from '../output.ts';
import type { ShardJob } from './shard.ts';

/**
 * A shard's thread (see shard.ts and README.md), started from this small module so that whoever starts it — the
 * main thread, next to the aggregation thread — does not load the aggregation code itself.
 */

const JOB = 'pipeline-toolkit/shard';

/**
 * V8 grows the young generation to 64 MB semi-spaces under the allocation rate of parsing
 * (~130 MB of RSS for garbage alone); workers with a small young generation keep the peak
 * memory near the findings themselves. The old generation is left unlimited.
 */
export const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 16 };

/** The temporary files thread `n` (0: the coordinator, 1: the shard) renders its segments into, next to the outputs. */
export function partFiles(job: { sarifFile: string; findingsFile: string }, n: number): OutputFiles {
  return { sarif: `${job.sarifFile}.${n}.part`, findings: `${job.findingsFile}.${n}.part` };
}

/** Removes both threads' temporary files (none is left behind, whichever thread stopped where). */
export function removeParts(job: { sarifFile: string; findingsFile: string }): void {
  for (const n of [0, 1]) for (const file of Object.values(partFiles(job, n))) rmSync(file, { force: true });
}

/** Starts a shard's thread; it talks to its coordinator through `port`, else through its parent. */
export function startShard(job: ShardJob, port?: MessagePort): Worker {
  return new Worker(new URL(import.meta.url), {
    workerData: { job: JOB, payload: job, port },
    transferList: port ? [port] : [],
    resourceLimits: RESOURCE_LIMITS,
  });
}

if (!isMainThread && (workerData as { job?: string } | undefined)?.job === JOB) {
  const { payload, port = parentPort! } = workerData as { payload: ShardJob; port?: MessagePort };
  await (await import('./shard.ts')).runShard(payload, port);
}
