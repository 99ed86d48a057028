import { isMainThread, MessageChannel, parentPort, Worker, workerData } from 'node:worker_threads';
import { ExternalError } from '@pipeline-toolkit/core';
import type { AggregateJob, AggregateOutcome } from '../job.ts';
import { fromRecord, toRecord, type ThreadErrorRecord } from './errors.ts';
import { removeParts, RESOURCE_LIMITS, startShard } from './shard-thread.ts';
import { inThread, shardJob, splitOf } from './split.ts';

const JOB = 'pipeline-toolkit/aggregate';

/**
 * Runs aggregateJob in a worker thread started from this very module (in the bundle, its chunk).
 * When the reports are divided, the shard's thread is started here too, at the same time, and
 * the two talk through a channel of their own. Small reports are aggregated in this thread
 * (inThread in split.ts).
 */
export async function aggregateInWorker(job: AggregateJob): Promise<AggregateOutcome> {
  const split = splitOf(job);
  const payload: AggregateJob = { ...job, split };
  if (inThread(job, split)) return (await import('../job.ts')).aggregateJob(payload);
  let shard: Worker | undefined;
  if (split.index < job.sources.length) {
    const { port1, port2 } = new MessageChannel();
    shard = startShard(shardJob(job, split), port2);
    payload.shardPort = port1;
  }
  try {
    return await new Promise((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: { job: JOB, payload },
        transferList: payload.shardPort ? [payload.shardPort] : [],
        resourceLimits: RESOURCE_LIMITS,
      });
      let settled = false;
      worker.once('message', (message: { outcome?: AggregateOutcome; error?: ThreadErrorRecord }) => {
        settled = true;
        if (message.outcome) resolve(message.outcome);
        else reject(fromRecord(message.error!));
      });
      worker.once('error', (error) => {
        settled = true;
        reject(error);
      });
      worker.once('exit', (code) => {
        if (!settled) reject(new ExternalError(`The aggregation worker stopped with exit code ${code}.`));
      });
    });
  } finally {
    // done (or failed) with the shard: it stops while the action writes its outputs (stopped while
    // rendering, it would leave its temporary files behind: they go once it has stopped)
    if (shard) void shard.terminate().then(() => removeParts(job));
  }
}

if (!isMainThread && (workerData as { job?: string } | undefined)?.job === JOB) {
  try {
    const { aggregateJob } = await import('../job.ts');
    const outcome = await aggregateJob((workerData as { payload: AggregateJob }).payload);
    parentPort!.postMessage({ outcome });
  } catch (error) {
    parentPort!.postMessage({ error: toRecord(error) });
  }
}
