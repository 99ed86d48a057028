import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { formatDuration } from './duration.ts';
import { errorMessage, ExternalError } from './errors.ts';
import type { Logger } from './logger.ts';
import { formatBytes } from './text.ts';

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Text written to the command's standard input. */
  input?: string;
  /** Exit codes that are not a failure (default [0]). */
  okExitCodes?: readonly number[];
  /** Echo the command's output to the log (redacted) as it runs; default false (captured only). */
  stream?: boolean;
  logger?: Logger;
  /** Deadline: after this long the program gets SIGTERM, 5 s later SIGKILL, and the call fails naming the limit. */
  timeoutMs?: number;
  /**
   * The most a program may write to its standard output, and as much to its standard error, in
   * bytes (default OUTPUT_LIMIT): a program that writes more is stopped as at its deadline.
   */
  maxOutputBytes?: number;
  /** Names the deadline in the error, e.g. `timeout` or `scan-timeout`. */
  timeoutInput?: string;
  /** The step's cancellation: the program is stopped the same way. */
  signal?: AbortSignal;
  /**
   * The program's own account of an exit code it does not accept (e.g. read from the report it
   * wrote), shown in the error in place of the tail of its output; undefined keeps the tail.
   */
  explainFailure?: (result: ExecResult) => Promise<string | undefined> | string | undefined;
  /**
   * The program gets the environment without the job's credentials (scrubbedEnv): for programs
   * that need none, such as the scanners run-scanners starts (ADR-051). Default false.
   */
  scrubEnv?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

/**
 * The job's credentials by name: the tokens GitHub Actions, the GitHub CLI and Trivy read from the
 * environment, and the runtime's own (caches, artifacts, OIDC). Their URLs without a token give
 * nothing, except the OIDC request URL, which is dropped with its token. See ADR-051.
 */
export const CREDENTIAL_VARIABLES: readonly string[] = [
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GH_ENTERPRISE_TOKEN',
  'GITHUB_ENTERPRISE_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
];

/**
 * `env` without the job's credentials, for a program that needs none (a scanner): every `INPUT_*`
 * variable (the runner passes each input of the step so, `github-token` among them) and the
 * CREDENTIAL_VARIABLES. Names are compared without case (Windows' environment has none). The rest
 * is kept: PATH, HOME, proxies and certificates, the scanners' own settings (`TRIVY_*`,
 * `SEMGREP_*`, `GITLEAKS_*`), RUNNER_TEMP and the GITHUB_* context.
 */
export function scrubbedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const dropped = new Set(CREDENTIAL_VARIABLES);
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const upper = name.toUpperCase();
    if (value === undefined || upper.startsWith('INPUT_') || dropped.has(upper)) continue;
    kept[name] = value;
  }
  return kept;
}

/** `exec` with `scrubEnv` set on every call: what it runs never sees the job's credentials (scrubbedEnv). */
export function scrubbing(exec: Exec): Exec {
  return (command, args, options = {}) => exec(command, args, { ...options, scrubEnv: true });
}

/**
 * What a program may write to each of its streams before it is stopped: its output is kept in
 * memory (and a JavaScript string holds at most 512 MiB), so an endless writer must not run the
 * step out of memory, nor end it with an error that names no program.
 */
export const OUTPUT_LIMIT = 256 * 1024 * 1024;

/**
 * Calls `onLine` for each complete line of a stream (without its `\n` or `\r\n`), and for the rest
 * when it ends. Only the chunks that hold a line break are split: a line over many chunks is
 * joined once, not re-split with every chunk (which cost the square of its length).
 */
export function lines(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let rest = '';
  const emit = (line: string) => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  return {
    push(chunk) {
      if (!chunk.includes('\n')) {
        rest += chunk;
        return;
      }
      const parts = chunk.split('\n');
      emit(rest + parts[0]!);
      for (let i = 1; i < parts.length - 1; i++) emit(parts[i]!);
      rest = parts.at(-1)!;
    },
    end() {
      if (rest) onLine(rest);
      rest = '';
    },
  };
}

const KILL_GRACE_MS = 5000;

/** Why a program was stopped: its deadline, the step's cancellation, or too much output on stdout or stderr. */
type Stopped = 'timeout' | 'cancelled' | 'output' | 'output-stderr';

/**
 * Runs a program with an argument array — never through a shell — and captures its output.
 * A missing program, an unexpected exit code or a passed deadline becomes an ExternalError naming
 * the program.
 */
