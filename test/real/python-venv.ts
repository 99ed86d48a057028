/**
 * The Python environment of the real-component tier: the example service's runtime and dev
 * requirements (ruff, pytest, build) and zizmor, the workflow-security auditor, in one venv kept
 * outside the clone so that a warm machine and CI reuse it:
 *
 *   ~/.cache/pipeline-toolkit/python/py<major.minor>-<hash of the pins>/
 *
 * The key changes with the Python version and with any pin, so a changed pin builds a new venv
 * instead of mutating one that other runs may be using. A `.complete` stamp marks a finished install.
 *
 * As a script (`node test/real/python-venv.ts`) it creates the venv when missing and prints its path;
 * the tests import `pythonVenv()` and fail with that command when it is missing.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const serviceDir = path.join(repoRoot, 'examples', 'python-service');

/** zizmor audits the workflows in .github/workflows and workflows/ (test/real/zizmor.test.ts). */
export const ZIZMOR = 'zizmor==1.32.0';

const cacheRoot = process.env['PIPELINE_TOOLKIT_CACHE'] ?? path.join(homedir(), '.cache', 'pipeline-toolkit');

/** `PYTHON` if set, else the first of python3.11 / python3 on PATH (the service targets Python 3.11). */
export function pythonCommand(): string {
  const candidates = process.env['PYTHON'] ? [process.env['PYTHON']] : ['python3.11', 'python3'];
  for (const cmd of candidates) {
    if (spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0) return cmd;
  }
  throw new Error(`No Python interpreter found (tried ${candidates.join(', ')}); install Python 3.11 or set PYTHON.`);
}

function pythonVersion(python: string): string {
  const out = spawnSync(python, ['-c', 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${python} could not report its version: ${out.stderr}`);
  return out.stdout.trim();
}

/** Everything the venv is installed from: both requirement files and the zizmor pin. */
function pins(): string {
  const files = ['requirements.txt', 'requirements-dev.txt'].map((f) => readFileSync(path.join(serviceDir, f), 'utf8'));
  return [...files, ZIZMOR].join('\n');
}

export interface PythonVenv {
  dir: string;
  /** Absolute path of an executable in the venv's bin/ (python, pip, ruff, pytest, zizmor). */
  bin(name: string): string;
  ready: boolean;
}

export function pythonVenv(python = pythonCommand()): PythonVenv {
  const key = createHash('sha256').update(pins()).digest('hex').slice(0, 12);
  const dir = path.join(cacheRoot, 'python', `py${pythonVersion(python)}-${key}`);
  return { dir, bin: (name) => path.join(dir, 'bin', name), ready: existsSync(path.join(dir, '.complete')) };
}

/** The venv, or an error saying how to create it (real-component tests must not pass without it). */
export function requirePythonVenv(): PythonVenv {
  const venv = pythonVenv();
  if (!venv.ready) throw new Error(`The Python venv ${venv.dir} is missing. Create it with: node test/real/python-venv.ts`);
  return venv;
}

function run(cmd: string, args: string[]): void {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/**
 * Creates the venv when it is not ready. It is built in place (console scripts embed the venv's
 * absolute path, so it cannot be moved afterwards); the stamp is written last, and an unfinished
 * venv is cleared and rebuilt on the next call.
 */
export function ensurePythonVenv(): PythonVenv {
  const python = pythonCommand();
  const venv = pythonVenv(python);
  if (venv.ready) return venv;
  mkdirSync(path.dirname(venv.dir), { recursive: true });
  run(python, ['-m', 'venv', '--clear', venv.dir]);
  run(venv.bin('pip'), ['install', '--no-input', '--quiet', '-r', path.join(serviceDir, 'requirements-dev.txt'), ZIZMOR]);
  writeFileSync(path.join(venv.dir, '.complete'), `${new Date().toISOString()}\n`);
  return venv;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(ensurePythonVenv().dir);
}
