import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import {
  DEFAULT_REQUEST_POLICY,
  errorMessage,
  errorMessageWithCause,
  ExternalError,
  guardedFetch,
  startDeadline,
  stripChar,
  type RequestPolicy,
} from '@pipeline-toolkit/core';
import { inertMarkdown } from '@pipeline-toolkit/core';
import type { BaselineOutcome } from './baseline.ts';
import type { ScanOptions } from './options.ts';
import { isPullRequestEvent } from './pull-request.ts';

/**
 * The GitHub side of the baseline gate (ADR-030): on pull requests, the base branch's findings
 * file from the last successful run of the same workflow (its artifact), and one pull request
 * comment listing the new findings, updated in place. Every request goes through the repository's
 * request policy (request-timeout per attempt, request-deadline in all).
 */

export interface GitHubApi {
  token: string;
  /** GITHUB_API_URL. */
  apiUrl: string;
  /** owner/name. */
  repository: string;
  policy?: RequestPolicy;
  fetch?: typeof fetch;
}

/** The largest artifact downloaded, and the largest file taken out of it. */
export const ARTIFACT_LIMITS = { zipBytes: 50 * 1024 * 1024, entryBytes: 200 * 1024 * 1024, entries: 1000 } as const;

async function call(api: GitHubApi, fetcher: typeof fetch, route: string, init: RequestInit = {}): Promise<Response> {
  const url = route.startsWith('http') ? route : `${stripChar(api.apiUrl, '/', 'end')}${route}`;
  return fetcher(url, {
    ...init,
    headers: {
      authorization: `Bearer ${api.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'pipeline-toolkit-security-scan',
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });
}

async function jsonOf<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new ExternalError(`${what}: HTTP ${response.status} (${text.slice(0, 200)}).`);
  return JSON.parse(text) as T;
}

/** `owner/repo/.github/workflows/ci.yml@refs/heads/x` → `ci.yml`. */
export function workflowFile(workflowRef: string | undefined): string | undefined {
  const file = workflowRef?.split('@')[0]?.split('/').at(-1);
  return file && /^[\w.-]+\.ya?ml$/.test(file) ? file : undefined;
}

/** A zip entry's name is refused when it could leave the folder it is extracted to. */
function unsafeName(name: string): boolean {
  return name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) || name.split('/').includes('..') || name.includes('\0');
}

/** An entry of a zip archive, as its central directory states it (zipEntries). */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressed: number;
  size: number;
  crc: number;
  /** Where its local header starts, and its data. */
  local: number;
  data: number;
}

/**
 * The entries of a zip archive (GitHub's artifact download), read from its central directory and
 * checked, none inflated: at most ARTIFACT_LIMITS.entries, each stored or deflated, of at most
 * entryBytes; each name once, none that could leave the extraction folder (`../`, absolute); each
 * entry's local header (with the same name) and data inside the archive, before the central
 * directory, and no two entries over the same bytes. A zip bomb makes many entries of one
 * deflated run: 24 entries of a 205 KB archive pointing at one 200 MiB run were all inflated
 * and kept (5.2 GB). Anything else fails the whole archive.
 */
export function zipEntries(zip: Buffer, shown: string): ZipEntry[] {
  const bad = (why: string): never => {
    throw new ExternalError(`The baseline artifact ${shown} is refused: ${why}.`);
  };
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) bad('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  const directory = zip.readUInt32LE(eocd + 16);
  if (count > ARTIFACT_LIMITS.entries) bad(`${count} entries (at most ${ARTIFACT_LIMITS.entries})`);
  if (directory > eocd) bad('its central directory is outside the archive');
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let at = directory;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || zip.readUInt32LE(at) !== 0x02014b50) bad('a broken central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    const rawName = zip.subarray(at + 46, at + 46 + nameLength);
    const name = rawName.toString('utf8');
    const entry = {
      name,
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressed: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      local: zip.readUInt32LE(at + 42),
      data: 0,
    };
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (at > eocd) bad('a broken central directory');
    const shownName = JSON.stringify(name.slice(0, 100));
    if (unsafeName(name)) bad(`entry ${shownName} would be written outside its folder`);
    if (names.has(name)) bad(`entry ${shownName} is listed twice`);
    names.add(name);
    if (entry.method !== 0 && entry.method !== 8)
      bad(`entry ${shownName} uses compression method ${entry.method} (stored and deflate are read)`);
    if (entry.size > ARTIFACT_LIMITS.entryBytes) bad(`entry ${shownName} is ${entry.size} bytes (at most ${ARTIFACT_LIMITS.entryBytes})`);
    const local = entry.local;
    if (local + 30 > directory || zip.readUInt32LE(local) !== 0x04034b50) bad(`entry ${shownName} has no local header`);
    const localName = zip.readUInt16LE(local + 26);
    entry.data = local + 30 + localName + zip.readUInt16LE(local + 28);
    if (entry.data + entry.compressed > directory)
      bad(`entry ${shownName} does not fit in the archive (its data would end past its files)`);
    if (!zip.subarray(local + 30, local + 30 + localName).equals(rawName)) bad(`entry ${shownName} has a local header of another name`);
    entries.push(entry);
  }
  const byPlace = [...entries].sort((a, b) => a.local - b.local);
  for (let i = 1; i < byPlace.length; i++) {
    const [before, entry] = [byPlace[i - 1]!, byPlace[i]!];
    if (entry.local < before.data + before.compressed)
      bad(`entries ${JSON.stringify(before.name.slice(0, 100))} and ${JSON.stringify(entry.name.slice(0, 100))} overlap`);
  }
  return entries;
}

/**
 * Writes one entry of a zip archive (zipEntries) to `file`, inflated as a stream: at most the size
 * its central directory states (so at most ARTIFACT_LIMITS.entryBytes), in chunks, never whole in
 * memory; its length and CRC-32 must be the stated ones. A refusal names the artifact and the
 * entry, and leaves no file.
 */
export async function extractEntry(zip: Buffer, entry: ZipEntry, file: string, shown: string): Promise<void> {
  const refused = (why: string) =>
    new ExternalError(`The baseline artifact ${shown} is refused: entry ${JSON.stringify(entry.name.slice(0, 100))} ${why}.`);
  let written = 0;
  let crc = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      written += chunk.length;
      if (written > entry.size) return done(refused(`inflates past the ${entry.size} bytes its directory states`));
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
  });
  const raw = Readable.from([zip.subarray(entry.data, entry.data + entry.compressed)]);
  try {
    await pipeline(raw, entry.method === 8 ? createInflateRaw() : new PassThrough(), counted, createWriteStream(file));
    if (written !== entry.size) throw refused(`is ${written} bytes, its directory says ${entry.size}`);
    if (crc !== entry.crc) throw refused('does not match its CRC-32');
  } catch (error) {
    await rm(file, { force: true });
    if (error instanceof ExternalError) throw error;
    throw refused(`does not inflate (${errorMessage(error)})`);
  }
}

export type FoundBaseline = { file: string; shown: string } | { missing: string };

/**
 * The events whose runs hold the base branch's own code: only their artifacts are trusted as a
 * baseline. GitHub filters runs by `head_branch`, and a pull request from a fork whose branch is
 * also called `main` is listed under `branch=main`, with the fork's workflow file and artifacts: a
 * baseline taken from it could declare any finding "unchanged". A pull_request_target run has the
 * base branch as its head branch but usually checks out the pull request's code. So a run counts
 * only when its event is one of these and its head repository is this repository.
 */
export const BASELINE_EVENTS: readonly string[] = ['push', 'schedule', 'workflow_dispatch'];

/** Runs listed per request (forks' and pull requests' runs are skipped), and the trusted ones looked at. */
const RUNS_LISTED = 30;
const RUNS_LOOKED_AT = 5;

/**
 * The base branch's findings file: the newest successful runs of the same workflow on the base
 * branch started by a push, a schedule or a manual run of this repository (BASELINE_EVENTS; at most
 * 5 looked at), the first with an unexpired artifact `artifact` of at most
 * ARTIFACT_LIMITS.zipBytes, its findings file (`*.findings.json`, else the only JSON file)
 * written into `dir`. Not found is an answer, not an error.
 */
export async function findBaseBaseline(
  api: GitHubApi,
  options: { workflowRef?: string; baseRef?: string; artifact: string; dir: string },
): Promise<FoundBaseline> {
  const workflow = workflowFile(options.workflowRef);
  if (!workflow) return { missing: 'the workflow file is not known (GITHUB_WORKFLOW_REF)' };
  if (!options.baseRef) return { missing: 'the base branch is not known (GITHUB_BASE_REF)' };
  const policy = api.policy ?? DEFAULT_REQUEST_POLICY;
  const fetcher = guardedFetch(policy, { deadline: startDeadline(policy), ...(api.fetch ? { fetch: api.fetch } : {}) });
  const repo = api.repository;
  const runs = await jsonOf<{
    workflow_runs?: { id: number; event?: string; head_branch?: string; head_repository?: { full_name?: string } | null }[];
  }>(
    await call(
      api,
      fetcher,
      `/repos/${repo}/actions/workflows/${encodeURIComponent(workflow)}/runs?branch=${encodeURIComponent(options.baseRef)}&status=success&per_page=${RUNS_LISTED}`,
    ),
    `Listing the successful runs of ${workflow} on ${options.baseRef}`,
  );
  const trusted = (runs.workflow_runs ?? []).filter(
    (run) =>
      BASELINE_EVENTS.includes(run.event ?? '') &&
      run.head_repository?.full_name?.toLowerCase() === repo.toLowerCase() &&
      (run.head_branch === undefined || run.head_branch === options.baseRef),
  );
  for (const run of trusted.slice(0, RUNS_LOOKED_AT)) {
    const listed = await jsonOf<{
      artifacts?: { id: number; name: string; expired?: boolean; size_in_bytes?: number; archive_download_url?: string }[];
    }>(
      await call(api, fetcher, `/repos/${repo}/actions/runs/${run.id}/artifacts?name=${encodeURIComponent(options.artifact)}&per_page=10`),
      `Listing the artifacts of run ${run.id}`,
    );
    const artifact = (listed.artifacts ?? []).find((a) => a.name === options.artifact && !a.expired);
    if (!artifact) continue;
    const shown = `artifact ${options.artifact} of run ${run.id} on ${options.baseRef}`;
    if ((artifact.size_in_bytes ?? 0) > ARTIFACT_LIMITS.zipBytes)
      return { missing: `${shown} is ${artifact.size_in_bytes} bytes (at most ${ARTIFACT_LIMITS.zipBytes} are downloaded)` };
    const response = await call(api, fetcher, `/repos/${repo}/actions/artifacts/${artifact.id}/zip`);
    const zip = Buffer.from(await response.arrayBuffer());
    if (!response.ok) throw new ExternalError(`Downloading ${shown}: HTTP ${response.status}.`);
    if (zip.length > ARTIFACT_LIMITS.zipBytes) return { missing: `${shown} is over ${ARTIFACT_LIMITS.zipBytes} bytes` };
    // only the findings file is inflated, the others never
    const json = zipEntries(zip, shown).filter((e) => e.name.endsWith('.json'));
    const chosen = json.find((e) => e.name.endsWith('.findings.json')) ?? (json.length === 1 ? json[0] : undefined);
    if (!chosen) return { missing: `${shown} holds no findings file (*.findings.json)` };
    await mkdir(options.dir, { recursive: true });
    const file = path.join(options.dir, 'base.findings.json');
    await extractEntry(zip, chosen, file, shown);
    return { file, shown };
  }
  const skipped = (runs.workflow_runs?.length ?? 0) - trusted.length;
  return {
    missing: `no successful run of ${workflow} on ${options.baseRef} (${BASELINE_EVENTS.join(', ')} of ${repo}) has an artifact ${options.artifact}${
      skipped ? `; ${skipped} run${skipped === 1 ? '' : 's'} of pull requests or forks not trusted` : ''
    }`,
  };
}

/** The hidden marker that finds this action's comment again (one per category prefix). */
export const commentMarker = (categoryPrefix: string) => `<!-- pipeline-toolkit/security-scan:${categoryPrefix} -->`;

/** GitHub's comment limit is 65,536 characters: the body stays well below. */
const COMMENT_CHARS = 60_000;

/** The comment's text: counts and the new findings (their texts already redacted), bounded. */
export function commentBody(baseline: BaselineOutcome | undefined, note: string | undefined, categoryPrefix: string): string {
  const lines = [commentMarker(categoryPrefix), '### Security scan: new findings', ''];
  if (!baseline) lines.push(inertMarkdown(note ?? 'No baseline: every finding counts as new.'));
  else {
    lines.push(
      `New: **${baseline.new}**, fixed: ${baseline.fixed}, unchanged: ${baseline.unchanged} (baseline: ${inertMarkdown(baseline.source)}).`,
      '',
    );
    let length = lines.join('\n').length;
    for (const f of baseline.newFindings) {
      const line = `- **${f.severity}** \`${f.rule.replace(/`/g, "'").slice(0, 200)}\` at ${inertMarkdown(f.where.slice(0, 300))}: ${inertMarkdown(f.title.slice(0, 300))}`;
      if (length + 1 + line.length > COMMENT_CHARS) break;
      lines.push(line);
      length += 1 + line.length;
    }
    if (baseline.new > baseline.newFindings.length)
      lines.push('', `…and ${baseline.new - baseline.newFindings.length} more in the findings file.`);
  }
  return lines.join('\n');
}

