import { parseArgs } from 'node:util';
import { ConsoleLogger, errorMessage, Inputs, InputError, mapInputs, type Logger } from '@pipeline-toolkit/core';

/** One flag of a subcommand. Flag names are the action's input names, so validation and messages match. */
export interface Flag {
  name: string;
  type: 'string' | 'boolean';
  description: string;
  multiple?: boolean;
  short?: string;
}

export interface CliIO {
  log: Logger;
  out: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Invocation {
  /** Flags as typed inputs: `--fail-on x` reads as `inputs.enum('fail-on', …)`, errors say `--fail-on`. */
  inputs: Inputs;
  /** Repeatable flags, in order. */
  lists: Record<string, string[]>;
  positionals: string[];
  io: CliIO;
}

/** A `pipeline-toolkit` subcommand. run() returns the exit code: 0 success, 1 gate or check failure. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  flags: Flag[];
  run(invocation: Invocation): Promise<number>;
}

export function parseInvocation(command: Command, argv: string[], io: CliIO): Invocation {
  const options = Object.fromEntries(
    command.flags.map((f) => [f.name, { type: f.type, ...(f.multiple ? { multiple: true } : {}), ...(f.short ? { short: f.short } : {}) }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = errorMessage(error);
    throw new InputError('argv', `${message}\nRun 'pipeline-toolkit ${command.name} --help' for the accepted flags.`);
  }
  const values: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (Array.isArray(value)) lists[name] = value.map(String);
    else if (value !== undefined) values[name] = String(value);
  }
  return { inputs: new Inputs(mapInputs(values), (name) => `--${name}`), lists, positionals: parsed.positionals, io };
}

/**
 * The flags as the action's inputs: a repeated flag reads as one multi-line input, and `aliases`
 * (alias → input) read as the input they stand for, after it.
 */
export function flagInputs({ inputs, lists }: Pick<Invocation, 'inputs' | 'lists'>, aliases: Record<string, string> = {}): Inputs {
  const names = (name: string) => [name, ...Object.keys(aliases).filter((alias) => aliases[alias] === name)];
  return new Inputs((name) => {
    const given = names(name).flatMap((n) => lists[n] ?? (inputs.raw(n) !== undefined ? [inputs.raw(n)!] : []));
    return given.length ? given.join('\n') : undefined;
  }, inputs.label.bind(inputs));
}

/** `--github-token`, else $GITHUB_TOKEN. */
export function githubToken({ inputs, io }: Pick<Invocation, 'inputs' | 'io'>): string | undefined {
  return inputs.raw('github-token') ?? io.env['GITHUB_TOKEN'];
}

export function commandHelp(command: Command): string {
  const width = Math.max(...command.flags.map((f) => f.name.length + (f.type === 'string' ? 8 : 0)), 6) + 4;
  const flags = command.flags.map((f) => {
    const left = `--${f.name}${f.type === 'string' ? ' <value>' : ''}`;
    return `  ${left.padEnd(width)}${f.description}${f.multiple ? ' (repeatable)' : ''}`;
  });
  return [`Usage: ${command.usage}`, '', command.summary, '', 'Flags:', ...flags, `  ${'--help'.padEnd(width)}Show this help`].join('\n');
}

export function consoleIO(): CliIO {
  return { log: new ConsoleLogger(), out: (text) => process.stdout.write(`${text}\n`), env: process.env, cwd: process.cwd() };
}
