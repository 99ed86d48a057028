/**
 * The release's assets: the CLI packed by `npm run package-cli` (its last output line is the
 * tarball's path), copied as pipeline-toolkit-X.Y.Z.tgz, and SHA256SUMS in the `sha256sum`
 * format, so that `sha256sum --check SHA256SUMS` verifies a download.
 *
 *   node scripts/release/assets.ts --version X.Y.Z --out DIR
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseVersion, printable } from './interface.ts';

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The tarball path from package-cli's output: its last non-empty line, relative to `root`. */
export function tarballFrom(output: string, root: string): string {
  const last = output.trimEnd().split('\n').pop()?.trim() ?? '';
  const file = path.resolve(root, last);
  if (!last || !/\.tgz$/.test(last) || !existsSync(file) || !statSync(file).isFile())
    throw new Error(`npm run package-cli did not end with the path of a .tgz file (last line: '${printable(last)}')`);
  return file;
}

export function writeAssets(tarball: string, version: string, out: string): string[] {
  mkdirSync(out, { recursive: true });
  const name = `pipeline-toolkit-${version}.tgz`;
  copyFileSync(tarball, path.join(out, name));
  writeFileSync(path.join(out, 'SHA256SUMS'), `${sha256(readFileSync(path.join(out, name)))}  ${name}\n`);
  return [name, 'SHA256SUMS'];
}

if (import.meta.main) {
  try {
    const { values } = parseArgs({ options: { version: { type: 'string' }, out: { type: 'string' } }, strict: true });
    if (!values.version || !values.out) throw new Error('usage: assets.ts --version X.Y.Z --out DIR');
    parseVersion(values.version);
    const root = process.cwd();
    const packed = spawnSync('npm', ['run', '--silent', 'package-cli'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(packed.stdout ?? '');
    if (packed.status !== 0) throw new Error(`npm run package-cli failed (exit ${packed.status ?? packed.signal})`);
    const names = writeAssets(tarballFrom(packed.stdout, root), values.version, values.out);
    console.log(`Release assets in ${values.out}: ${names.join(', ')}`);
  } catch (error) {
    console.log(`::error title=Release assets::${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
