/**
 * Where the interfaces come from: the working tree, a release tag (read with `git show`, nothing
 * checked out), or the committed baseline snapshot (scripts/release/interface.json) while the
 * repository has no release tag yet.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readInterface, type Interface, type TreeReader } from './interface.ts';
import { releaseTags } from './version.ts';

export { releaseTags, treeVersion } from './version.ts';

export const BASELINE = 'scripts/release/interface.json';

export function workingTree(root: string): TreeReader {
  return {
    read: (file) => (existsSync(path.join(root, file)) ? readFileSync(path.join(root, file), 'utf8') : undefined),
    actionNames: () =>
      existsSync(path.join(root, 'actions'))
        ? readdirSync(path.join(root, 'actions'), { withFileTypes: true })
            .filter((d) => d.isDirectory() && existsSync(path.join(root, 'actions', d.name, 'action.yml')))
            .map((d) => d.name)
            .sort()
        : [],
  };
}

const git = (root: string, ...args: string[]) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

export function tagTree(root: string, tag: string): TreeReader {
  return {
    read: (file) => {
      try {
        return git(root, 'show', `${tag}:${file}`);
      } catch {
        return undefined; // absent at that tag
      }
    },
    actionNames: () =>
      git(root, 'ls-tree', '--name-only', `${tag}:actions`)
        .split('\n')
        .filter((name) => name && git(root, 'ls-tree', '--name-only', `${tag}:actions/${name}`).split('\n').includes('action.yml'))
        .sort(),
  };
}

export function readBaseline(root: string): Interface {
  const file = path.join(root, BASELINE);
  if (!existsSync(file)) throw new Error(`${BASELINE} is missing: run 'npm run release -- <version> --write' to record the interface`);
  return JSON.parse(readFileSync(file, 'utf8')) as Interface;
}

/** The interface callers are pinned to: the last release tag's, or the baseline while there is no tag. */
export function lastReleased(root: string): { interface: Interface; source: string } {
  // A tag on HEAD itself is the release being made (a pushed tag), not the one callers pin.
  let head = '';
  try {
    head = git(root, 'rev-parse', 'HEAD').trim();
  } catch {
    // not a git repository: no tags either
  }
  const [tag] = releaseTags(root).filter((t) => git(root, 'rev-parse', `${t}^{commit}`).trim() !== head);
  if (tag) return { interface: readInterface(tagTree(root, tag), tag.slice(1)), source: `tag ${tag}` };
  const baseline = readBaseline(root);
  return { interface: baseline, source: `${BASELINE} (no release tag yet; recorded at ${baseline.version})` };
}
