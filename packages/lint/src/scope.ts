import { readFile } from 'node:fs/promises';
import { errorMessage, InputError, type Inputs } from '@pipeline-toolkit/core';
import type { LintContext } from './model.ts';

/**
 * Changed-files scope: on a pull request the linters look only at the files it touches, so that a
 * repository with old findings can adopt lint without fixing everything first. The files come from
 * git: the diff between the base commit (from the event payload, or the `base` input) and HEAD.
 */

export type ScopeMode = 'changed' | 'all';

interface EventPayload {
  before?: string;
  pull_request?: { base?: { sha?: string; ref?: string } };
  repository?: { default_branch?: string };
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'merge_group']);
const NO_COMMIT = /^0+$/;

/** The event payload the runner wrote (GITHUB_EVENT_PATH), or {} outside a workflow run. */
export async function readEvent(env: NodeJS.ProcessEnv): Promise<EventPayload> {
  const file = env['GITHUB_EVENT_PATH'];
  if (!file) return {};
  try {
    return JSON.parse(await readFile(file, 'utf8')) as EventPayload;
  } catch {
    return {};
  }
}

/** The `scope` input: `changed` or `all`; left empty, `changed` on pull requests and `all` otherwise. */
export function readScope(inputs: Inputs, env: NodeJS.ProcessEnv): ScopeMode {
  const onPullRequest = PULL_REQUEST_EVENTS.has(env['GITHUB_EVENT_NAME'] ?? '');
  return inputs.enum('scope', ['changed', 'all'], { default: onPullRequest ? 'changed' : 'all' });
}

/** What to compare with: the `base` input, else the pull request's base commit, else a push's previous commit. */
export function baseOf(given: string | undefined, event: EventPayload, labels: { base: string; scope: string }): string {
  const base = given || event.pull_request?.base?.sha || (event.before && !NO_COMMIT.test(event.before) ? event.before : undefined);
  if (!base) {
    throw new InputError(
      'scope',
      `Changed-files scope needs a commit to compare with: run it on a pull_request event, or set ${labels.base} (e.g. main or a commit SHA), or set ${labels.scope} to all.`,
    );
  }
  return base;
}

/**
 * The files changed since `base`, relative to ctx.cwd (git's --relative), deleted files left out.
 * A base missing from a shallow checkout is fetched (depth 1); without a merge base (shallow
 * history) the two trees are compared, which for the pull request merge commit that
 * actions/checkout checks out is exactly the pull request's change. Throws when git cannot say.
 */
export async function changedFiles(ctx: LintContext, base: string): Promise<string[]> {
  const git = (...args: string[]) =>
    ctx.exec('git', args, {
      cwd: ctx.cwd,
      env: { GIT_TERMINAL_PROMPT: '0' },
      okExitCodes: [0, 1, 128],
      timeoutMs: 120_000,
      logger: ctx.log,
    });
  const present = async () => (await git('rev-parse', '--verify', '--quiet', `${base}^{commit}`)).exitCode === 0;
  if (!(await present())) {
    ctx.log.info(`Fetching the base ${base} to compare with.`);
    await git('fetch', '--no-tags', '--quiet', '--depth=1', 'origin', base);
    if (!(await present()))
      throw new Error(`the base ${base} is not in the checkout and could not be fetched (actions/checkout with fetch-depth: 0 brings it)`);
  }
  const mergeBase = await git('merge-base', base, 'HEAD');
  const from = mergeBase.exitCode === 0 ? mergeBase.stdout.trim() : base;
  const diff = await git('-c', 'core.quotepath=off', 'diff', '--name-only', '-z', '--relative', '--diff-filter=d', from, 'HEAD', '--');
  if (diff.exitCode !== 0) throw new Error(`git diff ${from} HEAD failed: ${diff.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  return diff.stdout.split('\0').filter(Boolean);
}

export type ScopeReport =
  | { mode: 'all'; fallback?: string }
  | { mode: 'changed'; base: string; changed: string[]; linted: number; skipped: number };

/** The changed files, or `all` with the reason when git could not tell (lint then checks everything and says so). */
export async function resolveScope(ctx: LintContext, mode: ScopeMode, base: string | undefined): Promise<ScopeReport> {
  if (mode === 'all' || !base) return { mode: 'all' };
  try {
    return { mode: 'changed', base, changed: await changedFiles(ctx, base), linted: 0, skipped: 0 };
  } catch (error) {
    const reason = `Could not list the changed files (${errorMessage(error)}): linting all files instead.`;
    ctx.log.warning(reason);
    return { mode: 'all', fallback: reason };
  }
}
