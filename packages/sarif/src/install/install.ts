import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ExternalError, type Exec, type Logger } from '@pipeline-toolkit/core';
import { downloadVerified, type DownloadPolicy } from './download.ts';
import { ARCHIVES, parseChecksums, SCANNER_VERSIONS, type ArchiveRelease, type Installable, type Platform } from './releases.ts';
import { SEMGREP_ENV } from '../scanners/semgrep.ts';

export interface InstallOptions {
  tools: readonly Installable[];
  /** Where the scanners are installed (the folder the workflow caches). */
  dir: string;
  /** The official release archives are fetched from here instead: a base URL or a directory holding them under their asset names. */
  mirror?: string;
  /** The SHA-256 list (sha256sum format) the archives must match. */
  checksumsFile: string;
  /** Semgrep and its dependencies with their hashes (pip --require-hashes). */
  semgrepRequirements: string;
  /** A directory of wheels pip installs Semgrep from instead of PyPI (`--no-index --find-links`); the hashes still apply. */
  semgrepWheels?: string;
  /** The Python that makes Semgrep's virtual environment (default python3). */
  python?: string;
  platform: Platform;
  download?: DownloadPolicy;
}

export interface InstallDeps {
  exec: Exec;
  log: Logger;
  fetch?: typeof fetch;
}

