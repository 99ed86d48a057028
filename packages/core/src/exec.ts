import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { formatDuration } from './duration.ts';
import { errorMessage, ExternalError } from './errors.ts';
import type { Logger } from './logger.ts';

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
  /** Names the deadline in the error, e.g. `timeout` or `scan-timeout`. */
  timeoutInput?: string;
  /** The step's cancellation: the program is stopped the same way. */
  signal?: AbortSignal;
  /**
   * The program's own account of an exit code it does not accept (e.g. read from the report it
   * wrote), shown in the error in place of the tail of its output; undefined keeps the tail.
   */
  explainFailure?: (result: ExecResult) => Promise<string | undefined> | string | undefined;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

/** Calls `onLine` for each complete line of a stream, and for the rest when it ends. */
function lines(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk).split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const line of parts) onLine(line);
    },
    end() {
      if (rest) onLine(rest);
      rest = '';
    },
  };
}

const KILL_GRACE_MS = 5000;

/**
 * Runs a program with an argument array — never through a shell — and captures its output.
 * A missing program, an unexpected exit code or a passed deadline becomes an ExternalError naming
 * the program.
 */
export const exec: Exec = async (command, args, options = {}) => {
  const { spawn } = await import('node:child_process');
  const logger = options.logger;
  logger?.debug(`exec: ${command} ${args.join(' ')}`);
  const result = await new Promise<ExecResult & { stopped?: 'timeout' | 'cancelled' }>((resolve, reject) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, [...args], {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      reject(error);
      return;
    }
    let stdout = '';
    let stderr = '';
    let stopped: 'timeout' | 'cancelled' | undefined;
    const out = lines((line) => logger?.info(line));
    const err = lines((line) => logger?.info(line));
    const echo = options.stream === true && logger !== undefined;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (echo) out.push(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (echo) err.push(chunk);
    });
    let killer: NodeJS.Timeout | undefined;
    const stop = (why: 'timeout' | 'cancelled') => {
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
      resolve({ exitCode: code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1), stdout, stderr, ...(stopped ? { stopped } : {}) });
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
  const ok = options.okExitCodes ?? [0];
  if (!ok.includes(result.exitCode)) {
    const explained = await options.explainFailure?.({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr });
    const detail = explained?.trim() || outputTail(result);
    const message = `${what} exited with code ${result.exitCode}${detail ? `:\n${detail}` : ''}`;
    throw new ExternalError(logger ? logger.redactor.redact(message) : message);
  }
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
};

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
