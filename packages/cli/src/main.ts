import { errorMessage, InputError } from '@pipeline-toolkit/core';
import { commandHelp, consoleIO, parseInvocation, suggest, type CliIO } from './command.ts';
import { commands } from './commands/index.ts';

const VERSION = '1.0.0';

export function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length)) + 4;
  return [
    'Usage: pipeline-toolkit <command> [flags]',
    '',
    'Run the pipeline-toolkit actions locally, with the same logic as in GitHub Actions.',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '',
    "Run 'pipeline-toolkit <command> --help' for a command's flags.",
    'Exit codes: 0 success, 1 a gate or check failed, 2 bad usage.',
  ].join('\n');
}

/** Runs the CLI and returns its exit code: 0 success, 1 gate/check failure, 2 bad usage. */
export async function main(argv: string[], io: CliIO = consoleIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(VERSION);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    const guess = suggest(name, Object.keys(commands));
    io.log.error(
      `Unknown command '${JSON.stringify(name.slice(0, 60)).slice(1, -1)}'.${guess ? ` Did you mean '${guess}'?` : ''} Commands: ${Object.keys(commands).join(', ')}.`,
    );
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(parseInvocation(command, rest, io));
  } catch (error) {
    io.log.error(errorMessage(error));
    if (error instanceof InputError) return 2;
    if (process.env['PIPELINE_TOOLKIT_DEBUG'] && error instanceof Error) io.log.debug(String(error.stack));
    return 1;
  }
}

/**
 * The CLI as a process runs it (its bin): `main` with the process's streams. A reader that stops
 * early (`pipeline-toolkit scan … | head`) closes the pipe: the rest of the output is dropped and
 * the command still finishes (its files, its exit code), as it would with no reader. Any other
 * error of the streams is thrown, as before.
 */
export async function runProcess(argv: string[]): Promise<number> {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    });
  }
  return main(argv);
}
