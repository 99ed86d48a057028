import { closeSync, constants, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_UTF8_PER_UNIT = 3;

/**
 * A text file written synchronously through one reusable 1 MB buffer: the writers produce tens of
 * MB as many small strings, each encoded straight into the buffer. Concatenating them into a large
 * string first would build a rope that outlives the young generation (promoting it into the old
 * space) and then has to be flattened and encoded again; a stream would copy each piece into its
 * own buffer and wait for the thread pool.
 */
export class TextFile {
  readonly #fd: number;
  readonly #buffer = Buffer.allocUnsafe(1 << 20);
  #used = 0;
  #flushed = 0;

  constructor(file: string) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    // O_NOFOLLOW: a symbolic link planted at the file's name is refused (ELOOP), never written through.
    this.#fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  }

  write(text: string): void {
    const room = this.#buffer.length - this.#used;
    if (text.length * MAX_UTF8_PER_UNIT > room) {
      this.#flush();
      if (text.length * MAX_UTF8_PER_UNIT > this.#buffer.length) {
        const bytes = Buffer.from(text, 'utf8');
        this.#writeAll(bytes, bytes.length);
        return;
      }
    }
    this.#used += this.#buffer.write(text, this.#used);
  }

  /**
   * Writes `text` between two ASCII separators (`,` and newlines around an entry), which are copied
   * byte by byte: concatenated with the text first, they would make a rope that writing flattens
   * into a copy of the text, tens of MB of garbage for a file of entries.
   */
  writeBetween(before: string, text: string, after: string): void {
    this.#ascii(before);
    this.write(text);
    this.#ascii(after);
  }

  #ascii(text: string): void {
    if (this.#buffer.length - this.#used < text.length) this.#flush();
    for (let i = 0; i < text.length; i++) this.#buffer[this.#used++] = text.charCodeAt(i);
  }

  /** Bytes written so far. */
  get position(): number {
    return this.#flushed + this.#used;
  }

  close(): void {
    this.#flush();
    closeSync(this.#fd);
  }

  #flush(): void {
    this.#writeAll(this.#buffer, this.#used);
    this.#used = 0;
  }

  #writeAll(bytes: Buffer, length: number): void {
    for (let done = 0; done < length; ) done += writeSync(this.#fd, bytes, done, length - done);
    this.#flushed += length;
  }
}

/** Writes `file` through a TextFile with `write`, and closes it whatever happens. */
export function writeTextFile<T>(file: string, write: (out: TextFile) => T): T {
  const out = new TextFile(file);
  try {
    return write(out);
  } finally {
    out.close();
  }
}
