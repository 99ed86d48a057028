import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage, ExternalError, formatDuration, type Exec, type Logger } from '@pipeline-toolkit/core';

export interface TrivyDbOptions {
  /** The trivy program. */
  trivy: string;
  /** Trivy's cache directory (the database goes to <dir>/db): the folder the workflow caches. */
  cacheDir: string;
  /** OCI repositories of the database, tried in order by Trivy itself. */
  repositories: readonly string[];
  /** A database downloaded less than this long ago is used as it is. */
  maxAgeMs: number;
  /** Download attempts in all, and the wait before the second (doubled after). */
  attempts: number;
  backoffMs: number;
  /** One attempt's deadline. */
  attemptTimeoutMs: number;
  now?: () => number;
}

export interface TrivyDb {
  cacheDir: string;
  /** When the database in use was downloaded (ISO), and its next scheduled update. */
  downloadedAt: string;
  nextUpdate?: string;
  from: 'cache' | 'download' | 'stale-cache';
}

interface Metadata {
  Version?: number;
  NextUpdate?: string;
  UpdatedAt?: string;
  DownloadedAt?: string;
}

async function metadataOf(cacheDir: string): Promise<Metadata | undefined> {
  try {
    const meta = JSON.parse(await readFile(path.join(cacheDir, 'db', 'metadata.json'), 'utf8')) as Metadata;
    return meta && typeof meta.DownloadedAt === 'string' ? meta : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure Trivy has a vulnerability database before it scans, so that a scan without one is an
 * error instead of a silent "0 vulnerabilities": a database downloaded less than maxAge ago is kept;
 * otherwise `trivy image --download-db-only` runs over the mirror list, retried with back-off. When
 * every attempt fails, an older database that is still there is used with a warning that gives its
 * age; with none, this throws an error naming the repositories and the last failure.
 */
export async function ensureTrivyDb(options: TrivyDbOptions, deps: { exec: Exec; log: Logger }): Promise<TrivyDb> {
  const now = options.now ?? Date.now;
  const before = await metadataOf(options.cacheDir);
  const age = before?.DownloadedAt ? now() - Date.parse(before.DownloadedAt) : Number.POSITIVE_INFINITY;
  if (before && age >= 0 && age < options.maxAgeMs) {
    deps.log.info(`Trivy database: the cached one, downloaded ${formatDuration(age)} ago (${before.DownloadedAt}).`);
    return {
      cacheDir: options.cacheDir,
      downloadedAt: before.DownloadedAt!,
      ...(before.NextUpdate ? { nextUpdate: before.NextUpdate } : {}),
      from: 'cache',
    };
  }
  const args = [
    'image',
    '--download-db-only',
    '--no-progress',
    '--disable-telemetry',
    '--skip-version-check',
    '--cache-dir',
    options.cacheDir,
    '--db-repository',
    options.repositories.join(','),
  ];
  let last = '';
  for (let n = 1; n <= options.attempts; n++) {
    try {
      await deps.exec(options.trivy, args, {
        logger: deps.log,
        timeoutMs: options.attemptTimeoutMs,
        timeoutInput: 'the Trivy database download',
      });
      const after = await metadataOf(options.cacheDir);
      if (!after) throw new Error(`trivy exited 0 but ${path.join(options.cacheDir, 'db', 'metadata.json')} is missing`);
      deps.log.info(`Trivy database: downloaded (${after.DownloadedAt}; next update ${after.NextUpdate ?? 'unknown'}).`);
      return {
        cacheDir: options.cacheDir,
        downloadedAt: after.DownloadedAt!,
        ...(after.NextUpdate ? { nextUpdate: after.NextUpdate } : {}),
        from: 'download',
      };
    } catch (error) {
      last = errorMessage(error).split('\n').filter(Boolean).slice(-3).join(' ').slice(0, 600);
      if (n < options.attempts) {
        const wait = options.backoffMs * 2 ** (n - 1);
        deps.log.warning(
          `Trivy database download, attempt ${n} of ${options.attempts}, failed: ${last}; retrying in ${formatDuration(wait)}.`,
        );
        await sleep(wait);
      }
    }
  }
  if (before?.DownloadedAt) {
    deps.log.warning(
      `Trivy database: no newer one could be downloaded from ${options.repositories.join(', ')} (${last}); scanning with the cached one from ${before.DownloadedAt} (${formatDuration(age)} old).`,
    );
    return {
      cacheDir: options.cacheDir,
      downloadedAt: before.DownloadedAt,
      ...(before.NextUpdate ? { nextUpdate: before.NextUpdate } : {}),
      from: 'stale-cache',
    };
  }
  throw new ExternalError(
    `No Trivy vulnerability database: downloading it from ${options.repositories.join(', ')} failed ${options.attempts} time${options.attempts === 1 ? '' : 's'} ` +
      `(last error: ${last}). Without a database Trivy would report no vulnerabilities at all, so the scan stops here. ` +
      'Set trivy-db-repository to a mirror this runner can reach, or restore a database into trivy-cache-dir.',
  );
}