/** Writes the comment: updates this action's earlier comment on the pull request (found by the marker), else adds one. */
export async function upsertComment(api: GitHubApi, pullRequest: number, body: string, marker: string): Promise<'created' | 'updated'> {
  const policy = api.policy ?? DEFAULT_REQUEST_POLICY;
  const fetcher = guardedFetch(policy, { deadline: startDeadline(policy), ...(api.fetch ? { fetch: api.fetch } : {}) });
  const repo = api.repository;
  for (let page = 1; page <= 10; page++) {
    const comments = await jsonOf<{ id: number; body?: string }[]>(
      await call(api, fetcher, `/repos/${repo}/issues/${pullRequest}/comments?per_page=100&page=${page}`),
      `Listing the comments of pull request #${pullRequest}`,
    );
    const mine = comments.find((c) => c.body?.includes(marker));
    if (mine) {
      await jsonOf(
        await call(api, fetcher, `/repos/${repo}/issues/comments/${mine.id}`, { method: 'PATCH', body: JSON.stringify({ body }) }),
        'Updating the pull request comment',
      );
      return 'updated';
    }
    if (comments.length < 100) break;
  }
  await jsonOf(
    await call(api, fetcher, `/repos/${repo}/issues/${pullRequest}/comments`, { method: 'POST', body: JSON.stringify({ body }) }),
    'Commenting on the pull request',
  );
  return 'created';
}

