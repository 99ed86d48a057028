import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * A text file written in large synchronous batches: the writers produce tens of MB as many small
 * strings, and a stream would copy each into its own buffer and wait for the thread pool.
 */
export class TextFile {
  readonly #fd: number;
  #pending = '';

  constructor(file: string) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.#fd = openSync(file, 'w');
  }

  write(text: string): void {
    this.#pending += text;
    if (this.#pending.length >= 4 << 20) this.#flush();
  }

  close(): void {
    this.#flush();
    closeSync(this.#fd);
  }

  #flush(): void {
    if (this.#pending) writeSync(this.#fd, this.#pending);
    this.#pending = '';
  }
}
