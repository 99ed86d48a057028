import path from 'node:path';
import { InputError } from '@pipeline-toolkit/core';

const MAGIC = /[*?[\]{}!]/;

/**
 * Expands report paths and globs (relative to `cwd`) into files, in the order given, without
 * duplicates. Plain paths are kept as they are (a missing one is reported when it is read); a
 * glob that matches nothing is an error. The glob library is loaded only when a glob is given.
 */
export async function expandReports(
  patterns: readonly string[],
  cwd: string,
  input: string,
  label: (name: string) => string,
): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (!MAGIC.test(pattern)) {
      files.push(path.resolve(cwd, pattern));
      continue;
    }
    const { glob } = await import('tinyglobby');
    const matches = await glob(pattern, { cwd, absolute: true, onlyFiles: true, dot: true, expandDirectories: false });
    if (!matches.length) throw new InputError(input, `${label(input)}: no file matches '${pattern}' (relative to ${cwd}).`);
    files.push(...matches.sort());
  }
  return [...new Set(files.map((f) => path.normalize(f)))];
}
