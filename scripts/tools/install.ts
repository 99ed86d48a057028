/**
 * Installs the pinned real tools of the test tiers into ~/.cache/pipeline-toolkit/tools/<name>-<version>/
 * (outside the clone, so a warm machine and CI reuse them), verifies each by its version command and
 * writes manifest.json, which packages/testing/src/tools.ts reads. Idempotent: a package whose
 * directory is complete and whose tools answer with the pinned version is left alone.
 *
 *   node scripts/tools/install.ts [package …] [--force]
 *
 * Two Go build lanes (control plane; scanners) and a download lane run side by side, each at
 * modest parallelism. Every command's output goes to tools/logs/<package>.log.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { manifestPath, toolsDir, toolsManifest } from '../../packages/testing/src/tools.ts';
import { catalog, type ToolPackage } from './catalog.ts';
import { formatElapsed, run } from './steps.ts';

const cacheRoot = path.dirname(toolsDir);
const logsDir = path.join(toolsDir, 'logs');
const COMPLETE = '.complete.json';

interface Outcome {
  pkg: ToolPackage;
  source?: string;
  error?: Error;
}

function packageDir(pkg: ToolPackage): string {
  return path.join(toolsDir, `${pkg.name}-${pkg.version}`);
}

/** Runs every tool's version command; throws when one does not answer with the pinned version. */
async function verify(pkg: ToolPackage): Promise<void> {
  for (const tool of pkg.tools) {
    const bin = path.join(packageDir(pkg), tool.bin);
    const out = await run(bin, tool.versionArgs, { env: { ...process.env, ...tool.env } }).catch((e: Error) => {
      throw new Error(`${tool.name}: '${tool.bin} ${tool.versionArgs.join(' ')}' failed: ${e.message}`);
    });
    if (!out.includes(tool.expect)) throw new Error(`${tool.name}: version output does not contain '${tool.expect}':\n${out.trim()}`);
  }
}

/** The source recorded by an earlier complete install that still verifies, else undefined. */
async function cached(pkg: ToolPackage): Promise<string | undefined> {
  const stamp = path.join(packageDir(pkg), COMPLETE);
  if (!existsSync(stamp)) return undefined;
  try {
    await verify(pkg);
    return (JSON.parse(await readFile(stamp, 'utf8')) as { source: string }).source;
  } catch {
    return undefined;
  }
}

async function install(pkg: ToolPackage, force: boolean): Promise<Outcome> {
  const label = `${pkg.name} ${pkg.version}`;
  const started = Date.now();
  try {
    const reused = force ? undefined : await cached(pkg);
    if (reused) {
      console.log(`✓ ${label}: cached (${formatElapsed(Date.now() - started)})`);
      return { pkg, source: reused };
    }
    const dir = packageDir(pkg);
    const log = path.join(logsDir, `${pkg.name}-${pkg.version}.log`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(log, `# ${label} ${new Date().toISOString()}\n`);
    console.log(`… ${label}: installing (log: ${log})`);
    const source = await pkg.install({ cacheRoot, dir, log });
    await verify(pkg);
    await writeFile(path.join(dir, COMPLETE), JSON.stringify({ source, installedAt: new Date().toISOString() }) + '\n');
    console.log(`✓ ${label}: installed from ${source} in ${formatElapsed(Date.now() - started)}`);
    return { pkg, source };
  } catch (error) {
    console.log(
      `✗ ${label}: failed after ${formatElapsed(Date.now() - started)}\n${String((error as Error).message ?? error).replace(/^/gm, '    ')}`,
    );
    return { pkg, error: error as Error };
  }
}

/** Records one package's tools in the manifest right away, so that finished tools are usable before the rest. */
async function updateManifest({ pkg, source }: Outcome): Promise<void> {
  const manifest = toolsManifest();
  for (const tool of pkg.tools) {
    if (source) manifest[tool.name] = { version: pkg.version, path: path.join(packageDir(pkg), tool.bin), source };
    else delete manifest[tool.name];
  }
  const tmp = `${manifestPath}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n');
  await rename(tmp, manifestPath);
}

let manifestWrites = Promise.resolve();

async function installLane(pkgs: ToolPackage[], force: boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const pkg of pkgs) {
    const outcome = await install(pkg, force);
    outcomes.push(outcome);
    manifestWrites = manifestWrites.then(() => updateManifest(outcome));
  }
  return outcomes;
}

/**
 * One installer at a time per cache (CI and developers share it): an exclusive lock file holding
 * the owner's PID; a lock whose owner is gone is taken over.
 */
async function acquireLock(): Promise<() => void> {
  const lock = path.join(toolsDir, '.install.lock');
  for (let waited = 0; ; waited += 1) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      const release = () => rmSync(lock, { force: true });
      process.once('exit', release);
      return release;
    } catch {
      const owner = Number(readFileSync(lock, 'utf8'));
      const alive =
        Number.isInteger(owner) &&
        owner > 0 &&
        (() => {
          try {
            process.kill(owner, 0);
            return true;
          } catch {
            return false;
          }
        })();
      if (!alive) rmSync(lock, { force: true });
      else {
        if (waited === 0) console.log(`Waiting for the installer running as PID ${owner} …`);
        await new Promise((r) => setTimeout(r, 2_000));
      }
    }
  }
}

/** The host commands the installer relies on, with the package that brings each on Debian. */
async function preflight(): Promise<string | undefined> {
  const needs: [string, string[], string][] = [
    ['go', ['version'], 'Go 1.26 (golang)'],
    ['python3', ['-c', 'import venv'], 'python3 with venv (python3-venv)'],
    ['npm', ['--version'], 'npm'],
    ['tar', ['--version'], 'tar'],
    ['unzip', ['-v'], 'unzip'],
    ['nice', ['--version'], 'coreutils'],
  ];
  const missing: string[] = [];
  for (const [cmd, args, what] of needs) {
    const out = await run(cmd, args).catch(() => undefined);
    if (out === undefined) missing.push(`${cmd} (${what})`);
    else if (cmd === 'go') console.log(`Using ${out.trim()}`);
  }
  return missing.length > 0 ? `Missing host commands: ${missing.join(', ')}` : undefined;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !catalog.some((p) => p.name === n));
  if (unknown.length > 0) {
    console.error(`Unknown tool package(s): ${unknown.join(', ')}. Known: ${catalog.map((p) => p.name).join(', ')}`);
    return 2;
  }
  const selected = names.length > 0 ? catalog.filter((p) => names.includes(p.name)) : catalog;
  await mkdir(logsDir, { recursive: true });
  const started = Date.now();
  console.log(`Installing tools into ${toolsDir}`);
  const problem = await preflight();
  if (problem) {
    console.error(problem);
    return 1;
  }
  const release = await acquireLock();
  const lanes = [...new Set(selected.map((p) => p.lane))];
  const outcomes = (
    await Promise.all(
      lanes.map((lane) =>
        installLane(
          selected.filter((p) => p.lane === lane),
          force,
        ),
      ),
    )
  ).flat();
  await manifestWrites;
  release();

  const failed = outcomes.filter((o) => o.error);
  console.log(`Manifest: ${manifestPath} (${Object.keys(toolsManifest()).length} tools). Total ${formatElapsed(Date.now() - started)}.`);
  if (failed.length > 0) {
    console.error(`Failed: ${failed.map((o) => o.pkg.name).join(', ')} (see ${logsDir})`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