export const exec: Exec = async (command, args, options = {}) => {
  const { spawn } = await import('node:child_process');
  const logger = options.logger;
  logger?.debug(`exec: ${command} ${args.join(' ')}`);
  const result = await new Promise<ExecResult & { stopped?: Stopped }>((resolve, reject) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, [...args], {
        cwd: options.cwd,
        env: childEnv(options),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      reject(error);
      return;
    }
    let stdout = '';
    let stderr = '';
    let stopped: Stopped | undefined;
    const out = lines((line) => logger?.info(line));
    const err = lines((line) => logger?.info(line));
    const echo = options.stream === true && logger !== undefined;
    const limit = options.maxOutputBytes ?? OUTPUT_LIMIT;
    const written = { stdout: 0, stderr: 0 };
    /** Set once a stream passed the limit: the call fails even when the program had already exited. */
    let overflow: 'output' | 'output-stderr' | undefined;
    /** Whether `chunk` fits in what `stream` may still write; else the program is stopped and the chunk dropped. */
    const fits = (stream: 'stdout' | 'stderr', chunk: string) => {
      if (overflow) return false;
      written[stream] += Buffer.byteLength(chunk);
      if (written[stream] <= limit) return true;
      overflow = stream === 'stdout' ? 'output' : 'output-stderr';
      stop(overflow);
      return false;
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (!fits('stdout', chunk)) return;
      stdout += chunk;
      if (echo) out.push(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (!fits('stderr', chunk)) return;
      stderr += chunk;
      if (echo) err.push(chunk);
    });
    let killer: NodeJS.Timeout | undefined;
    const stop = (why: Stopped) => {
      if (stopped || child.exitCode !== null) return;
      stopped = why;
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    child.on('error', (error) => {
      clearTimeout(timer);
      clearTimeout(killer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killer);
      options.signal?.removeEventListener('abort', onAbort);
      out.end();
      err.end();
      const why = stopped ?? overflow;
      resolve({ exitCode: code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1), stdout, stderr, ...(why ? { stopped: why } : {}) });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input === undefined ? undefined : Buffer.from(options.input));
  }).catch((error: unknown) => {
    throw new ExternalError(`Could not run '${command}': ${errorMessage(error)}`, { cause: error });
  });
  const what = `'${command} ${args.slice(0, 2).join(' ')}'`;
  if (result.stopped === 'timeout') {
    const limit = `${options.timeoutInput ? `${options.timeoutInput}: ` : ''}${formatDuration(options.timeoutMs ?? 0)}`;
    throw new ExternalError(`${what} did not finish within its deadline (${limit}) and was stopped.`);
  }
  if (result.stopped === 'cancelled') throw new ExternalError(`${what} was stopped: the step was cancelled.`);
  if (result.stopped === 'output' || result.stopped === 'output-stderr') {
    const stream = result.stopped === 'output' ? 'standard output' : 'standard error';
    const limit = formatBytes(options.maxOutputBytes ?? OUTPUT_LIMIT);
    throw new ExternalError(
      `${what} wrote more than ${limit} to its ${stream} and was stopped (at most ${limit} of a program's output is kept).`,
    );
  }
  const ok = options.okExitCodes ?? [0];
  if (!ok.includes(result.exitCode)) {
    const explained = await options.explainFailure?.({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr });
    const detail = explained?.trim() || outputTail(result);
    const message = `${what} exited with code ${result.exitCode}${detail ? `:\n${detail}` : ''}`;
    throw new ExternalError(logger ? logger.redactor.redact(message) : message);
  }
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
};

/** The program's environment: this process's, with `options.env` added, without the credentials when `scrubEnv` is set. */
function childEnv(options: ExecOptions): NodeJS.ProcessEnv {
  const env = options.env ? { ...process.env, ...options.env } : process.env;
  return options.scrubEnv ? scrubbedEnv(env) : env;
}

/** Colour and style sequences (`ESC[31m`), which some programs write even when not on a terminal. */
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

/** The last lines of what a failed program wrote: its standard error, else its standard output, without colour codes. */
export function outputTail(result: Pick<ExecResult, 'stdout' | 'stderr'>, lines = 20): string {
  const text = (result.stderr.trim() || result.stdout.trim()).replace(SGR, '');
  return text.split('\n').slice(-lines).join('\n');
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return (constants.signals as Record<string, number | undefined>)[signal];
}

/** The executable file `program` names (a path, or the first match on PATH), without running a shell; undefined when there is none. */
export function findOnPath(program: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = program.includes('/')
    ? [program]
    : (env['PATH'] ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, program));
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, fsConstants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}
