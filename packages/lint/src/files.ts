import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const SKIP = new Set(['node_modules', '.git', '.venv', 'venv', 'dist', 'build', '__pycache__', '.tox', '.mypy_cache', '.ruff_cache']);

/** Files under `dir` whose name matches, skipping dependency and build folders; paths relative to dir. */
export async function findFiles(dir: string, match: (name: string) => boolean, limit = 10_000): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (found.length >= limit) return;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name)) await walk(child);
      } else if (match(entry.name)) found.push(child);
    }
  };
  await walk('');
  return found.sort();
}

/**
 * Memoises a per-context computation (such as a walk of the file tree), so a linter's `applies`
 * and `run` given the same context compute it once. A failed computation is not kept.
 */
export function perContext<C extends object, T>(compute: (ctx: C) => Promise<T>): (ctx: C) => Promise<T> {
  const cache = new WeakMap<C, Promise<T>>();
  return (ctx) => {
    let result = cache.get(ctx);
    if (!result) {
      result = compute(ctx);
      cache.set(ctx, result);
      result.catch(() => cache.delete(ctx));
    }
    return result;
  };
}

export const exists = (dir: string, ...names: string[]) => names.some((name) => existsSync(path.join(dir, name)));

/** A path as annotations want it: relative to the workspace root, with forward slashes. */
export function relativeTo(root: string, cwd: string, file: string): string {
  return path.relative(root, path.resolve(cwd, file)).split(path.sep).join('/');
}

/** The findings on `files` (cwd-relative), for a linter that lints the whole project when only some files changed. */
export function onFiles<T extends { file: string }>(
  ctx: { root: string; cwd: string },
  findings: readonly T[],
  files: readonly string[] | undefined,
): T[] {
  if (!files) return [...findings];
  const wanted = new Set(files.map((f) => relativeTo(ctx.root, ctx.cwd, f)));
  return findings.filter((f) => wanted.has(f.file));
}

/** The files found in `dirs` (cwd-relative folders), as cwd-relative paths. */
export async function filesUnder(cwd: string, dirs: readonly string[]): Promise<string[]> {
  const lists = await Promise.all(
    dirs.map(async (dir) => (await findFiles(path.join(cwd, dir), () => true)).map((f) => (dir === '.' ? f : `${dir}/${f}`))),
  );
  return lists.flat().sort();
}
