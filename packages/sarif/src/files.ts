import { realpath as fsRealpath, realpathSync, stat as fsStat } from 'node:fs';
import path from 'node:path';
import { InputError, isInside, quoteValue, resolveInside } from '@pipeline-toolkit/core';

const MAGIC = /[*?[\]{}!]/;

/** The folder a glob starts from: its segments before the first one with a wildcard (`reports/**` → `reports`), `.` for none. */
export function globBase(pattern: string): string {
  const normalized = path.posix.normalize(pattern.replaceAll('\\', '/'));
  const segments = normalized.split('/');
  const first = segments.findIndex((segment) => MAGIC.test(segment));
  const base = segments.slice(0, first < 0 ? segments.length : first).join('/');
  return base === '' ? (normalized.startsWith('/') ? '/' : '.') : base;
}

export interface ReportRoots {
  /**
   * Where reports may be (their real paths): in a job the workspace and RUNNER_TEMP
   * (jobRoots(…, 'write')); undefined on a person's terminal, where links are followed anywhere.
   */
  roots?: readonly string[] | undefined;
}

/**
 * Expands report paths and globs (relative to `cwd`) into files, in the order given, without
 * duplicates. Plain paths are kept as they are (a missing one is reported when it is read); a
 * glob that matches nothing is an error. The glob library is loaded only when a glob is given.
 *
 * With `roots` (in a job, ADR-051), what is read stays inside them once symbolic links are
 * followed, as other path inputs (resolveInside, ADR-016): a plain path, a glob's starting folder
 * and every match whose real path is outside is an InputError naming the input — before anything
 * is read —, and a glob does not walk into a folder link that leads outside (a committed
 * `reports/root -> /` is not searched). Links that stay inside are followed.
 */
export async function expandReports(
  patterns: readonly string[],
  cwd: string,
  input: string,
  label: (name: string) => string,
  options: ReportRoots = {},
): Promise<string[]> {
  const { roots } = options;
  const rule = roots?.length ? { input, label: label(input), roots, cwd } : undefined;
  const files: string[] = [];
  for (const pattern of patterns) {
    if (!MAGIC.test(pattern)) {
      files.push(rule ? resolveInside(pattern, rule) : path.resolve(cwd, pattern));
      continue;
    }
    if (rule) resolveInside(globBase(pattern), { ...rule, label: `${label(input)}: the folder of ${quoteValue(pattern)},` });
    const { glob } = await import('tinyglobby');
    const skipped: string[] = [];
    const matches = await glob(pattern, {
      cwd,
      absolute: true,
      onlyFiles: true,
      dot: true,
      expandDirectories: false,
      ...(rule ? { fs: { realpath: contained(rule.roots, skipped) } } : {}),
    });
    if (!matches.length) {
      const note = skipped.length
        ? ` ${skipped.length} folder link${skipped.length === 1 ? '' : 's'} leading outside the workspace or RUNNER_TEMP ${skipped.length === 1 ? 'was' : 'were'} not searched (${quoteValue(path.relative(cwd, skipped[0]!))}).`
        : '';
      throw new InputError(input, `${label(input)}: no file matches '${pattern}' (relative to ${cwd}).${note}`);
    }
    // a match reached through a link to a file outside: refused, naming it, before it is read
    if (rule) for (const match of matches) resolveInside(path.relative(cwd, match) || match, rule);
    files.push(...matches.sort());
  }
  return [...new Set(files.map((f) => path.normalize(f)))];
}

/**
 * The glob's `realpath` (called by fdir for each symbolic link it meets): a link whose real path is
 * a folder outside `roots` fails, which the walker takes as a link to nothing, so the folder is not
 * walked; it is noted in `skipped`. A link to a file is resolved as usual, and its match checked after.
 */
function contained(roots: readonly string[], skipped: string[]): typeof fsRealpath {
  const real = roots.map((root) => {
    try {
      return realpathSync(root);
    } catch {
      return path.resolve(root);
    }
  });
  const realpath = (file: string, callback: (error: NodeJS.ErrnoException | null, resolved: string) => void) => {
    fsRealpath(file, (error, resolved) => {
      if (error || real.some((root) => isInside(root, resolved))) return callback(error, resolved);
      fsStat(resolved, (statError, stats) => {
        if (statError || !stats.isDirectory()) return callback(null, resolved);
        skipped.push(file);
        const refused: NodeJS.ErrnoException = new Error(`${file} leads outside the workspace, to ${resolved}: not searched`);
        refused.code = 'EACCES';
        callback(refused, '');
      });
    });
  };
  return realpath as unknown as typeof fsRealpath;
}
