/**
 * A small cache keyed by strings: the slot comes from the length and three characters, and a
 * lookup is a string comparison or two. A Map has to hash the whole text first, which costs more
 * than the comparison for texts read fresh from a report (their hash is not computed yet). Each
 * slot pair keeps its two most recent texts, so two texts that share a slot do not evict each
 * other in turn.
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

  /** The first slot of the text's pair (even). */
  #slot(text: string): number {
    const n = text.length;
    if (!n) return 0;
    const h = Math.imul(n, 31) + Math.imul(text.charCodeAt(n - 1), 7) + Math.imul(text.charCodeAt(n >> 1), 3) + text.charCodeAt(n >> 2);
    return (h << 1) & this.#mask;
  }

  get(text: string): V | undefined {
    const slot = this.#slot(text);
    if (this.#keys[slot] === text) return this.#values[slot];
    return this.#keys[slot + 1] === text ? this.#values[slot + 1] : undefined;
  }

  set(text: string, value: V): void {
    const slot = this.#slot(text);
    this.#keys[slot + 1] = this.#keys[slot];
    this.#values[slot + 1] = this.#values[slot];
    this.#keys[slot] = text;
    this.#values[slot] = value;
  }

  clear(): void {
    this.#keys.fill(undefined);
    this.#values.fill(undefined);
  }
}
