import { constants, lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { mkdir, open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from './errors.ts';
import { formatBytes, quoteValue } from './text.ts';

/**
 * Paths named by inputs, checked as a demanding user of a CI action expects: they stay inside the
 * workspace (a folder named `..foo` is a folder like any other; `../x` and `/etc` are not), what
 * must exist exists and is of the right kind, and writes never follow a symbolic link — a pull
 * request cannot plant one to make the action overwrite a file elsewhere.
 */

/** True when `target` is `root` or below it, compared by path segments. */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(target));
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** The real path of `target`, or of its nearest existing ancestor joined with the rest (for files yet to be written). */
function realPathOf(target: string): string {
  const missing: string[] = [];
  let current = path.resolve(target);
  for (;;) {
    try {
      return path.join(realpathSync(current), ...missing.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(target);
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

const realRoot = (root: string) => realPathOf(root);

export interface PathRule {
  /** The input's name (for InputError) and how messages name it (`Input 'x'` or `--x`). */
  input: string;
  label: string;
  /** Where the path must stay: the workspace, and for writes RUNNER_TEMP too. None: anywhere (a person at a terminal). */
  roots?: readonly string[] | undefined;
  /** Resolve relative paths from here (default the first root). */
  cwd?: string;
}

function rootsText(roots: readonly string[]): string {
  if (roots.length === 0) return 'the workspace';
  return roots.length === 1 ? `the workspace (${roots[0]})` : `the workspace (${roots[0]}) or RUNNER_TEMP (${roots.slice(1).join(', ')})`;
}

/** Resolves `value` and checks it stays inside the roots, before and after following symbolic links. */
export function resolveInside(value: string, rule: PathRule): string {
  const absolute = path.resolve(rule.cwd ?? rule.roots?.[0] ?? process.cwd(), value);
  if (!rule.roots?.length) return absolute;
  const lexical = rule.roots.some((root) => isInside(root, absolute));
  const real = realPathOf(absolute);
  if (!lexical || !rule.roots.some((root) => isInside(realRoot(root), real))) {
    const via = lexical ? ` (through a symbolic link, to ${real})` : '';
    throw new InputError(rule.input, `${rule.label} ${quoteValue(value)} is outside ${rootsText(rule.roots)}${via}: refused.`);
  }
  return absolute;
}

/**
 * A path input the action reads: inside the roots (symbolic links followed and checked), existing,
 * and a file or a directory as `kind` says. Returns the absolute path.
 */
export function existingPath(value: string, rule: PathRule & { kind: 'file' | 'directory' }): string {
  const absolute = resolveInside(value, rule);
  let stats;
  try {
    stats = statSync(absolute);
  } catch {
    throw new InputError(rule.input, `${rule.label} ${quoteValue(value)} does not exist (looked for ${absolute}).`);
  }
  if (rule.kind === 'directory' && !stats.isDirectory())
    throw new InputError(rule.input, `${rule.label} ${quoteValue(value)} is not a directory.`);
  if (rule.kind === 'file' && !stats.isFile()) {
    const what = stats.isDirectory() ? 'a directory' : 'not a regular file';
    throw new InputError(rule.input, `${rule.label} ${quoteValue(value)} is ${what}; it must name a file.`);
  }
  return absolute;
}

/**
 * A path the action will write: inside the roots once its folders' links are followed, and
 * absent or a regular file: not a symbolic link, a directory, or a named pipe or device (opening
 * a pipe to write waits for a reader, for ever). Returns the absolute path.
 */
export function writablePath(value: string, rule: PathRule): string {
  const absolute = resolveInside(value, rule);
  let stats;
  try {
    stats = lstatSync(absolute);
  } catch {
    return absolute;
  }
  if (stats.isSymbolicLink())
    throw new InputError(
      rule.input,
      `${rule.label} ${quoteValue(value)} is a symbolic link: refused (the action writes only regular files).`,
    );
  if (stats.isDirectory()) throw new InputError(rule.input, `${rule.label} ${quoteValue(value)} is a directory; it must name a file.`);
  if (!stats.isFile())
    throw new InputError(
      rule.input,
      `${rule.label} ${quoteValue(value)} is ${typeOf(stats)}: refused (the action writes only regular files).`,
    );
  return absolute;
}

/** Where action-mode writes may go: the workspace and RUNNER_TEMP. */
export function writeRoots(env: NodeJS.ProcessEnv, cwd = process.cwd()): string[] {
  const workspace = env['GITHUB_WORKSPACE'] || cwd;
  return env['RUNNER_TEMP'] ? [workspace, env['RUNNER_TEMP']] : [workspace];
}

/**
 * The roots for code shared by actions and the CLI: inside a GitHub Actions job (GITHUB_ACTIONS
 * is true) the workspace, for reads, or the workspace and RUNNER_TEMP, for writes; on a person's
 * terminal none.
 */
export function jobRoots(env: NodeJS.ProcessEnv, cwd: string, use: 'read' | 'write'): string[] | undefined {
  if (env['GITHUB_ACTIONS'] !== 'true') return undefined;
  return use === 'write' ? writeRoots(env, cwd) : [env['GITHUB_WORKSPACE'] || cwd];
}

/**
 * Writes a file without following a symbolic link at its name (O_NOFOLLOW), after checking with
 * writablePath() that it stays inside the roots; parent folders are created.
 */
export async function writeFileInside(file: string, data: string | Uint8Array, rule: PathRule): Promise<string> {
  const absolute = writablePath(file, rule);
  await mkdir(path.dirname(absolute), { recursive: true });
  // The folders may have changed since the check: check the real folder again, then open without following a link.
  resolveInside(absolute, rule);
  let handle;
  try {
    handle = await open(absolute, WRITE_FLAGS, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'ENXIO')
      throw new InputError(
        rule.input,
        `${rule.label} ${quoteValue(file)} is ${code === 'ELOOP' ? 'a symbolic link' : 'a named pipe'}: refused (the action writes only regular files).`,
      );
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile())
      throw new InputError(
        rule.input,
        `${rule.label} ${quoteValue(file)} is ${typeOf(stats)}: refused (the action writes only regular files).`,
      );
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
  return absolute;
}

/** Why readTextFile refused a file: too large for its use, not a regular file, or (readRepositoryText) outside the repository. */
export type FileRefusal =
  | { kind: 'too-large'; size: string; limit: string }
  | { kind: 'not-a-file'; type: string }
  | { kind: 'outside'; target: string };

/** The refusal as the end of a sentence about the file: `is 600.0 MB; a suite is read whole, up to 16.0 MB`. */
export function refusalText(refusal: FileRefusal, readWhole: string): string {
  switch (refusal.kind) {
    case 'too-large':
      return `is ${refusal.size}; ${readWhole} is read whole, up to ${refusal.limit}`;
    case 'not-a-file':
      return `is ${refusal.type}, not a regular file`;
    case 'outside':
      return `leads to ${quoteValue(refusal.target)}, outside the repository: refused`;
  }
}

/**
 * How an output file is opened: created or emptied, never through a symbolic link at its name
 * (O_NOFOLLOW: ELOOP), and without waiting for a reader if a named pipe was put there since the
 * check (O_NONBLOCK: ENXIO). Regular files ignore O_NONBLOCK.
 */
export const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | (constants.O_NONBLOCK ?? 0);

/** What a file that is not a regular file is, for a message: `a named pipe`, `a directory`… */
export function typeOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

/** The least room added once a file is longer than the size it had when opened (the room doubles after it). */
const GROWTH_CHUNK = 64 * 1024;

/**
 * Reads a text file whole, up to `maxBytes`. What is read is checked on the open file, so that
 * neither a link swapped after a check nor a file that grows while it is read gets past:
 * - a named pipe, a device (`/dev/zero`), a directory or a socket is refused (`refuse`, kind
 *   `not-a-file`) without reading it; the file is opened without waiting for a pipe's writer;
 * - a file larger than `maxBytes` is refused by its size before anything is read (`too-large`),
 *   and one that grows past it while it is read is refused when it does.
 * `refuse` throws the caller's error naming its input. A file read whole cannot pass the longest
 * JavaScript string (512 MiB), and a configuration file far smaller than that is already not one.
 */
export async function readTextFile(file: string, maxBytes: number, refuse: (refusal: FileRefusal) => never): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) refuse({ kind: 'not-a-file', type: typeOf(stats) });
    const tooLarge = (size: number): never => refuse({ kind: 'too-large', size: formatBytes(size), limit: formatBytes(maxBytes) });
    if (stats.size > maxBytes) tooLarge(stats.size);
    // one byte more than the size: a file that grew since shows it
    let buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) tooLarge(length);
        const grown = Buffer.allocUnsafe(Math.min(Math.max(2 * length, length + GROWTH_CHUNK), maxBytes + 1));
        buffer.copy(grown);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) tooLarge(length);
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
}

/**
 * A file of the repository read by its conventional name (`.trivyignore`, `.semgrepignore`):
 * undefined when there is none; a symbolic link is followed only to a file inside the repository
 * (a pull request could otherwise point it at `/proc/self/environ` or a device), then read as
 * readTextFile reads (regular files only, up to `maxBytes`).
 */
export async function readRepositoryText(
  root: string,
  file: string,
  maxBytes: number,
  refuse: (refusal: FileRefusal) => never,
): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(path.resolve(root, file));
  } catch (error) {
    // no file there, or a link to nothing
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!isInside(realRoot(root), real)) refuse({ kind: 'outside', target: real });
  return readTextFile(real, maxBytes, refuse);
}
