import { closeSync, fstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { typeOf, WRITE_FLAGS } from '@pipeline-toolkit/core';

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
    // a symbolic link planted at the file's name is refused (ELOOP), never written through; a named
    // pipe is refused at once (ENXIO, or by its type when it has a reader), never waited on
    try {
      this.#fd = openSync(file, WRITE_FLAGS, 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENXIO')
        throw new Error(`${file} is a named pipe; only a regular file is written.`, { cause: error });
      throw error;
    }
    const stats = fstatSync(this.#fd);
    if (!stats.isFile()) {
      closeSync(this.#fd);
      throw new Error(`${file} is ${typeOf(stats)}; only a regular file is written.`);
    }
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
