/**
 * Release versions and tags, with Node built-ins only: the release workflow's gate and publish
 * steps use them before (or without) `npm ci`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Strict release versions: X.Y.Z, no leading zeros, no pre-release or build suffix. */
export const VERSION = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/;

export function parseVersion(text: string, what = 'version'): [number, number, number] {
  const match = VERSION.exec(text);
  if (!match) throw new Error(`${what} '${printable(text)}' is not a release version: expected X.Y.Z (for example 1.4.0), without a 'v'`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

export type Bump = 'major' | 'minor' | 'patch';

/** The kind of release from `previous` to `next` (next must be greater). */
export function bumpKind(previous: string, next: string): Bump {
  const [p, n] = [parseVersion(previous), parseVersion(next)];
  if (compareVersions(next, previous) <= 0) throw new Error(`version ${next} is not greater than the last release ${previous}`);
  return n[0] !== p[0] ? 'major' : n[1] !== p[1] ? 'minor' : 'patch';
}

/** A value safe to echo into a log line: control characters escaped, length capped. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped
  const escaped = text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > 80 ? `${escaped.slice(0, 80)}…` : escaped;
}

/** Release tags (vX.Y.Z) reachable from `ref`, highest first. */
export function releaseTags(root: string, ref = 'HEAD'): string[] {
  let listed: string;
  try {
    listed = execFileSync('git', ['tag', '--merged', ref, '--list', 'v*'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch {
    return []; // not a git repository, or no commit yet
  }
  return listed
    .split('\n')
    .map((t) => t.trim())
    .filter((t) => VERSION.test(t.slice(1)))
    .sort((a, b) => {
      const [x, y] = [a.slice(1).split('.').map(Number), b.slice(1).split('.').map(Number)];
      return y[0]! - x[0]! || y[1]! - x[1]! || y[2]! - x[2]!;
    });
}

/** The version the working tree carries (the root package.json). */
export function treeVersion(root: string): string {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no "version"');
  return pkg.version;
}
