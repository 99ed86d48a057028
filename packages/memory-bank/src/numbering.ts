import path from 'node:path';
import { errorMessage, exec as coreExec, type Exec, type Logger } from '@pipeline-toolkit/core';
import { ADR_FILE } from './adr.ts';
import { repoPath, type GitHub, type Repository } from './github.ts';

/**
 * ADR numbers in use elsewhere: on the repository's other branches and in open pull requests.
 * adr-tools takes max+1 of the local folder, so two branches both create ADR-007 and collide on
 * merge; taking max+1 over every branch and every open pull request avoids that.
 */

export interface UsedNumber {
  number: number;
  file: string;
  /** Where it was seen: `local`, `branch origin/feature-x`, `pull request #12`. */
  source: string;
}

function adrFiles(names: readonly string[], source: string): UsedNumber[] {
  return names.flatMap((name) => {
    const file = path.posix.basename(name);
    const match = ADR_FILE.exec(file);
    return match ? [{ number: Number(match[1]), file, source }] : [];
  });
}

export interface GitLocation {
  /** Repository top level. */
  top: string;
  /** The bank folder relative to the top level, POSIX, with a trailing slash ('' at the top). */
  prefix: string;
}

/** The git work tree holding `dir`, or undefined when `dir` is not in one. */
export async function gitLocation(dir: string, exec: Exec = coreExec): Promise<GitLocation | undefined> {
  const result = await exec('git', ['rev-parse', '--show-toplevel', '--show-prefix'], { cwd: dir, okExitCodes: [0, 128] });
  if (result.exitCode !== 0) return undefined;
  const [top = '', prefix = ''] = result.stdout.split('\n');
  return { top: top.trim(), prefix: prefix.trim() };
}

/**
 * ADR files on every local and remote-tracking branch (what `git fetch` brought; in Actions use
 * `fetch-depth: 0` to see them). Each distinct commit is listed once.
 */
export async function branchNumbers(dir: string, options: { exec?: Exec; log?: Logger } = {}): Promise<UsedNumber[]> {
  const exec = options.exec ?? coreExec;
  let location: GitLocation | undefined;
  try {
    location = await gitLocation(dir, exec);
  } catch (error) {
    options.log?.debug(`git is not available, branches not considered: ${errorMessage(error)}`);
    return [];
  }
  if (!location) {
    options.log?.debug(`${dir} is not in a git repository; branches not considered`);
    return [];
  }
  const refs = await exec('git', ['for-each-ref', '--format=%(objectname) %(refname:short)', 'refs/heads', 'refs/remotes'], {
    cwd: location.top,
  });
  const byCommit = new Map<string, string>();
  for (const line of refs.stdout.split('\n')) {
    const [sha, name] = line.trim().split(' ');
    if (sha && name && !byCommit.has(sha)) byCommit.set(sha, name);
  }
  const used: UsedNumber[] = [];
  for (const [sha, name] of byCommit) {
    const args = ['ls-tree', '--name-only', sha, ...(location.prefix ? ['--', location.prefix] : [])];
    const listing = await exec('git', args, { cwd: location.top });
    used.push(...adrFiles(listing.stdout.split('\n'), `branch ${name}`));
  }
  return used;
}

interface PullRequest {
  number: number;
}
interface PullRequestFile {
  filename: string;
  status: string;
}

function bankPrefix(bankPath: string): string {
  let from = bankPath.startsWith('./') ? 2 : bankPath.startsWith('/') ? 1 : 0;
  while (bankPath[from] === '/') from++;
  let to = bankPath.length;
  while (to > from && bankPath[to - 1] === '/') to--;
  return bankPath.slice(from, to) || '.';
}

/** ADR files one pull request adds (or renames into place) in the bank folder. */
export async function pullRequestAdrs(github: GitHub, repository: Repository, bankPath: string, number: number): Promise<UsedNumber[]> {
  const files = await github.paginate<PullRequestFile>(`${repoPath(repository)}/pulls/${number}/files`);
  const added = files.filter(
    (f) => ['added', 'renamed', 'copied'].includes(f.status) && path.posix.dirname(f.filename) === bankPrefix(bankPath),
  );
  return adrFiles(
    added.map((f) => f.filename),
    `pull request #${number}`,
  );
}

/** ADR files added by open pull requests, except `exclude` (the current one). */
export async function pullRequestNumbers(
  github: GitHub,
  repository: Repository,
  bankPath: string,
  options: { exclude?: number | undefined } = {},
): Promise<UsedNumber[]> {
  const pulls = await github.paginate<PullRequest>(`${repoPath(repository)}/pulls`, { state: 'open' });
  const used: UsedNumber[] = [];
  for (const pull of pulls) {
    if (pull.number !== options.exclude) used.push(...(await pullRequestAdrs(github, repository, bankPath, pull.number)));
  }
  return used;
}

export function nextNumber(used: readonly UsedNumber[]): number {
  return Math.max(0, ...used.map((u) => u.number)) + 1;
}

/**
 * Numbers of `local` ADRs that another branch or pull request uses for a different file: these
 * collide when both are merged.
 */
export function collisions(local: readonly UsedNumber[], elsewhere: readonly UsedNumber[]): { local: UsedNumber; other: UsedNumber }[] {
  const found: { local: UsedNumber; other: UsedNumber }[] = [];
  for (const mine of local) {
    const other = elsewhere.find((o) => o.number === mine.number && o.file !== mine.file && !local.some((l) => l.file === o.file));
    if (other) found.push({ local: mine, other });
  }
  return found;
}
