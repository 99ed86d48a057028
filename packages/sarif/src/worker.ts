import { isMainThread, MessageChannel, parentPort, Worker, workerData } from 'node:worker_threads';
import { ExternalError, GateError, InputError } from '@pipeline-toolkit/core';
import type { AggregateJob, AggregateOutcome } from './job.ts';
import { RESOURCE_LIMITS, startShard } from './shard-thread.ts';
import { shardJob, splitOf } from './split.ts';

const JOB = 'pipeline-toolkit/aggregate';

interface WorkerError {
  name: string;
  message: string;
  input?: string;
}

/**
 * Runs aggregateJob in a worker thread started from this very module (in the bundle, its chunk).
 * When the reports are divided, the shard's thread is started here too, at the same time, and
 * the two talk through a channel of their own.
 */
export async function aggregateInWorker(job: AggregateJob): Promise<AggregateOutcome> {
  const split = splitOf(job);
  const payload: AggregateJob = { ...job, split };
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
      worker.once('message', (message: { outcome?: AggregateOutcome; error?: WorkerError }) => {
        settled = true;
        if (message.outcome) resolve(message.outcome);
        else reject(rebuild(message.error!));
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
    // done (or failed) with the shard: it stops while the action writes its outputs
    void shard?.terminate();
  }
}

/** Errors cross the thread boundary as plain data: give them back their class (exit codes depend on it). */
function rebuild(error: WorkerError): Error {
  if (error.name === 'InputError') return new InputError(error.input ?? '', error.message);
  if (error.name === 'GateError') return new GateError(error.message);
  if (error.name === 'ExternalError') return new ExternalError(error.message);
  return new Error(error.message);
}

if (!isMainThread && (workerData as { job?: string } | undefined)?.job === JOB) {
  try {
    const { aggregateJob } = await import('./job.ts');
    const outcome = await aggregateJob((workerData as { payload: AggregateJob }).payload);
    parentPort!.postMessage({ outcome });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    parentPort!.postMessage({ error: { name: e.name, message: e.message, input: e instanceof InputError ? e.input : undefined } });
  }
}
