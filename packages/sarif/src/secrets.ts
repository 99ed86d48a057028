import { redactPatterns, REDACTED } from '@pipeline-toolkit/core';
import { RecentCache } from './recent.ts';

const MIN = 4;
/** The marker core's cutText ends a cut text with. */
const CUT = '…';
const LONG = 8;
const TABLE_BITS = 20;
const BASE = 31;

/** Polynomial hash of `width` characters at `at` (the same function rolls along a text in #redactSecrets). */
function hashAt(text: string, at: number, width: number): number {
  let h = 0;
  for (let k = 0; k < width; k++) h = (Math.imul(h, BASE) + text.charCodeAt(at + k)) | 0;
  return h;
}

/** A table slot for a hash: mixed, so that similar prefixes spread over the table. */
const slotOf = (h: number) => Math.imul(h, 0x9e3779b1) >>> (32 - TABLE_BITS);

/** BASE^(width-1), to drop the leading character when the hash rolls. */
function leadingWeight(width: number): number {
  let w = 1;
  for (let k = 1; k < width; k++) w = Math.imul(w, BASE);
  return w;
}

/** Up to this many secrets of one prefix are compared one by one; more are looked up by length. */
const SCANNED = 8;

/**
 * The secrets that share one prefix hash, when there are several. A few are compared with the
 * text one by one, longest first. Many share a prefix in real reports: Gitleaks gives each leak's
 * `Match` too, and the matches of one rule begin alike (`aws_access_key_id = "AKIA…`), tens of
 * thousands of them. Comparing each would cost as much per occurrence of that prefix in a text,
 * so a large bucket is looked up by length instead: one substring per distinct length, longest
 * first. Sorted or indexed when first matched, not on every secret added (most buckets never are).
 */
class Bucket {
  readonly #list: string[];
  #sorted = false;
  /** The secrets by length, and their distinct lengths, longest first (once the bucket is large and matched). */
  #byLength: Map<number, Set<string>> | undefined;
  #lengths: number[] = [];

  constructor(first: string, second: string) {
    this.#list = [first, second];
  }

