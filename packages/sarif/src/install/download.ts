import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { endpointOf, ExternalError, formatDuration, type Logger } from '@pipeline-toolkit/core';

/** How one artifact is fetched: per-attempt limits and the retries. */
export interface DownloadPolicy {
  /** One attempt, from sending the request to the last byte (a 100 MB archive on a slow link fits). */
  attemptTimeoutMs: number;
  /** An attempt that receives nothing for this long is given up (a stalled transfer). */
  idleTimeoutMs: number;
  /** Attempts in all (the first one included). */
  attempts: number;
  /** Wait before the second attempt; doubled before each further one. */
  backoffMs: number;
}

export const DEFAULT_DOWNLOAD_POLICY: DownloadPolicy = {
  attemptTimeoutMs: 5 * 60_000,
  idleTimeoutMs: 60_000,
  attempts: 3,
  backoffMs: 2_000,
};

/** The artifact did not have the pinned hash: never retried, never used. */
export class ChecksumMismatchError extends ExternalError {
  readonly artifact: string;
  readonly expected: string;
  readonly actual: string;
  constructor(artifact: string, expected: string, actual: string, source: string) {
    super(
      `Checksum mismatch for ${artifact} (from ${source}): expected SHA-256 ${expected}, got ${actual}. ` +
        'The file was deleted and nothing was installed. A mirror must serve the official release files unchanged.',
    );
    this.name = 'ChecksumMismatchError';
    this.artifact = artifact;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A failure worth another attempt: the network, a timeout, a 5xx or 429 answer. */
class TransientError extends Error {}

/** Passes bytes through, hashing them and noting when the last one arrived. */
function hashing(onChunk: () => void): { stream: Transform; digest: () => string } {
  const hash = createHash('sha256');
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      onChunk();
      callback(null, chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

async function attempt(source: string, target: string, policy: DownloadPolicy, fetcher: typeof fetch): Promise<string> {
  if (!/^https?:\/\//i.test(source)) {
    // A mirror directory on disk (a local tool cache): the same hash check applies.
    const h = hashing(() => undefined);
    await pipeline(createReadStream(source), h.stream, createWriteStream(target));
    return h.digest();
  }
  const overall = AbortSignal.timeout(policy.attemptTimeoutMs);
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), policy.idleTimeoutMs);
  };
  const signal = AbortSignal.any([overall, idle.signal]);
  const where = endpointOf(source);
  touch();
  try {
    let response: Response;
    try {
      response = await fetcher(source, { signal, redirect: 'follow' });
    } catch (error) {
      throw new TransientError(signal.aborted ? `no answer within ${formatDuration(policy.idleTimeoutMs)}` : String(error));
    }
    if (!response.ok) {
      const message = `${where} answered ${response.status} ${response.statusText}`.trim();
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 500 || response.status === 429) throw new TransientError(message);
      throw new ExternalError(`Download of ${path.basename(target)} failed: ${message}.`);
    }
    if (!response.body) throw new TransientError(`${where} answered without a body`);
    const h = hashing(touch);
    try {
      await pipeline(Readable.fromWeb(response.body as never, { signal }), h.stream, createWriteStream(target));
    } catch (error) {
      const why = overall.aborted
        ? `the transfer took longer than ${formatDuration(policy.attemptTimeoutMs)}`
        : idle.signal.aborted
          ? `nothing received for ${formatDuration(policy.idleTimeoutMs)}`
          : String(error);
      throw new TransientError(why);
    }
    return h.digest();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Downloads `source` (an http(s) URL, or a file of a mirror directory) to `target`, with a timeout
 * per attempt, a stall timeout and retries with back-off for network failures, 5xx and 429; then
 * checks its SHA-256 against `expected`. A mismatch deletes the file and throws
 * ChecksumMismatchError naming the artifact and both hashes.
 */
export async function downloadVerified(
  source: string,
  target: string,
  expected: string,
  options: { policy?: DownloadPolicy; fetch?: typeof fetch; log: Logger; artifact?: string },
): Promise<void> {
  const policy = options.policy ?? DEFAULT_DOWNLOAD_POLICY;
  const artifact = options.artifact ?? path.basename(target);
  const shown = /^https?:\/\//i.test(source) ? endpointOf(source) : source;
  let actual: string;
  for (let n = 1; ; n++) {
    try {
      actual = await attempt(source, target, policy, options.fetch ?? fetch);
      break;
    } catch (error) {
      await rm(target, { force: true });
      if (!(error instanceof TransientError)) {
        if (error instanceof ExternalError) throw error;
        throw new ExternalError(`Could not read ${artifact} from ${shown}: ${String(error)}`);
      }
      if (n >= policy.attempts)
        throw new ExternalError(`Download of ${artifact} from ${shown} failed after ${n} attempt${n === 1 ? '' : 's'}: ${error.message}.`);
      const wait = policy.backoffMs * 2 ** (n - 1);
      options.log.warning(`Download of ${artifact} from ${shown}, attempt ${n}: ${error.message}; retrying in ${formatDuration(wait)}.`);
      await sleep(wait);
    }
  }
  if (actual !== expected.toLowerCase()) {
    await rm(target, { force: true });
    throw new ChecksumMismatchError(artifact, expected.toLowerCase(), actual, shown);
  }
}
