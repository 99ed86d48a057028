/** Real git repositories for the tests of diff-aware scans. */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  }).trim();

export async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
}

/** A repository with a base commit and a change on top of it; returns the base commit. */
export async function repository(
  base: Record<string, string>,
  change: (root: string) => Promise<void>,
): Promise<{ root: string; base: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'git-diff-'));
  git(root, 'init', '-q', '-b', 'main');
  await write(root, base);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  const sha = git(root, 'rev-parse', 'HEAD');
  await change(root);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'change');
  return { root, base: sha };
}
