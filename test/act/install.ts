/**
 * act (github.com/nektos/act), which runs GitHub Actions workflows on this machine, built from its
 * Go module with the machine's own Go toolchain and kept beside the other tools of the real tier:
 *
 *   ~/.cache/pipeline-toolkit/tools/act-<version>/bin/act
 *
 * Module and build caches live in ~/.cache/pipeline-toolkit/go (shared with `npm run tools`), so a
 * warm machine rebuilds nothing. A `.complete` stamp is written only after the binary answers with
 * its pinned version.
 *
 *   node test/act/install.ts      installs act when missing and prints the binary's path
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ACT_VERSION = '0.2.89';

const cacheRoot = process.env['PIPELINE_TOOLKIT_CACHE'] ?? path.join(homedir(), '.cache', 'pipeline-toolkit');
const toolsDir = process.env['PIPELINE_TOOLKIT_TOOLS'] ?? path.join(cacheRoot, 'tools');
const installDir = path.join(toolsDir, `act-${ACT_VERSION}`);

export const actBinary = path.join(installDir, 'bin', 'act');
const stamp = path.join(installDir, '.complete');

export function actInstalled(): boolean {
  return existsSync(stamp) && existsSync(actBinary);
}

/** The act binary, or an error saying how to install it (the act test must not pass without it). */
export function requireAct(): string {
  if (!actInstalled()) throw new Error(`act ${ACT_VERSION} is not installed (${actBinary}). Install it with: node test/act/install.ts`);
  return actBinary;
}

function versionOf(binary: string): string {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : '';
}

export function installAct(): string {
  if (actInstalled()) return actBinary;
  mkdirSync(path.dirname(actBinary), { recursive: true });
  const env = {
    ...process.env,
    GOMODCACHE: path.join(cacheRoot, 'go', 'mod'),
    GOCACHE: path.join(cacheRoot, 'go', 'build'),
    GOPATH: path.join(cacheRoot, 'go', 'path'),
    GOBIN: path.dirname(actBinary),
    GOFLAGS: '-modcacherw -buildvcs=false',
    CGO_ENABLED: '0',
    GOTOOLCHAIN: 'local',
  };
  const args = ['install', '-p', '2', `-ldflags=-s -w -X=main.version=${ACT_VERSION}`, `github.com/nektos/act@v${ACT_VERSION}`];
  console.log(`$ go ${args.join(' ')}`);
  const result = spawnSync('nice', ['-n', '10', 'go', ...args], { env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`go install of act ${ACT_VERSION} failed (exit ${result.status ?? result.signal})`);
  const version = versionOf(actBinary);
  if (version !== `act version ${ACT_VERSION}`) throw new Error(`${actBinary} answered '${version}', expected act version ${ACT_VERSION}`);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return actBinary;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(installAct());
}
