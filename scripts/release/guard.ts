/**
 * The breaking-change guard: compares the interface of the working tree (every action.yml and the
 * reusable workflow's inputs, outputs and secrets) with the one callers are pinned to — the last
 * release tag reachable from HEAD, or the committed baseline while there is no tag — and fails
 * when something would break them without a major version.
 *
 *   node scripts/release/guard.ts [--version X.Y.Z] [--root DIR]
 *
 * The version defaults to the root package.json's: between releases it is the last released
 * version, so any breaking change fails until `npm run release -- <next major>` prepares one.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { breakingChanges, parseVersion, readInterface, type Interface } from './interface.ts';
import { BASELINE, lastReleased, treeVersion, workingTree } from './tree.ts';

export interface GuardResult {
  /** Where the pinned interface came from (a tag, or the baseline). */
  source: string;
  previous: string;
  version: string;
  changes: string[];
  /** Breaking changes are allowed only when the major version goes up. */
  ok: boolean;
  current: Interface;
}

export function guard(root: string, version = treeVersion(root)): GuardResult {
  const pinned = lastReleased(root);
  const current = readInterface(workingTree(root), version);
  const changes = breakingChanges(pinned.interface, current);
  const major = parseVersion(version)[0] > parseVersion(pinned.interface.version, `${pinned.source} version`)[0];
  return { source: pinned.source, previous: pinned.interface.version, version, changes, ok: changes.length === 0 || major, current };
}

export function describe(result: GuardResult): string {
  if (result.changes.length === 0) return `No breaking change since ${result.source}.`;
  const list = result.changes.map((c) => `  - ${c}`).join('\n');
  if (result.ok) return `Breaking changes since ${result.source}, released as major version ${result.version}:\n${list}`;
  return [
    `Breaking changes since ${result.source}, but version ${result.version} keeps major ${parseVersion(result.version)[0]}:`,
    list,
    'Callers pinned to this major would break. Keep the old name beside the new one (deprecate it), or prepare a major',
    `release (npm run release -- ${parseVersion(result.previous)[0] + 1}.0.0).`,
    result.source.startsWith(BASELINE)
      ? `Nothing is released yet: to accept the new interface as the baseline, run npm run release -- --baseline.`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

if (import.meta.main) {
  try {
    const { values } = parseArgs({ options: { version: { type: 'string' }, root: { type: 'string' } }, strict: true });
    const root = path.resolve(values.root ?? path.join(import.meta.dirname, '../..'));
    const result = guard(root, values.version ?? treeVersion(root));
    if (result.ok) console.log(describe(result));
    else {
      console.error(describe(result));
      process.exitCode = 1;
    }
  } catch (error) {
    console.error(`release guard: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
