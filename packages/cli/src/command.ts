import { ConsoleLogger, Inputs, InputError, mapInputs, own, type Logger } from '@pipeline-toolkit/core';

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
  /** stdout is a terminal: text for people rather than data for programs (default false). */
  terminal?: boolean;
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
  /** Positional arguments the command takes (e.g. a subcommand); without it, any is refused. */
  arguments?: string;
  run(invocation: Invocation): Promise<number>;
}

/** Edit distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest of `names` to `typed` (a typo or a prefix), if one is close enough to be meant. */
export function suggest(typed: string, names: readonly string[]): string | undefined {
  const prefixed = names.filter((n) => typed.length >= 3 && n.startsWith(typed));
  if (prefixed.length === 1) return prefixed[0];
  const ranked = names.map((n) => ({ n, d: distance(typed, n) })).sort((a, b) => a.d - b.d);
  const best = ranked[0];
  return best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? best.n : undefined;
}

const BOOLEAN_VALUES: Record<string, string> = { true: 'true', false: 'false' };

/**
 * Reads argv against the command's flags: `--flag value`, `--flag=value`, booleans as `--flag`
 * or `--flag=true|false` (as the action's `dry-run: true`), `--` ends the flags. Unknown flags
 * (with a suggestion), a missing value and stray arguments are InputErrors (exit 2).
 */
export function parseInvocation(command: Command, argv: string[], io: CliIO): Invocation {
  const help = `Run 'pipeline-toolkit ${command.name} --help' for the accepted flags.`;
  const fail = (message: string): never => {
    throw new InputError('argv', `${message}\n${help}`);
  };
  const byName = new Map(command.flags.map((f) => [f.name, f]));
  const byShort = new Map(command.flags.filter((f) => f.short).map((f) => [f.short!, f]));
  const values: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  const positionals: string[] = [];
  const quote = (text: string) => `'${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text).slice(1, -1)}'`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let flag: Flag | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      flag = byName.get(name);
      if (!flag) {
        const guess = suggest(name, [...byName.keys()]);
        fail(`Unknown flag ${quote(`--${name}`)} for 'pipeline-toolkit ${command.name}'.${guess ? ` Did you mean --${guess}?` : ''}`);
      }
    } else if (/^-[^-\d]/.test(arg)) {
      flag = byShort.get(arg.slice(1));
      if (!flag)
        fail(
          `Unknown flag ${quote(arg)} for 'pipeline-toolkit ${command.name}'. Flags are spelled in full, e.g. --${command.flags[0]?.name ?? 'help'}.`,
        );
    } else {
      positionals.push(arg);
      continue;
    }
    const label = `--${flag!.name}`;
    let value: string;
    if (flag!.type === 'boolean') {
      value =
        inline === undefined
          ? 'true'
          : (own(BOOLEAN_VALUES, inline.trim().toLowerCase()) ?? fail(`${label} is true or false, got ${quote(inline)}.`));
    } else if (inline !== undefined) {
      value = inline;
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && byName.has(next.slice(2).split('=')[0]!)))
        fail(`${label} needs a value: ${label} <value> or ${label}=<value>.`);
      value = next!;
      i++;
    }
    if (flag!.multiple) (lists[flag!.name] ??= []).push(value);
    else values[flag!.name] = value;
  }
  if (positionals.length && !command.arguments) {
    fail(`Unexpected argument ${quote(positionals[0]!)}: 'pipeline-toolkit ${command.name}' takes only flags (--name value).`);
  }
  return { inputs: new Inputs(mapInputs(values), (name) => `--${name}`), lists, positionals, io };
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
  return {
    log: new ConsoleLogger(),
    out: (text) => process.stdout.write(`${text}\n`),
    env: process.env,
    cwd: process.cwd(),
    terminal: process.stdout.isTTY === true,
  };
}