/** The pull request's number from the event payload (GITHUB_EVENT_PATH), on pull request events. */
export function pullRequestNumber(env: NodeJS.ProcessEnv): number | undefined {
  if (!isPullRequestEvent(env) || !env['GITHUB_EVENT_PATH']) return undefined;
  try {
    const event = JSON.parse(readFileSync(env['GITHUB_EVENT_PATH'], 'utf8')) as { pull_request?: { number?: unknown }; number?: unknown };
    const n = Number(event.pull_request?.number ?? event.number);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * On a pull request without a `baseline`: the base branch's findings (runScan's foundBaseline),
 * or why there are none (baselineNotFound, told as a notice and in the summary). The action and
 * `pipeline-toolkit scan` both call it.
 */
export async function pullRequestBaseline(
  options: ScanOptions,
  env: NodeJS.ProcessEnv,
  api: GitHubApi | undefined,
  log: { notice(message: string): void },
): Promise<{ foundBaseline?: { file: string; shown: string }; baselineNotFound?: string }> {
  if (!isPullRequestEvent(env) || options.baseline) return {};
  if (!api) return { baselineNotFound: "no github-token was given to look up the base branch's findings" };
  try {
    const answer = await findBaseBaseline(api, {
      workflowRef: env['GITHUB_WORKFLOW_REF'],
      baseRef: env['GITHUB_BASE_REF'],
      artifact: options.baselineArtifact,
      dir: path.join(env['RUNNER_TEMP'] ?? tmpdir(), 'security-scan-baseline'),
    });
    if (!('missing' in answer)) return { foundBaseline: answer };
    log.notice(`No baseline from the base branch: ${answer.missing}.`);
    return { baselineNotFound: answer.missing };
  } catch (error) {
    // fetch's own failures say why only in their cause (a redirect loop: redirect count exceeded)
    const why = errorMessageWithCause(error);
    log.notice(`No baseline from the base branch: ${why}`);
    return { baselineNotFound: `the base branch's findings could not be had (${why})` };
  }
}

/** The pull request comment, when asked for (pr-comment, default on pull requests with a token); a refusal is a notice. */
export async function commentNewFindings(
  options: ScanOptions,
  env: NodeJS.ProcessEnv,
  api: GitHubApi | undefined,
  result: { baseline?: BaselineOutcome; baselineNote?: string },
  log: { notice(message: string): void },
): Promise<void> {
  const pullRequest = pullRequestNumber(env);
  if (!api || !pullRequest || !(options.prComment ?? true)) return;
  try {
    const marker = commentMarker(options.categoryPrefix);
    await upsertComment(api, pullRequest, commentBody(result.baseline, result.baselineNote, options.categoryPrefix), marker);
  } catch (error) {
    // a fork's read-only token cannot comment: the summary has the same
    log.notice(`Pull request comment not written: ${errorMessageWithCause(error)}`);
  }
}
