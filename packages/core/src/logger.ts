import { randomUUID } from 'node:crypto';
import { formatCommand, type AnnotationProperties } from './commands.ts';
import { Redactor } from './redact.ts';
import { isCommandLike, LINE_BREAK, visibleControls } from './text.ts';

/** What library code logs through. Library code never writes to the console or the runner directly. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  notice(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Registers a secret: masked in the runner log from now on and redacted from everything this logger writes. */
  setSecret(secret: string | undefined): void;
  readonly redactor: Redactor;
}

type Write = (line: string) => void;
const stdout: Write = (line) => process.stdout.write(`${line}\n`);

/** Annotation properties with control characters made visible (the runner escapes the rest). */
function safeProperties(properties: AnnotationProperties | undefined): AnnotationProperties | undefined {
  if (!properties) return undefined;
  const safe: AnnotationProperties = { ...properties };
  if (safe.title !== undefined) safe.title = visibleControls(safe.title);
  if (safe.file !== undefined) safe.file = visibleControls(safe.file);
  return safe;
}

/**
 * Writes lines of data to a log the runner reads. Control characters are made visible; when a
 * line would be read as a workflow command (`::error::…`, `##[…`), the lines are wrapped in
 * `::stop-commands::<random token>` … `::<token>::`, so the runner shows them and executes none.
 */
function writeData(write: Write, lines: readonly string[]): void {
  if (!lines.some(isCommandLike)) {
    for (const line of lines) write(line);
    return;
  }
  const token = `ptk-${randomUUID()}`;
  write(`::stop-commands::${token}`);
  for (const line of lines) write(line);
  write(`::${token}::`);
}

/** Logger for the Actions runner: workflow commands on stdout, every line redacted. */
export class ActionsLogger implements Logger {
  readonly redactor: Redactor;
  readonly #write: Write;

  constructor(options: { write?: Write; redactor?: Redactor } = {}) {
    this.#write = options.write ?? stdout;
    this.redactor = options.redactor ?? new Redactor();
  }

  #command(name: string, message: string, properties?: AnnotationProperties): void {
    this.#write(formatCommand(name, visibleControls(this.redactor.redact(message)), safeProperties(properties)));
  }

  debug(message: string): void {
    this.#command('debug', message);
  }
  info(message: string): void {
    writeData(this.#write, visibleControls(this.redactor.redact(message)).split(LINE_BREAK));
  }
  notice(message: string, properties?: AnnotationProperties): void {
    this.#command('notice', message, properties);
  }
  warning(message: string, properties?: AnnotationProperties): void {
    this.#command('warning', message, properties);
  }
  error(message: string, properties?: AnnotationProperties): void {
    this.#command('error', message, properties);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.#command('group', name);
    try {
      return await fn();
    } finally {
      this.#write('::endgroup::');
    }
  }
  setSecret(secret: string | undefined): void {
    if (!secret) return;
    // The runner masks each line of a multi-line secret separately.
    for (const line of secret.split(/\r?\n/)) if (line.trim()) this.#write(formatCommand('add-mask', line.trim()));
    this.redactor.add(secret);
  }
}

/**
 * Logger for a terminal (the CLI): plain lines, redacted. Everything it writes goes to stderr by
 * default, so that a command's data on stdout (a payload, a report) can be piped as it is.
 */
export class ConsoleLogger implements Logger {
  readonly redactor: Redactor;
  readonly #out: Write;
  readonly #err: Write;
  readonly #verbose: boolean;
  #indent = '';

  constructor(options: { out?: Write; err?: Write; redactor?: Redactor; verbose?: boolean } = {}) {
    const stderr: Write = (line) => process.stderr.write(`${line}\n`);
    this.#out = options.out ?? stderr;
    this.#err = options.err ?? stderr;
    this.redactor = options.redactor ?? new Redactor();
    this.#verbose = options.verbose ?? false;
  }

  #line(write: Write, prefix: string, message: string, properties?: AnnotationProperties): void {
    const where = properties?.file ? `${properties.file}${properties.line ? `:${properties.line}` : ''}: ` : '';
    const text = visibleControls(this.redactor.redact(`${prefix}${where}${message}`));
    // A CI job may run the CLI: its lines are read by the runner too.
    writeData(
      write,
      text.split(LINE_BREAK).map((line) => `${this.#indent}${line}`),
    );
  }

  debug(message: string): void {
    if (this.#verbose) this.#line(this.#err, 'debug: ', message);
  }
  info(message: string): void {
    this.#line(this.#out, '', message);
  }
  notice(message: string, properties?: AnnotationProperties): void {
    this.#line(this.#out, 'notice: ', message, properties);
  }
  warning(message: string, properties?: AnnotationProperties): void {
    this.#line(this.#err, 'warning: ', message, properties);
  }
  error(message: string, properties?: AnnotationProperties): void {
    this.#line(this.#err, 'error: ', message, properties);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.#line(this.#out, '', `▸ ${name}`);
    const previous = this.#indent;
    this.#indent = `${previous}  `;
    try {
      return await fn();
    } finally {
      this.#indent = previous;
    }
  }
  setSecret(secret: string | undefined): void {
    this.redactor.add(secret);
  }
}

/** A logger that keeps every line, for tests and for reports built from logs. */
export class MemoryLogger implements Logger {
  readonly redactor = new Redactor();
  readonly lines: { level: string; message: string; properties?: AnnotationProperties }[] = [];
  #push(level: string, message: string, properties?: AnnotationProperties): void {
    this.lines.push({ level, message: visibleControls(this.redactor.redact(message)), ...(properties ? { properties } : {}) });
  }
  debug(message: string): void {
    this.#push('debug', message);
  }
  info(message: string): void {
    this.#push('info', message);
  }
  notice(message: string, properties?: AnnotationProperties): void {
    this.#push('notice', message, properties);
  }
  warning(message: string, properties?: AnnotationProperties): void {
    this.#push('warning', message, properties);
  }
  error(message: string, properties?: AnnotationProperties): void {
    this.#push('error', message, properties);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.#push('group', name);
    return fn();
  }
  setSecret(secret: string | undefined): void {
    this.redactor.add(secret);
  }
  text(): string {
    return this.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  }
}
