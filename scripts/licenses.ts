import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metafile } from 'esbuild';

function packageDir(root: string, file: string): string | undefined {
  const marker = file.lastIndexOf('node_modules/');
  if (marker < 0) return undefined;
  const rest = file.slice(marker + 'node_modules/'.length).split('/');
  const name = rest[0]?.startsWith('@') ? rest.slice(0, 2).join('/') : rest[0];
  return name ? path.join(root, file.slice(0, marker), 'node_modules', name) : undefined;
}

/** The licence texts of every npm package an esbuild metafile bundled, for a licenses.txt beside the bundle. */
export async function licenses(root: string, metafile: Metafile): Promise<string> {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const dir = packageDir(root, input);
    if (dir) dirs.add(dir);
  }
  const sections: string[] = [];
  for (const dir of [...dirs].sort()) {
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const files = (await readdir(dir)).filter((f) => /^(licen[sc]e|copying|notice)/i.test(f)).sort();
    const texts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
    sections.push(`${pkg.name}@${pkg.version}\n${pkg.license ?? 'UNKNOWN'}\n${texts.join('\n').trim()}`);
  }
  return `${sections.join('\n\n---\n\n')}\n`;
}
