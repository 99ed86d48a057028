import { redactPatterns, REDACTED } from '@pipeline-toolkit/core';

const MIN = 4;
const LONG = 8;
const TABLE_BITS = 20;

/** Secrets bucketed by their first `width` characters, with a bit table that rules out most text positions cheaply. */
class PrefixTable {
  readonly width: number;
  readonly buckets = new Map<string, string[]>();
  /** Allocated on the first secret: most scans have none. */
  #bits: Uint8Array | undefined;
  #sorted = true;

  constructor(width: number) {
    this.width = width;
  }

  add(secret: string): void {
    const prefix = secret.slice(0, this.width);
    const list = this.buckets.get(prefix);
    if (list) list.push(secret);
    else this.buckets.set(prefix, [secret]);
    const slot = hash(secret, 0, this.width);
    this.#bits ??= new Uint8Array(1 << (TABLE_BITS - 3));
    this.#bits[slot >>> 3]! |= 1 << (slot & 7);
    this.#sorted = false;
  }

  /** The longest secret starting at `at`, if any. */
  match(text: string, at: number): string | undefined {
    if (!this.#bits || at + this.width > text.length) return undefined;
    const slot = hash(text, at, this.width);
    if ((this.#bits[slot >>> 3]! & (1 << (slot & 7))) === 0) return undefined;
    if (!this.#sorted) {
      for (const list of this.buckets.values()) list.sort((a, b) => b.length - a.length);
      this.#sorted = true;
    }
    return this.buckets.get(text.slice(at, at + this.width))?.find((s) => text.startsWith(s, at));
  }
}

/**
 * The raw secrets read from reports (Gitleaks `Secret`, `Match`, SARIF snippets), and redaction of
 * them plus core's secret-like patterns from any text. A report may carry tens of thousands of
 * secrets, often sharing a prefix (`AKIA…`, `ghp_…`), so a text is scanned once: per position a
 * hash of the next 8 (or, for short secrets, 4) characters is looked up in a bit table, and only
 * candidate positions are compared with the secrets that start there.
 */
export class SecretIndex {
  readonly #all = new Set<string>();
  readonly #long = new PrefixTable(LONG);
  readonly #short = new PrefixTable(MIN);
  readonly #memo = new Map<string, string>();

  get size(): number {
    return this.#all.size;
  }

  /** Registers a secret value; values shorter than 4 characters or fully masked (`****`, `REDACTED`) are ignored. */
  add(secret: string | undefined): void {
    const value = secret?.trim();
    if (!value || value.length < MIN || this.#all.has(value) || /^[*]+$/.test(value) || value === 'REDACTED') return;
    this.#all.add(value);
    (value.length >= LONG ? this.#long : this.#short).add(value);
    this.#memo.clear();
  }

  /** Every registered secret (for callers that must register them elsewhere, e.g. a logger's redactor). */
  values(): string[] {
    return [...this.#all];
  }

  /** Replaces registered secrets and secret-like patterns in a text. Results are memoised: scanner messages repeat. */
  redact(text: string): string {
    if (text.length < MIN) return text;
    const known = this.#memo.get(text);
    if (known !== undefined) return known;
    const result = redactPatterns(this.#all.size ? this.#redactSecrets(text) : text);
    if (this.#memo.size > 50_000) this.#memo.clear();
    this.#memo.set(text, result);
    return result;
  }

  #redactSecrets(text: string): string {
    let out = '';
    let last = 0;
    for (let i = 0; i + MIN <= text.length; ) {
      const match = this.#long.match(text, i) ?? this.#short.match(text, i);
      if (match) {
        out += text.slice(last, i) + REDACTED;
        i += match.length;
        last = i;
      } else i++;
    }
    return last === 0 ? text : out + text.slice(last);
  }
}

/** FNV-1a of `width` characters at `at`, in [0, 2^TABLE_BITS). */
function hash(text: string, at: number, width: number): number {
  let h = 2166136261;
  for (let k = 0; k < width; k++) h = Math.imul(h ^ text.charCodeAt(at + k), 16777619);
  return h >>> (32 - TABLE_BITS);
}