  add(secret: string): void {
    if (this.#byLength) this.#index(secret);
    else {
      this.#list.push(secret);
      this.#sorted = false;
    }
  }

  /** The longest secret of the bucket that the text holds at `at`. */
  match(text: string, at: number): string | undefined {
    if (this.#byLength) return this.#lookUp(text, at);
    if (this.#list.length > SCANNED) {
      this.#byLength = new Map();
      for (const secret of this.#list) this.#index(secret);
      this.#list.length = 0;
      return this.#lookUp(text, at);
    }
    if (!this.#sorted) {
      this.#list.sort((a, b) => b.length - a.length);
      this.#sorted = true;
    }
    return this.#list.find((s) => text.startsWith(s, at));
  }

  #index(secret: string): void {
    const byLength = this.#byLength!;
    const same = byLength.get(secret.length);
    if (same) same.add(secret);
    else {
      byLength.set(secret.length, new Set([secret]));
      this.#lengths.push(secret.length);
      this.#lengths.sort((a, b) => b - a);
    }
  }

  #lookUp(text: string, at: number): string | undefined {
    for (const length of this.#lengths) {
      if (at + length > text.length) continue;
      const candidate = text.slice(at, at + length);
      if (this.#byLength!.get(length)!.has(candidate)) return candidate;
    }
    return undefined;
  }
}

/** Secrets bucketed by their first `width` characters, with a bit table of their prefix hashes. */
class PrefixTable {
  readonly width: number;
  /**
   * One secret, or a Bucket of several (most have one), per hash of the prefix: keyed by the
   * number the scan has already rolled, so neither adding nor matching cuts a prefix string.
   */
  readonly buckets = new Map<number, string | Bucket>();
  /** Allocated on the first secret: most scans have none. */
  bits: Uint8Array | undefined;

  constructor(width: number) {
    this.width = width;
  }

  add(secret: string): void {
    const hash = hashAt(secret, 0, this.width);
    const known = this.buckets.get(hash);
    if (known === undefined) this.buckets.set(hash, secret);
    else if (typeof known === 'string') this.buckets.set(hash, new Bucket(known, secret));
    else known.add(secret);
    const slot = slotOf(hash);
    this.bits ??= new Uint8Array(1 << (TABLE_BITS - 3));
    this.bits[slot >>> 3]! |= 1 << (slot & 7);
  }

  hit(slot: number): boolean {
    return this.bits !== undefined && (this.bits[slot >>> 3]! & (1 << (slot & 7))) !== 0;
  }

  /** The longest secret starting at `at`, whose prefix hashes to `hash`, if any (after a hit in the bit table). */
  match(text: string, at: number, hash: number): string | undefined {
    const candidates = this.buckets.get(hash);
    if (typeof candidates === 'string') return text.startsWith(candidates, at) ? candidates : undefined;
    return candidates?.match(text, at);
  }
}

/**
 * The raw secrets read from reports (Gitleaks `Secret`, SARIF snippets), and redaction of them
 * plus core's secret-like patterns from any text. A report may carry tens of thousands of secrets,
 * often sharing a prefix (`AKIA…`, `ghp_…`), so a text is scanned once with a rolling hash of the
 * next 8 characters looked up in a bit table; only the rare hits are compared with the secrets.
 */
export class SecretIndex {
  readonly #all = new Set<string>();
  readonly #long = new PrefixTable(LONG);
  readonly #short = new PrefixTable(MIN);
  readonly #memo = new RecentCache<string>(13);
  /** A secret was added since the memo was last cleared (secrets come in thousands, redaction after them). */
  #memoStale = false;
  /** redactFolded's results, with the number of secrets they were redacted with. */
  readonly #foldedMemo = new Map<string, string>();
  #foldedFrom = 0;
  /** The longest secret's length. */
  #longest = 0;
  /** For the ends of cut texts: the secrets sorted, and their first MIN characters (made when first needed, again after new secrets). */
  #sorted: string[] | undefined;
  #heads: Set<string> | undefined;

  get size(): number {
    return this.#all.size;
  }

  /**
   * Registers a secret value; values shorter than 4 characters or fully masked (`****`, `REDACTED`)
   * are ignored. Returns the value when it is new.
   */
  add(secret: string | undefined): string | undefined {
    const value = secret?.trim();
    if (!value || value.length < MIN || value === 'REDACTED' || (value.startsWith('*') && /^[*]+$/.test(value))) return undefined;
    return this.#register(value) ? value : undefined;
  }

  /** Registers the secrets of another index (its values(), already checked there); returns the new ones. */
  addAll(values: readonly string[]): string[] {
    return values.filter((value) => this.#register(value));
  }

  /** Registers a value unless it is known (one lookup in the set, which tens of thousands of secrets make slow: its size tells). */
  #register(value: string): boolean {
    const known = this.#all.size;
    this.#all.add(value);
    if (this.#all.size === known) return false;
    (value.length >= LONG ? this.#long : this.#short).add(value);
    this.#longest = Math.max(this.#longest, value.length);
    this.#sorted = undefined;
    this.#memoStale = true;
    return true;
  }

  /**
   * Redacts a text that was folded to lower case (a tool id made from a name): registered secrets
   * are looked for in lower case too, so that a folded copy of a mixed-case secret is found.
   * Redact the text before folding it where that is possible; this is the net behind it.
   */
  redactFolded(text: string): string {
    if (this.#foldedFrom !== this.#all.size) {
      this.#foldedMemo.clear();
      this.#foldedFrom = this.#all.size;
    }
    let result = this.#foldedMemo.get(text);
    if (result !== undefined) return result;
    result = this.redact(text);
    // Folded texts are short (tool ids) and few, while secrets may be tens of thousands: the
    // secrets that occur in the text in lower case are looked for one by one, and only those
    // are indexed, which redacts exactly as an index of every secret in lower case would.
    const found = new SecretIndex();
    for (const value of this.#all) {
      if (value.length > result.length) continue;
      const lower = value.toLowerCase();
      if (result.includes(lower)) found.add(lower);
    }
    if (found.size) result = found.redact(result);
    if (this.#foldedMemo.size < 1000) this.#foldedMemo.set(text, result);
    return result;
  }

  /** Whether a text contains a registered secret (patterns aside). */
  containsSecret(text: string): boolean {
    return this.#all.size > 0 && text.length >= MIN && this.#redactSecrets(text) !== text;
  }

  /** The registered secrets, to hand to another thread's index. */
  values(): string[] {
    return [...this.#all];
  }

  /** Replaces registered secrets and secret-like patterns in a text. Results are memoised: scanner texts repeat. */
  redact(text: string): string {
    if (text.length < MIN) return text;
    if (this.#memoStale) {
      this.#memo.clear();
      this.#memoStale = false;
    }
    const known = this.#memo.get(text);
    if (known !== undefined) return known;
    let result = this.#all.size ? this.#redactSecrets(text) : text;
    if (this.#all.size && result.endsWith(CUT)) result = this.#redactCutEnd(result);
    result = redactPatterns(result);
    this.#memo.set(text, result);
    return result;
  }

  /**
   * A text cut short when it was read (a title, a message) may end with the start of a secret that
   * was not known yet, or that the cut made too short to match: that start is redacted as well.
   * Only positions whose next MIN characters begin some secret are looked up, by binary search.
   */
  #redactCutEnd(text: string): string {
    const body = text.slice(0, -CUT.length);
    if (!this.#sorted) {
      this.#sorted = [...this.#all].sort();
      this.#heads = new Set(this.#sorted.map((secret) => secret.slice(0, MIN)));
    }
    const sorted = this.#sorted;
    for (let i = Math.max(0, body.length - this.#longest); i + MIN <= body.length; i++) {
      if (!this.#heads!.has(body.slice(i, i + MIN))) continue;
      const tail = body.slice(i);
      // the first secret not less than the tail begins with it if any secret does
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (sorted[mid]! < tail) low = mid + 1;
        else high = mid;
      }
      if (sorted[low]?.startsWith(tail)) return `${body.slice(0, i)}${REDACTED}${CUT}`;
    }
    return text;
  }

  #redactSecrets(text: string): string {
    let out = '';
    let last = 0;
    const long = this.#long;
    const short = this.#short.buckets.size > 0 ? this.#short : undefined;
    const weight = leadingWeight(LONG);
    let h = text.length >= LONG ? hashAt(text, 0, LONG) : 0;
    for (let i = 0; i + MIN <= text.length; ) {
      const hasLong = i + LONG <= text.length;
      let match = hasLong && long.hit(slotOf(h)) ? long.match(text, i, h) : undefined;
      if (!match && short) {
        const hs = hashAt(text, i, MIN);
        if (short.hit(slotOf(hs))) match = short.match(text, i, hs);
      }
      if (match) {
        out += text.slice(last, i) + REDACTED;
        i += match.length;
        last = i;
        if (i + LONG <= text.length) h = hashAt(text, i, LONG);
        continue;
      }
      if (i + LONG < text.length) h = (Math.imul(h - Math.imul(text.charCodeAt(i), weight), BASE) + text.charCodeAt(i + LONG)) | 0;
      i++;
    }
    return last === 0 ? text : out + text.slice(last);
  }
}