export interface Installed {
  tool: Installable;
  version: string;
  /** Absolute path of the program. */
  bin: string;
  /** `cache`: found installed and intact; `install`: fetched, verified and installed now. */
  from: 'cache' | 'install';
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

interface Marker {
  artifact: string;
  artifactSha256: string;
  binarySha256: string;
  /** Semgrep's virtual environment: the folder it was created in. */
  home?: string;
}

async function readMarker(file: string): Promise<Marker | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

/** Where an archive comes from: the mirror (URL base or directory) or the official release URL. */
function sourceOf(release: ArchiveRelease, asset: string, mirror: string | undefined): string {
  if (!mirror) return release.url(asset);
  if (/^https?:\/\//i.test(mirror)) return `${mirror.endsWith('/') ? mirror.slice(0, -1) : mirror}/${asset}`;
  return path.join(mirror, asset);
}

async function checkVersion(
  bin: string,
  args: string[],
  expect: string,
  deps: InstallDeps,
  timeoutMs = 60_000,
  env?: Record<string, string>,
): Promise<void> {
  const { stdout, stderr } = await deps.exec(bin, args, { logger: deps.log, timeoutMs, ...(env ? { env } : {}) });
  if (!`${stdout}\n${stderr}`.includes(expect))
    throw new ExternalError(`${bin} ${args.join(' ')} did not report '${expect}': ${(stdout || stderr).trim().slice(0, 200)}`);
}

/**
 * Installs one scanner from its release archive: reuses an installed copy whose binary still has
 * the hash recorded when it was verified; otherwise downloads the archive, checks its SHA-256,
 * extracts only the named binary (a regular file: no link, no other path is written), checks its
 * version and moves it into place.
 */
async function installArchive(
  release: ArchiveRelease,
  options: InstallOptions,
  sums: Map<string, string>,
  deps: InstallDeps,
): Promise<Installed> {
  const asset = release.asset(options.platform);
  const expected = sums.get(asset);
  if (!expected)
    throw new ExternalError(`${options.checksumsFile} has no SHA-256 for ${asset}; refusing to install ${release.tool} unverified.`);
  const home = path.join(options.dir, `${release.tool}-${release.version}-${options.platform.os}-${options.platform.arch}`);
  const bin = path.join(home, release.binary);
  const markerFile = path.join(home, '.verified.json');
  const marker = await readMarker(markerFile);
  if (marker && marker.artifact === asset && marker.artifactSha256 === expected && existsSync(bin)) {
    const now = await sha256File(bin);
    if (now === marker.binarySha256) {
      deps.log.info(`${release.tool} ${release.version}: installed copy intact (from ${asset}, SHA-256 ${expected}).`);
      return { tool: release.tool, version: release.version, bin, from: 'cache' };
    }
    deps.log.warning(
      `${release.tool} ${release.version}: the cached binary changed since it was verified (SHA-256 ${now}); installing it again.`,
    );
  }
  await mkdir(options.dir, { recursive: true });
  const work = await mkdtemp(path.join(options.dir, `.${release.tool}-`));
  try {
    const archive = path.join(work, asset);
    const source = sourceOf(release, asset, options.mirror);
    deps.log.info(`${release.tool} ${release.version}: fetching ${asset}`);
    await downloadVerified(source, archive, expected, {
      log: deps.log,
      artifact: asset,
      ...(options.download ? { policy: options.download } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    const out = path.join(work, 'x');
    await mkdir(out);
    await deps.exec('tar', ['-xzf', archive, '-C', out, '--no-same-owner', '--no-same-permissions', '--', release.binary], {
      logger: deps.log,
      timeoutMs: 120_000,
    });
    const extracted = path.join(out, release.binary);
    const stat = await lstat(extracted).catch(() => undefined);
    if (!stat?.isFile()) throw new ExternalError(`${asset} holds no regular file named ${release.binary}; nothing was installed.`);
    await chmod(extracted, 0o755);
    await checkVersion(extracted, release.versionArgs, release.expect, deps);
    await rm(home, { recursive: true, force: true });
    await mkdir(home, { recursive: true });
    await rename(extracted, bin);
    const written: Marker = { artifact: asset, artifactSha256: expected, binarySha256: await sha256File(bin) };
    await writeFile(markerFile, `${JSON.stringify(written, null, 2)}\n`);
    deps.log.info(`${release.tool} ${release.version}: installed from ${asset} (SHA-256 ${expected} verified).`);
    return { tool: release.tool, version: release.version, bin, from: 'install' };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Installs Semgrep from PyPI (its official distribution) into a virtual environment of its own,
 * with pip's hash-checking mode: every file pip fetches must have a hash listed in the
 * requirements file, dependencies included, or the install fails.
 */
async function installSemgrep(options: InstallOptions, deps: InstallDeps): Promise<Installed> {
  const version = SCANNER_VERSIONS.semgrep;
  const python = options.python ?? 'python3';
  const { stdout } = await deps.exec(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    logger: deps.log,
    timeoutMs: 60_000,
  });
  const pyVersion = stdout.trim();
  const home = path.join(options.dir, `semgrep-${version}-${options.platform.os}-${options.platform.arch}-py${pyVersion}`);
  const bin = path.join(home, 'bin', 'semgrep');
  const markerFile = path.join(home, '.verified.json');
  const lockHash = await sha256File(options.semgrepRequirements);
  const marker = await readMarker(markerFile);
  // A virtual environment names its own absolute path in every script: a copy restored by a cache
  // into another folder is not reused (its `semgrep` would start a python that is not there).
  if (marker && marker.artifactSha256 === lockHash && marker.home === home && existsSync(bin)) {
    deps.log.info(`semgrep ${version}: installed copy found (requirements SHA-256 ${lockHash}).`);
    return { tool: 'semgrep', version, bin, from: 'cache' };
  }
  await rm(home, { recursive: true, force: true });
  await mkdir(options.dir, { recursive: true });
  await deps.exec(python, ['-m', 'venv', home], { logger: deps.log, timeoutMs: 300_000 });
  const pip = path.join(home, 'bin', 'pip');
  const args = [
    'install',
    '--require-hashes',
    '--only-binary',
    ':all:',
    '--no-input',
    '--disable-pip-version-check',
    '--timeout',
    '60',
    '--retries',
    '5',
    ...(options.semgrepWheels ? ['--no-index', '--find-links', options.semgrepWheels] : []),
    '-r',
    options.semgrepRequirements,
  ];
  deps.log.info(`semgrep ${version}: pip ${args.join(' ')}`);
  try {
    await deps.exec(pip, args, { logger: deps.log, timeoutMs: 900_000 });
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw new ExternalError(
      `Installing Semgrep ${version} with pip --require-hashes -r ${options.semgrepRequirements} failed (a hash mismatch names the file pip refused): ${String(error)}`,
    );
  }
  // in the environment of the scans: without it Semgrep first asks semgrep.dev for a newer release
  await checkVersion(bin, ['--version'], version, deps, 120_000, { ...SEMGREP_ENV });
  await writeFile(
    markerFile,
    `${JSON.stringify({ artifact: path.basename(options.semgrepRequirements), artifactSha256: lockHash, binarySha256: '', home }, null, 2)}\n`,
  );
  return { tool: 'semgrep', version, bin, from: 'install' };
}

/** Installs the scanners asked for (each verified), in order; returns where each program is. */
export async function installScanners(options: InstallOptions, deps: InstallDeps): Promise<Installed[]> {
  const sums = parseChecksums(await readFile(options.checksumsFile, 'utf8'), options.checksumsFile);
  const installed: Installed[] = [];
  for (const tool of options.tools) {
    installed.push(tool === 'semgrep' ? await installSemgrep(options, deps) : await installArchive(ARCHIVES[tool], options, sums, deps));
  }
  return installed;
}
