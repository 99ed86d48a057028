import { redactPatterns, REDACTED } from '@pipeline-toolkit/core';

const PREFIX = 4;
const TABLE_BITS = 20;

/**
 * The raw secrets read from reports (Gitleaks `Secret`, `Match`, SARIF snippets), and redaction of
 * them plus core's secret-like patterns from any text. A report may carry tens of thousands of
 * secrets, so a text is scanned once: a bit table of 4-character prefixes rules out almost every
 * position, and only candidate positions are compared with the secrets starting there.
 */
export class SecretIndex {
  readonly #byPrefix = new Map<string, string[]>();
  readonly #table = new Uint8Array(1 << (TABLE_BITS - 3));
  readonly #memo = new Map<string, string>();

  get size(): number {
    let n = 0;
    for (const list of this.#byPrefix.values()) n += list.length;
    return n;
  }

  /** Registers a secret value; values shorter than 4 characters or fully masked (`****`, `REDACTED`) are ignored. */
  add(secret: string | undefined): void {
    const value = secret?.trim();
    if (!value || value.length < PREFIX || /^[*]+$/.test(value) || value === 'REDACTED') return;
    const prefix = value.slice(0, PREFIX);
    const list = this.#byPrefix.get(prefix);
    if (list?.includes(value)) return;
    if (list) {
      list.push(value);
      list.sort((a, b) => b.length - a.length);
    } else this.#byPrefix.set(prefix, [value]);
    const slot = hash(value, 0);
    this.#table[slot >>> 3]! |= 1 << (slot & 7);
    this.#memo.clear();
  }

  /** Every registered secret as they were given (for callers that must register them elsewhere, e.g. a logger). */
  values(): string[] {
    return [...this.#byPrefix.values()].flat();
  }

  /** Replaces registered secrets and secret-like patterns in a text. */
  redact(text: string): string {
    if (text.length < PREFIX) return text;
    const known = this.#memo.get(text);
    if (known !== undefined) return known;
    const result = redactPatterns(this.#redactSecrets(text));
    if (this.#memo.size > 50_000) this.#memo.clear();
    this.#memo.set(text, result);
    return result;
  }

  #redactSecrets(text: string): string {
    if (this.#byPrefix.size === 0) return text;
    let out = '';
    let last = 0;
    for (let i = 0; i + PREFIX <= text.length; ) {
      const slot = hash(text, i);
      if ((this.#table[slot >>> 3]! & (1 << (slot & 7))) !== 0) {
        const match = this.#byPrefix.get(text.slice(i, i + PREFIX))?.find((s) => text.startsWith(s, i));
        if (match) {
          out += text.slice(last, i) + REDACTED;
          i += match.length;
          last = i;
          continue;
        }
      }
      i++;
    }
    return last === 0 ? text : out + text.slice(last);
  }
}

/** A hash of the 4 characters at `at`, in [0, 2^TABLE_BITS). */
function hash(text: string, at: number): number {
  let h = 2166136261;
  for (let k = 0; k < PREFIX; k++) h = Math.imul(h ^ text.charCodeAt(at + k), 16777619);
  return h >>> (32 - TABLE_BITS);
}
