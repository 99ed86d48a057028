import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  DEFAULT_REQUEST_POLICY,
  errorMessage,
  ExternalError,
  cutText,
  guardedFetch,
  RequestTimeoutError,
  type Deadline,
  startDeadline,
  stripChar,
  type Logger,
  type RequestPolicy,
} from '@pipeline-toolkit/core';
import { GITHUB_LIMITS } from './writer.ts';

export interface UploadOptions {
  sarifFile: string;
  token: string;
  /** GITHUB_API_URL (GitHub Enterprise Server has its own). */
  apiUrl: string;
  repository: string;
  commitSha: string;
  ref: string;
  /** The pull request comes from a fork (or Dependabot): its token is read-only, so a 403 is expected. */
  readOnlyToken: boolean;
  log: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** request-timeout per attempt, request-deadline for the upload with its retries. */
  policy?: RequestPolicy;
  /** The uploader's name (`tool_name` and user agent): `security-scan` (default) or `lint`. */
  uploader?: 'security-scan' | 'lint';
  /** Wait until code scanning has processed the file, and fail when it could not (input `wait-for-processing`, default true). */
  waitForProcessing?: boolean;
}

/**
 * Where code scanning stands with an uploaded file: `complete` (its alerts are stored), `pending`
 * (still processing when the wait ended), or `unknown` (not waited for, or the status could not
 * be read). A file it could not process fails the upload instead.
 */
export type Processing = 'complete' | 'pending' | 'unknown';

export type UploadResult = { status: 'uploaded'; id: string; url?: string; processing: Processing } | { status: 'skipped'; reason: string };

/**
 * How GitHub's own upload (github/codeql-action's upload-sarif) waits for code scanning to process
 * a file: it asks every 5 seconds, for at most 2 minutes, then goes on with a warning. The wait
 * also ends with the upload's request-deadline.
 */
export const PROCESSING_WAIT = { everyMs: 5_000, atMostMs: 120_000 } as const;

/** The processing errors an upload's failure lists, each cut: GitHub may list one per result. */
const ERRORS_LISTED = { count: 10, chars: 500 } as const;

/** True when the event is a pull request from a fork or by Dependabot (both get a read-only GITHUB_TOKEN). */
export function readOnlyTokenEvent(event: unknown, actor: string | undefined): boolean {
  if (actor === 'dependabot[bot]') return true;
  const pr = (
    event as { pull_request?: { head?: { repo?: { full_name?: string; fork?: boolean } }; base?: { repo?: { full_name?: string } } } }
  )?.pull_request;
  if (!pr) return false;
  return pr.head?.repo?.fork === true || (!!pr.head?.repo?.full_name && pr.head.repo.full_name !== pr.base?.repo?.full_name);
}

/**
 * Uploads a SARIF file to code scanning: POST /repos/{owner}/{repo}/code-scanning/sarifs with the
 * gzip+base64 content, commit sha and ref. Server errors are retried twice; a 403 on a read-only
 * token gives a notice, not a failure.
 */
export async function uploadSarif(options: UploadOptions): Promise<UploadResult> {
  const { log } = options;
  const zipped = await promisify(gzip)(await readFile(options.sarifFile));
  if (zipped.length > GITHUB_LIMITS.gzipBytes) {
    throw new ExternalError(
      `${options.sarifFile} is ${(zipped.length / 1048576).toFixed(1)} MB gzipped; code scanning accepts at most 10 MB.`,
    );
  }
  const url = `${stripChar(options.apiUrl, '/', 'end')}/repos/${options.repository}/code-scanning/sarifs`;
  const body = JSON.stringify({
    commit_sha: options.commitSha,
    ref: options.ref,
    sarif: zipped.toString('base64'),
    tool_name: `pipeline-toolkit ${options.uploader ?? 'security-scan'}`,
  });
  const policy = options.policy ?? DEFAULT_REQUEST_POLICY;
  const deadline = startDeadline(policy);
  const doFetch = guardedFetch(policy, { deadline, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const headers = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': `pipeline-toolkit-${options.uploader ?? 'security-scan'}`,
  };
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await doFetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    } catch (error) {
      // A timed-out attempt is tried again; the deadline and a cancel end the upload.
      const retryable = !deadline.signal.aborted && (!(error instanceof ExternalError) || error instanceof RequestTimeoutError);
      if (attempt < 3 && retryable && deadline.remaining() > 1000 * attempt) {
        log.info(`Code scanning upload: ${errorMessage(error)} Trying again (attempt ${attempt + 1} of 3).`);
        await sleep(1000 * attempt);
        continue;
      }
      if (error instanceof ExternalError) throw error;
      throw new ExternalError(`Could not reach ${url}: ${errorMessage(error)}`, { cause: error });
    }
    const text = await response.text();
    if (response.status === 202 || response.ok) {
      const answer = safeJson(text);
      const id = typeof answer?.id === 'string' || typeof answer?.id === 'number' ? String(answer.id) : '';
      log.info(`Uploaded ${options.sarifFile} to code scanning (id ${id || 'unknown'}).`);
      const processing =
        id && (options.waitForProcessing ?? true)
          ? await waitForProcessing({
              url: `${url}/${encodeURIComponent(id)}`,
              file: options.sarifFile,
              headers,
              doFetch,
              deadline,
              sleep,
              log,
            })
          : 'unknown';
      return { status: 'uploaded', id, ...(typeof answer?.url === 'string' ? { url: answer.url } : {}), processing };
    }
    if (response.status >= 500 && attempt < 3) {
      await sleep(1000 * attempt);
      continue;
    }
    const message = String(safeJson(text)?.message ?? text.slice(0, 300));
    if (response.status === 403 && options.readOnlyToken) {
      const reason = `Code scanning upload skipped: this pull request's token is read-only (${message}). The SARIF file is still written.`;
      log.notice(reason);
      return { status: 'skipped', reason };
    }
    const hint =
      response.status === 403 || response.status === 404
        ? ' The job needs `permissions: security-events: write` and code scanning enabled.'
        : '';
    throw new ExternalError(`Code scanning upload failed: HTTP ${response.status} from ${url}: ${message}.${hint}`);
  }
}

