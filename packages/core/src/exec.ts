import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { actionsExec } from './actions-core.ts';
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
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Exec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

/**
 * Runs a program with an argument array — never through a shell — and captures its output.
 * A missing program or an unexpected exit code becomes an ExternalError naming the program.
 */
export const exec: Exec = async (command, args, options = {}) => {
  const { getExecOutput } = await actionsExec();
  const logger = options.logger;
  logger?.debug(`exec: ${command} ${args.join(' ')}`);
  let result: ExecResult;
  try {
    result = await getExecOutput(command, [...args], {
      cwd: options.cwd,
      env: options.env ? { ...(process.env as Record<string, string>), ...options.env } : undefined,
      input: options.input === undefined ? undefined : Buffer.from(options.input),
      ignoreReturnCode: true,
      silent: true,
      listeners: options.stream && logger ? { stdline: (line) => logger.info(line), errline: (line) => logger.info(line) } : {},
    });
  } catch (error) {
    throw new ExternalError(`Could not run '${command}': ${errorMessage(error)}`, { cause: error });
  }
  const ok = options.okExitCodes ?? [0];
  if (!ok.includes(result.exitCode)) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-20).join('\n');
    const message = `'${command} ${args.slice(0, 2).join(' ')}' exited with code ${result.exitCode}${detail ? `:\n${detail}` : ''}`;
    throw new ExternalError(logger ? logger.redactor.redact(message) : message);
  }
  return result;
};

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
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}
