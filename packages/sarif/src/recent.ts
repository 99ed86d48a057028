/**
 * A direct-mapped cache keyed by strings: the slot comes from the length and two characters, and
 * a lookup is one string comparison. A Map has to hash the whole text first, which costs more
 * than the comparison for texts read fresh from a report (their hash is not computed yet). A
 * colliding text replaces the slot's entry.
 */
export class RecentCache<V> {
  readonly #keys: (string | undefined)[];
  readonly #values: (V | undefined)[];
  readonly #mask: number;

  constructor(bits: number) {
    this.#keys = new Array<string | undefined>(1 << bits);
    this.#values = new Array<V | undefined>(1 << bits);
    this.#mask = (1 << bits) - 1;
  }

  #slot(text: string): number {
    const n = text.length;
    return n ? (Math.imul(n, 31) + Math.imul(text.charCodeAt(n - 1), 7) + text.charCodeAt(n >> 1)) & this.#mask : 0;
  }

  get(text: string): V | undefined {
    const slot = this.#slot(text);
    return this.#keys[slot] === text ? this.#values[slot] : undefined;
  }

  set(text: string, value: V): void {
    const slot = this.#slot(text);
    this.#keys[slot] = text;
    this.#values[slot] = value;
  }

  clear(): void {
    this.#keys.fill(undefined);
    this.#values.fill(undefined);
  }
}