function safeJson(
  text: string,
): { id?: unknown; url?: unknown; message?: unknown; processing_status?: unknown; errors?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks code scanning how far it got with an upload (GET …/code-scanning/sarifs/{id}) until it
 * answers `complete` or `failed`, as GitHub's own upload does (PROCESSING_WAIT). `failed` throws
 * with GitHub's processing errors: the file was accepted but gave no alerts. A status that
 * cannot be read, or a wait that ends first, is a warning: the upload itself was made.
 */
async function waitForProcessing(w: {
  url: string;
  file: string;
  headers: Record<string, string>;
  doFetch: typeof fetch;
  deadline: Deadline;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
}): Promise<Processing> {
  const started = Date.now();
  const background = 'Code scanning goes on in the background; errors it finds there are not reported here.';
  for (let asked = 0; ; asked++) {
    let answer: ReturnType<typeof safeJson>;
    try {
      const response = await w.doFetch(w.url, { headers: w.headers });
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${String(safeJson(text)?.message ?? text.slice(0, 300))}`);
      answer = safeJson(text);
    } catch (error) {
      w.log.warning(`Could not read whether code scanning processed ${w.file} (${errorMessage(error)}). ${background}`);
      return 'unknown';
    }
    const status = answer?.processing_status;
    if (status === 'complete') {
      w.log.info(`Code scanning processed ${w.file}.`);
      return 'complete';
    }
    if (status === 'failed') {
      const errors = Array.isArray(answer?.errors) ? answer.errors.map(String) : [];
      const listed = errors.slice(0, ERRORS_LISTED.count).map((e) => cutText(e, ERRORS_LISTED.chars));
      const more = errors.length > listed.length ? ` (and ${errors.length - listed.length} more)` : '';
      throw new ExternalError(
        `Code scanning could not process ${w.file}: ${listed.length ? listed.join('; ') : 'no reason given'}${more}. The file was uploaded, but none of its results are alerts.`,
      );
    }
    if (status !== 'pending') {
      w.log.warning(`Code scanning answered an unknown processing status for ${w.file} (${JSON.stringify(status ?? null)}). ${background}`);
      return 'unknown';
    }
    const waited = Date.now() - started;
    const next = PROCESSING_WAIT.everyMs;
    if (waited + next > PROCESSING_WAIT.atMostMs || asked * next >= PROCESSING_WAIT.atMostMs || w.deadline.remaining() <= next) {
      w.log.warning(`Code scanning had not processed ${w.file} after ${Math.round(waited / 1000)} s. ${background}`);
      return 'pending';
    }
    w.log.info(`Code scanning is processing ${w.file}…`);
    await w.sleep(next);
  }
}

/**
 * A step's upload after its outputs, summary and gate verdict are written: when the gate failed,
 * that is the step's error and a failed upload beside it is logged; else a failed upload is the
 * step's error. Throws the gate's error last, so that neither failure hides the other.
 */
export async function uploadThenGate(options: Parameters<typeof uploadForRun>[0] | undefined, gateError: Error | undefined): Promise<void> {
  if (options) {
    try {
      await uploadForRun(options);
    } catch (error) {
      if (!gateError) throw error;
      options.log.error(errorMessage(error));
    }
  }
  if (gateError) throw gateError;
}

/**
 * Uploads for the run the environment describes, as the runner sets it: GITHUB_REPOSITORY,
 * GITHUB_SHA, GITHUB_REF, GITHUB_API_URL, and the event (GITHUB_EVENT_PATH, GITHUB_ACTOR) to know
 * whether the token is read-only. Callers check that repository, sha and ref are set first.
 */
export async function uploadForRun(options: {
  sarifFile: string;
  token: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  fetch?: typeof fetch;
  policy?: RequestPolicy;
  uploader?: UploadOptions['uploader'];
  waitForProcessing?: boolean;
}): Promise<UploadResult> {
  const { env } = options;
  const eventPath = env['GITHUB_EVENT_PATH'];
  const event: unknown = eventPath ? JSON.parse(await readFile(eventPath, 'utf8').catch(() => '{}')) : {};
  return uploadSarif({
    sarifFile: options.sarifFile,
    token: options.token,
    apiUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com',
    repository: env['GITHUB_REPOSITORY'] ?? '',
    commitSha: env['GITHUB_SHA'] ?? '',
    ref: env['GITHUB_REF'] ?? '',
    readOnlyToken: readOnlyTokenEvent(event, env['GITHUB_ACTOR']),
    log: options.log,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.uploader ? { uploader: options.uploader } : {}),
    ...(options.waitForProcessing === undefined ? {} : { waitForProcessing: options.waitForProcessing }),
  });
}
