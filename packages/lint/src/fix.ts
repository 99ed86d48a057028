import path from 'node:path';
import { InputError, readRepositoryText } from '@pipeline-toolkit/core';
import type { LintContext, LinterName } from './model.ts';
import { readEvent } from './scope.ts';

/**
 * Fix mode: ruff and ESLint apply their fixes; the files they may touch are read before and after,
 * and what changed is shown as a unified diff (the caller's workflow may commit it). Never on the
 * default branch unless it is asked for.
 */

/** The linters that fix files in fix mode. */
export const FIXERS: readonly LinterName[] = ['ruff', 'eslint'];

/** The largest source file whose fixes are shown: larger ones (generated, minified) are fixed but not diffed. */
const MAX_DIFFED_BYTES = 16 * 1024 * 1024;

const leftOut = (): never => {
  throw new Error('left out');
};

/**
 * The contents of `files` (cwd-relative); a file that cannot be read is left out, and so is one that
 * is not a regular file inside the repository (a link to a device, or to a file elsewhere) or is
 * larger than 16 MB.
 */
export async function snapshot(cwd: string, files: readonly string[]): Promise<Map<string, string>> {
  const read = (f: string) => readRepositoryText(cwd, f, MAX_DIFFED_BYTES, leftOut).catch(() => undefined);
  const entries = await Promise.all(files.map(async (f) => [f, await read(f)] as const));
  return new Map(entries.filter((e): e is readonly [string, string] => e[1] !== undefined));
}

export interface FixReport {
  /** Files the fixes changed, relative to the workspace root. */
  files: string[];
  /** Unified diff of those changes (a/ and b/ paths relative to the workspace root). */
  patch: string;
}

/** What the fixes changed since `before` was taken. */
export async function fixReport(ctx: Pick<LintContext, 'cwd' | 'root'>, before: ReadonlyMap<string, string>): Promise<FixReport> {
  const after = await snapshot(ctx.cwd, [...before.keys()]);
  const { createTwoFilesPatch } = await import('diff');
  const files: string[] = [];
  const patches: string[] = [];
  for (const [file, old] of before) {
    const now = after.get(file) ?? '';
    if (now === old) continue;
    const shown = path.relative(ctx.root, path.join(ctx.cwd, file)).split(path.sep).join('/');
    files.push(shown);
    patches.push(createTwoFilesPatch(`a/${shown}`, `b/${shown}`, old, now, undefined, undefined, { context: 3 }).replace(/^=+\n/, ''));
  }
  return { files, patch: patches.join('') };
}

/** The branch checked out: GITHUB_REF inside a workflow run, else git's current branch. */
async function branches(ctx: LintContext): Promise<{ current?: string; default?: string }> {
  const event = await readEvent(ctx.env);
  const ref = ctx.env['GITHUB_REF'];
  if (ctx.env['GITHUB_ACTIONS'] === 'true' || ref) {
    return {
      current: ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined,
      default: event.repository?.default_branch,
    };
  }
  const git = async (...args: string[]) => {
    const result = await ctx.exec('git', args, { cwd: ctx.cwd, okExitCodes: [0, 1, 128] }).catch(() => undefined);
    return result?.exitCode === 0 ? result.stdout.trim() : undefined;
  };
  const [current, remoteHead] = await Promise.all([
    git('symbolic-ref', '--short', 'HEAD'),
    git('symbolic-ref', '--short', 'refs/remotes/origin/HEAD'),
  ]);
  return { current, default: remoteHead?.replace(/^origin\//, '') };
}

/** Refuses fix mode on the default branch (a fix there changes the branch everyone builds from) unless `allowed`. */
export async function checkFixAllowed(ctx: LintContext, allowed: boolean, labels: { fix: string; allow: string }): Promise<void> {
  if (allowed) return;
  const { current, default: defaultBranch } = await branches(ctx);
  if (current && defaultBranch && current === defaultBranch) {
    throw new InputError(
      'fix',
      `Fix mode (${labels.fix}) is refused on the default branch '${defaultBranch}': fixes belong on a pull request branch, where they can be reviewed. ` +
        `Set ${labels.allow} to true to fix the default branch on purpose.`,
    );
  }
}
