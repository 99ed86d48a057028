import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isInside, stripChar } from '@pipeline-toolkit/core';

/** Anything normalisePath would change: a scheme or absolute start, backslashes, `.`/`..` segments, `//`, spaces at the ends. */
const NEEDS_WORK = /^(?:[a-z][a-z0-9+.-]*:|\/|\.{1,2}(?:\/|$)|\s)|\\|\/\.{1,2}(?:\/|$)|\/\/|\s$|^$/i;

/**
 * Makes a path or URI from a report repository-relative with forward slashes: `file://` URIs are
 * decoded, absolute paths under `root` are made relative, `./` is dropped. Paths outside the
 * repository stay absolute (nothing better can be said about them); a `file:` URI naming another
 * host stays `//host/path`.
 */
export function normalisePath(value: string, root: string): string {
  // Most paths are already plain relative paths: nothing to do.
  if (!NEEDS_WORK.test(value)) return value;
  let p = value.trim();
  if (/^file:/i.test(p)) {
    try {
      const url = new URL(p);
      p = decodeURIComponent(url.pathname);
      // a file on another host (a UNC path, `file://server/share/x.c`) is no file of this tree, wherever the root is
      if (url.hostname && url.hostname !== 'localhost') return `//${url.hostname}${path.posix.normalize(p)}`;
    } catch {
      p = p.replace(/^file:\/*/i, '/');
    }
    if (/^\/[A-Za-z]:\//.test(p)) p = p.slice(1);
  }
  p = p.replace(/\\/g, '/');
  if (path.posix.isAbsolute(p) || /^[A-Za-z]:\//.test(p)) {
    const rootSlash = stripChar(root.replace(/\\/g, '/'), '/', 'end');
    if (p === rootSlash) return '.';
    if (rootSlash && p.startsWith(`${rootSlash}/`)) return path.posix.normalize(p.slice(rootSlash.length + 1));
    return path.posix.normalize(p);
  }
  const normal = path.posix.normalize(p);
  return normal.startsWith('./') ? normal.slice(2) : normal;
}

/** True when a normalised path lies inside the repository. */
export function isRepositoryPath(p: string): boolean {
  return p !== '' && p !== '.' && p !== '..' && !p.startsWith('/') && !p.startsWith('../') && !/^[A-Za-z]:\//.test(p);
}

/**
 * Whether repository paths name regular files of the tree at `root`, for a reader that must choose
 * among the paths a report gives (Checkov's, Trivy's of a Terraform plan): a path outside the
 * repository is none, a symbolic link counts only when it leads to a file inside the tree (as
 * readRepositoryText in core follows them), and nothing but existence and kind is read. Answers
 * are remembered per path.
 */
export function treeFiles(root: string): (p: string) => boolean {
  let realRoot: string | undefined | null;
  const known = new Map<string, boolean>();
  return (p) => {
    if (!isRepositoryPath(p)) return false;
    let answer = known.get(p);
    if (answer !== undefined) return answer;
    if (realRoot === undefined) {
      try {
        realRoot = realpathSync(path.resolve(root));
      } catch {
        realRoot = null;
      }
    }
    answer = false;
    if (realRoot !== null) {
      try {
        const real = realpathSync(path.join(realRoot, p));
        answer = isInside(realRoot, real) && statSync(real).isFile();
      } catch {
        // no such file, or a link to nothing
      }
    }
    if (known.size < 10_000) known.set(p, answer);
    return answer;
  };
}

/** treeFiles of `root`, one per owner (a report's parse context) for as long as it lives. */
const ownTrees = new WeakMap<object, (p: string) => boolean>();

export function treeFilesOf(owner: object, root: string): (p: string) => boolean {
  let tree = ownTrees.get(owner);
  if (!tree) ownTrees.set(owner, (tree = treeFiles(root)));
  return tree;
}

/** A repository path as a SARIF `uri`: relative reference, each segment percent-encoded. */
export function toUri(p: string): string {
  if (isRepositoryPath(p)) return p.split('/').map(encodeURIComponent).join('/');
  return `file://${p.startsWith('/') ? '' : '/'}${p.split('/').map(encodeURIComponent).join('/')}`;
}
