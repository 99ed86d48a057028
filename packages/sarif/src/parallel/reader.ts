import { constants } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';

const OBJECT = 0;
const ARRAY = 1;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * The longest text V8 makes: 536,870,888 UTF-16 code units (about 512 MiB). What the reader
 * decodes as one text must fit: the document around the split arrays (all of a report that has
 * none, such as a SARIF file) and each element of a split array. Past it, decoding would fail
 * only after holding the whole part twice over, and with a message that names no report.
 */
export const MAX_TEXT = constants.MAX_STRING_LENGTH;

/** A part of a report is too long to be decoded as one text (MAX_TEXT); `part` says which. */
export class TextTooLarge extends RangeError {
  readonly part: 'document' | 'element';
  readonly limit: number;
  constructor(part: 'document' | 'element', limit: number) {
    super(`${part === 'document' ? 'the JSON read whole' : 'one element'} is longer than ${limit} characters`);
    this.name = 'TextTooLarge';
    this.part = part;
    this.limit = limit;
  }
}

/** UTF-16 code units of UTF-8 bytes: one per byte that starts a character, two for a 4-byte one. */
function utf16Units(bytes: Buffer): number {
  let units = 0;
  for (const byte of bytes) if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
  return units;
}

/**
 * The size of a text carried in parts until it is decoded (see MAX_TEXT). Its bytes are summed as
 * parts come; only once they pass the limit are code units counted, as multi-byte characters may
 * still fit: a text over the limit throws as soon as its parts show it.
 */
class TextSize {
  readonly #part: 'document' | 'element';
  readonly #limit: number;
  #bytes = 0;
  /** Code units of the parts so far, counted once the bytes passed the limit (-1 before). */
  #units = -1;

  constructor(part: 'document' | 'element', limit: number) {
    this.#part = part;
    this.#limit = limit;
  }

  /** `parts` (the text so far) ends with `part`, just added. */
  added(part: Buffer, parts: readonly Buffer[]): void {
    this.#bytes += part.length;
    if (this.#bytes <= this.#limit) return;
    this.#units = this.#units < 0 ? parts.reduce((sum, p) => sum + utf16Units(p), 0) : this.#units + utf16Units(part);
    if (this.#units > this.#limit) throw new TextTooLarge(this.#part, this.#limit);
  }

  /** The text was decoded (or dropped): the next one starts. */
  reset(): void {
    this.#bytes = 0;
    this.#units = -1;
  }
}

/**
 * Where a report is divided between two threads: at the first separator of its first split array
 * that lies at or after byte `at` (provided that array opens within the first DIVISIBLE_WITHIN
 * bytes). The `before` side hands over the elements before that separator and stops; the `after`
 * side scans to it without parsing and hands over the rest, with the document around the array.
 * Both sides scan the same bytes the same way, so they agree on the separator; when there is
 * none (the array ends first, or there is no such array), the `before` side reads everything and
 * the `after` side nothing.
 */
export interface Division {
  at: number;
  side: 'before' | 'after';
}

/** A split array must open within this many bytes for its report to be divided (the document before it is small). */
export const DIVISIBLE_WITHIN = 4 << 20;

/** The reader's answer for the `before` side of a division that took place, and for the `after` side of one that did not. */
export const NOT_MINE: unique symbol = Symbol('not this side of the division');

/** A nested reader's answer: its document (an element of the outer reader's split array) ended. */
const ENDED: unique symbol = Symbol('the element ended');

/** Takes one element of a split array. */
export type ElementHandler = (element: unknown, index: number) => void;

/**
 * The elements of a split array read each as a document of its own, by a nested reader (see
 * README.md, "Nested arrays"): the nested reader hands over the elements of the element's own
 * large arrays (`handlers`, for example Trivy's Vulnerabilities in each Result), and then the
 * element without them goes to `element`.
 */
export interface NestedElements {
  handlers: StreamHandlers;
  element: ElementHandler;
}

export interface StreamHandlers {
  /** Top-level array keys whose elements are handed over one at a time (`''`: the document itself is that array). */
  split: ReadonlySet<string>;
  /**
   * Called when a split array starts, with the top-level string values read so far (for example
   * Trivy's ArtifactName, which precedes Results) and every top-level key met so far. Returns how
   * its elements are read, or undefined: the array is not split, but read with the document.
   */
  arrayStart(
    key: string,
    topLevel: Readonly<Record<string, string>>,
    keys: ReadonlySet<string>,
  ): ElementHandler | NestedElements | undefined;
}

/**
 * The reader's states (see README.md):
 * - `document`: outside the split arrays; the bytes are copied into the skeleton (the document
 *   with its split arrays left empty) and the top-level keys and string values are read;
 * - `array-start`: right after the `[` of a split array, before its first element;
 * - `elements`: in a split array; the elements since the last parsed one form the batch;
 * - `unscanned`: in a split array, on the fast path: the bytes carried since the last separator
 *   were not scanned (see #fastChunk);
 * - `skipping`: the `after` side of a division, in the split array before the division: elements
 *   are scanned and counted, not read;
 * - `not-mine`: the reader stopped: this side of a division does not own the rest.
 * Within every state, `#inString`/`#escape` say whether a chunk ended inside a string.
 */
export type ReaderState = 'document' | 'array-start' | 'elements' | 'unscanned' | 'skipping' | 'not-mine';

/** Where skipInsideElement stopped: the nesting depth, and whether inside a string (and right after a backslash). */
interface ElementScan {
  depth: number;
  inString: boolean;
  escape: boolean;
}

/**
 * The hot loop: inside an element of a split array only strings and nesting matter, until the
 * element closes. Scans from `i` at nesting `scan.depth` (≥ 1) and stops at the byte that closes
 * the element (returned, left for the caller to handle) or at the end of the chunk (`n`).
 */
function skipInsideElement(buf: Buffer, i: number, n: number, scan: ElementScan): number {
  let depth = scan.depth;
  scan.inString = false;
  scan.escape = false;
  for (; i < n; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      let end = i + 1;
      for (; end < n; end++) {
        const d = buf[end];
        if (d === QUOTE) break;
        if (d === BACKSLASH) end++;
      }
      if (end >= n) {
        // the chunk ends inside the string (end > n: its last byte was a backslash)
        scan.inString = true;
        scan.escape = end > n;
        i = n;
        break;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 1) break;
      depth--;
    }
  }
  scan.depth = depth;
  return i;
}

/**
 * Reads a JSON document chunk by chunk (push, then end) and hands over the elements of its large
 * top-level arrays, so that a 50 MB report never exists as one string or one object graph. The
 * elements of each chunk are parsed together — their bytes already form the body of a JSON
 * array, and a JSON.parse call per element would cost more than the parsing — and only an
 * element cut by the chunk boundary is carried into the next batch. end() returns the rest of
 * the document (the split arrays left empty). Bytes are decoded only in whole elements, so
 * multi-byte characters across chunk boundaries are safe; JSON syntax errors surface as
 * SyntaxError. A pushed chunk must not be changed while the reader keeps views of it (`keeps`, `carried`).
 */
export class JsonStreamReader {
  readonly #handlers: StreamHandlers;
  readonly #division: Division | undefined;
  #state: ReaderState = 'document';
  #inString = false;
  #escape = false;
  /** The kinds of the open levels (inside an element, only their number matters). */
  readonly #stack: number[] = [];
  /** How many bytes of a byte order mark were met at the start (-1: none, or past it). */
  #bom = 0;
  /** The file offset of the next chunk. */
  #offset = 0;

  // document: the skeleton (and the chunks it keeps views of), and the top-level object's key being read
  readonly #skeleton: Buffer[] = [];
  readonly #skeletonSize: TextSize;
  readonly #skeletonChunks = new Set<ArrayBufferLike>();
  #copyStart = -1;
  readonly #topLevel: Record<string, string> = {};
  readonly #keys = new Set<string>();
  #expectKey = false;
  #key = '';
  #capture: 'key' | 'value' | undefined;
  #textStart = -1;
  #textParts: Buffer[] = [];

  // the split array being read, and its batch (from #batchStart of this chunk, after #batchParts)
  #splitDepth = -1;
  #onElement: ElementHandler | undefined;
  #index = 0;
  #batchStart = -1;
  #batchParts: Buffer[] = [];
  readonly #batchSize: TextSize;
  #lastSeparator = -1;
  readonly #element: ElementScan = { depth: 0, inString: false, escape: false };

  // the division: whether the first split array may be divided, and whether the after side is still before it
  #divisible = false;
  #splitArrays = 0;
  #awaitingDivision: boolean;

  // the fast path: the separator between two elements as this array writes it, from its `}` to the comma
  #separator: Buffer | undefined;
  #separatorComma = 0;
  #fastFailed = false;

  /** Where a batch cut by chunk boundaries is put together to be decoded: grown to the largest batch, reused. */
  #joined = Buffer.alloc(0);
  readonly #limit: number;

  // nested arrays: the split array's elements are each read by a nested reader (#child) with these handlers
  #nested: StreamHandlers | undefined;
  #child: JsonStreamReader | undefined;
  /** Between the elements of a nested split array: an element was read last (a separator or the end comes next). */
  #afterElement = false;
  /** This reader reads one element of an outer reader's split array: it stops where that element ends. */
  readonly #embedded: boolean;
  /** Where an embedded reader's document ended in the chunk it was pushed. */
  #ended = -1;

  /**
   * `limit`: the longest text decoded (MAX_TEXT; tests lower it). A longer document around the
   * split arrays, or a longer element, throws TextTooLarge.
   */
  constructor(handlers: StreamHandlers, division?: Division, embedded = false, limit = MAX_TEXT) {
    this.#handlers = handlers;
    this.#limit = limit;
    this.#skeletonSize = new TextSize('document', limit);
    this.#batchSize = new TextSize('element', limit);
    this.#division = division;
    this.#awaitingDivision = division?.side === 'after';
    this.#embedded = embedded;
    if (embedded) this.#bom = -1;
  }

  get state(): ReaderState {
    return this.#state;
  }

  /** Reads the next `n` bytes of `buf`; NOT_MINE: this side of the division stops here. */
  push(buf: Buffer, n = buf.length): typeof NOT_MINE | undefined {
    if (this.#state === 'not-mine') return NOT_MINE;
    const from = this.#skipBom(buf, n);
    let result: typeof NOT_MINE | undefined;
    if (!this.#fastChunk(buf, n)) result = this.#state === 'unscanned' ? this.#rescan(buf, n) : this.#scan(buf, from, n, this.#offset);
    this.#offset += n;
    // the after side of a document whose split array does not open early: not divided
    if (this.#awaitingDivision && this.#splitArrays === 0 && this.#offset >= DIVISIBLE_WITHIN) result = NOT_MINE;
    if (result === NOT_MINE) this.#state = 'not-mine';
    return result;
  }

  /**
   * Whether the skeleton keeps a view of `chunk` (a buffer with memory of its own, as streamJson
   * allocates them) until the end: it must then stay unchanged.
   */
  keeps(chunk: Buffer): boolean {
    return this.#skeletonChunks.has(chunk.buffer);
  }

  /**
   * The memory of the chunks that the reader carries views of into the next batch or text (they
   * must stay unchanged until then), found in one pass over its parts: an element or text over
   * many chunks carries one part per chunk, and asking for each chunk in turn would cost their
   * number squared (a 128 MB element took 23 s).
   */
  carried(into = new Set<ArrayBufferLike>()): Set<ArrayBufferLike> {
    for (const part of this.#batchParts) into.add(part.buffer);
    for (const part of this.#textParts) into.add(part.buffer);
    // a nested reader's views, its skeleton's too, last until its element ends
    if (this.#child) {
      for (const buffer of this.#child.#skeletonChunks) into.add(buffer);
      this.#child.carried(into);
    }
    return into;
  }

  #keep(part: Buffer): void {
    this.#skeleton.push(part);
    this.#skeletonSize.added(part, this.#skeleton);
    this.#skeletonChunks.add(part.buffer);
  }

  /** The end of the document: its rest (the skeleton, parsed), or NOT_MINE. */
  end(): unknown {
    if (this.#state === 'unscanned' && this.#rescan(Buffer.alloc(0), 0) === NOT_MINE) this.#state = 'not-mine';
    if (this.#state === 'not-mine') return NOT_MINE;
    if (this.#inString || this.#stack.length) throw new SyntaxError('Unexpected end of JSON input');
    if (this.#awaitingDivision) return NOT_MINE; // the document has no split array
    return JSON.parse(Buffer.concat(this.#skeleton).toString('utf8'));
  }

  /** A UTF-8 byte order mark is not JSON: skipped, even when cut by a chunk boundary. Returns where the JSON starts in `buf`. */
  #skipBom(buf: Buffer, n: number): number {
    let from = 0;
    while (this.#bom >= 0 && this.#bom < BOM.length && from < n) {
      if (buf[from] !== BOM[this.#bom]) {
        if (this.#bom > 0) throw new SyntaxError('Unexpected token in JSON at position 0');
        this.#bom = -1;
        return from;
      }
      this.#bom++;
      from++;
    }
    if (this.#bom === BOM.length) this.#bom = -1;
    return from;
  }

  /** Scans buf[from, n), whose first byte is at file offset `base`. */
  #scan(buf: Buffer, from: number, n: number, base: number): typeof NOT_MINE | undefined {
    if (this.#batchStart >= 0) this.#batchStart = 0;
    if (this.#textStart >= 0) this.#textStart = 0;
    this.#lastSeparator = -1;
    this.#copyStart = this.#state === 'document' ? from : -1;
    return this.#scanFrom(buf, this.#child ? this.#readNested(buf, from, n) : from, n, base);
  }

  /** Scans buf[from, n) of the chunk being read (see #scan). */
  #scanFrom(buf: Buffer, from: number, n: number, base: number): typeof NOT_MINE | undefined {
    for (let i = from; i < n; i++) {
      if (!this.#inString && this.#splitDepth >= 0 && this.#stack.length > this.#splitDepth) {
        i = this.#skipElement(buf, i, n);
        if (i >= n) break;
      }
      if (this.#inString) {
        i = this.#skipString(buf, i, n);
        continue;
      }
      const b = buf[i]!;
      if (b <= 32) continue; // whitespace: most of an indented report outside its strings
      if (this.#state === 'array-start') this.#firstElement(b, i);
      if (this.#nested && this.#state === 'elements' && this.#stack.length === this.#splitDepth && b !== COMMA && b !== CLOSE_BRACKET) {
        i = this.#startNested(buf, i, n) - 1;
        continue;
      }
      const result = this.#structural(buf, i, n, b, base);
      if (result === NOT_MINE) return NOT_MINE;
      if (result === ENDED) {
        this.#endChunk(buf, this.#ended);
        return undefined;
      }
    }
    this.#endChunk(buf, n);
    return undefined;
  }

  /** An element of a nested split array starts at `i`: a nested reader reads it. Returns where this reader goes on. */
  #startNested(buf: Buffer, i: number, n: number): number {
    if (this.#afterElement) throw new SyntaxError(`Unexpected '${String.fromCharCode(buf[i]!)}' after an array element`);
    this.#child = new JsonStreamReader(this.#nested!, undefined, true, this.#limit);
    return this.#readNested(buf, i, n);
  }

  /**
   * Gives `buf[i, n)` to the nested reader of the element being read; when the element ends
   * there, hands it over. Returns where this reader goes on (`n`: the element goes on).
   */
  #readNested(buf: Buffer, i: number, n: number): number {
    const child = this.#child!;
    const end = child.#pushEmbedded(i === 0 && n === buf.length ? buf : buf.subarray(i, n));
    if (end < 0) return n;
    this.#child = undefined;
    this.#afterElement = true;
    this.#onElement!(child.end(), this.#index++);
    return i + end;
  }

  /** An embedded reader's chunk: returns where its document ended in it, or -1 when it goes on. */
  #pushEmbedded(buf: Buffer): number {
    this.#ended = -1;
    if (!this.#fastChunk(buf, buf.length)) this.#scan(buf, 0, buf.length, this.#offset);
    this.#offset += buf.length;
    return this.#ended;
  }

  /** Inside an element: to the byte that closes it, or the end of the chunk. */
  #skipElement(buf: Buffer, i: number, n: number): number {
    const element = this.#element;
    element.depth = this.#stack.length - this.#splitDepth;
    const end = skipInsideElement(buf, i, n, element);
    // only the nesting depth matters inside an element: the kinds of its levels are never read
    while (this.#stack.length < this.#splitDepth + element.depth) this.#stack.push(OBJECT);
    this.#stack.length = this.#splitDepth + element.depth;
    this.#inString = element.inString;
    this.#escape = element.escape;
    return end;
  }

  /**
   * Inside a string: to its closing quote (returned), stepping over escaped characters, or to the
   * end of the chunk (`n`). A plain loop: most strings are short, and a native search per string
   * costs more than it saves. A top-level key or value being captured is read when it closes.
   */
  #skipString(buf: Buffer, i: number, n: number): number {
    let end = i;
    if (this.#escape) {
      this.#escape = false;
      end++;
    }
    for (; end < n; end++) {
      const c = buf[end];
      if (c === QUOTE) break;
      if (c === BACKSLASH) end++;
    }
    if (end >= n) {
      // the chunk ends inside the string (end > n: its last byte was a backslash)
      this.#escape = end > n;
      return n;
    }
    this.#inString = false;
    if (this.#capture) this.#captured(buf, end);
    return end;
  }

  /** A top-level key or string value closed at `end`: remembered (keys name the split arrays). */
  #captured(buf: Buffer, end: number): void {
    const text = Buffer.concat([...this.#textParts, buf.subarray(this.#textStart, end + 1)]).toString('utf8');
    this.#textParts = [];
    this.#textStart = -1;
    if (this.#capture === 'key') this.#keys.add((this.#key = JSON.parse(text) as string));
    else this.#topLevel[this.#key] = JSON.parse(text) as string;
    this.#capture = undefined;
  }

  /** The first byte after a split array's `[` (whitespace aside): an element starts, or the array is empty. */
  #firstElement(b: number, i: number): void {
    if (b === COMMA) throw new SyntaxError("Unexpected ',' at the start of an array");
    if (b === CLOSE_BRACKET) return;
    if (this.#awaitingDivision) this.#state = 'skipping';
    else {
      this.#state = 'elements';
      // the elements of a nested split array are read by nested readers, not in batches
      if (!this.#nested) this.#batchStart = i;
    }
  }

  /** A byte outside strings and elements that is not whitespace. */
  #structural(buf: Buffer, i: number, n: number, b: number, base: number): typeof NOT_MINE | typeof ENDED | undefined {
    const stack = this.#stack;
    if (this.#embedded && stack.length === 0 && (b === COMMA || b === CLOSE_BRACKET || b === CLOSE_BRACE)) {
      // a scalar element ended before this byte (or there was none: the outer reader's separator follows)
      this.#ended = i;
      return ENDED;
    }
    switch (b) {
      case QUOTE:
        this.#inString = true;
        if (stack.length === 1 && stack[0] === OBJECT && this.#state === 'document') {
          this.#capture = this.#expectKey ? 'key' : 'value';
          this.#textStart = i;
        }
        return undefined;
      case OPEN_BRACE:
        stack.push(OBJECT);
        if (stack.length === 1) this.#expectKey = true;
        return undefined;
      case OPEN_BRACKET:
        stack.push(ARRAY);
        return this.#state === 'document' && this.#isSplitArray() ? this.#openArray(buf, i, base) : undefined;
      case CLOSE_BRACE:
      case CLOSE_BRACKET: {
        const closes = b === CLOSE_BRACKET && stack.length === this.#splitDepth;
        if (closes && this.#closeArray(buf, i) === NOT_MINE) return NOT_MINE;
        stack.pop();
        if (!this.#embedded || stack.length > 0) return undefined;
        this.#ended = i + 1;
        return ENDED;
      }
      case COMMA:
        if (stack.length === this.#splitDepth) return this.#separatorAt(buf, i, n, base);
        if (stack.length === 1 && stack[0] === OBJECT) this.#expectKey = true;
        return undefined;
      case COLON:
        if (stack.length === 1) this.#expectKey = false;
        return undefined;
      default:
        return undefined;
    }
  }

  /** Whether the array just opened is one whose elements are handed over. */
  #isSplitArray(): boolean {
    const stack = this.#stack;
    const split = this.#handlers.split;
    return (stack.length === 1 && split.has('')) || (stack.length === 2 && stack[0] === OBJECT && split.has(this.#key));
  }

  /** A split array opens at `i` (unless its handler leaves it in the document). */
  #openArray(buf: Buffer, i: number, base: number): typeof NOT_MINE | undefined {
    const depth = this.#stack.length;
    const handler = this.#handlers.arrayStart(depth === 1 ? '' : this.#key, this.#topLevel, this.#keys);
    if (!handler) return undefined;
    this.#onElement = typeof handler === 'function' ? handler : handler.element;
    this.#nested = typeof handler === 'function' ? undefined : handler.handlers;
    this.#afterElement = false;
    this.#keep(buf.subarray(this.#copyStart, i + 1));
    this.#copyStart = -1;
    this.#splitDepth = depth;
    this.#state = 'array-start';
    this.#index = 0;
    this.#separator = undefined;
    this.#fastFailed = false;
    this.#divisible = this.#division !== undefined && ++this.#splitArrays === 1 && base + i < DIVISIBLE_WITHIN;
    return this.#awaitingDivision && !this.#divisible ? NOT_MINE : undefined;
  }

  /** The split array closes at `i`. */
  #closeArray(buf: Buffer, i: number): typeof NOT_MINE | undefined {
    if (this.#awaitingDivision) return NOT_MINE; // the array ended before the division
    if (this.#batchStart >= 0) this.#finishBatch(buf, i);
    if (this.#nested && this.#state === 'elements' && !this.#afterElement) throw new SyntaxError("Unexpected ']' after ','");
    this.#nested = undefined;
    this.#splitDepth = -1;
    this.#state = 'document';
    this.#copyStart = i;
    this.#divisible = false;
    return undefined;
  }

  /** A separator between two elements of the split array, at `i`: where a division may fall. */
  #separatorAt(buf: Buffer, i: number, n: number, base: number): typeof NOT_MINE | undefined {
    if (this.#state === 'skipping') this.#index++;
    else if (this.#nested) {
      if (!this.#afterElement) throw new SyntaxError("Unexpected ',' after ','");
      this.#afterElement = false;
    } else {
      this.#lastSeparator = i;
      if (!this.#separator && !this.#fastFailed) this.#learnSeparator(buf, i, n);
    }
    if (!this.#divisible || base + i < this.#division!.at) return undefined;
    this.#divisible = false;
    if (this.#division!.side === 'before') {
      if (this.#batchStart >= 0) this.#finishBatch(buf, i);
      return NOT_MINE;
    }
    // the after side takes over from the element after this separator
    this.#awaitingDivision = false;
    this.#state = 'elements';
    if (!this.#nested) this.#batchStart = i + 1;
    return undefined;
  }

  /** The chunk ends: what continues into the next one is kept (views of this chunk); the complete elements are parsed now. */
  #endChunk(buf: Buffer, n: number): void {
    if (this.#copyStart >= 0) this.#keep(buf.subarray(this.#copyStart, n));
    if (this.#textStart >= 0) this.#textParts.push(buf.subarray(this.#textStart, n));
    if (this.#batchStart < 0) return;
    if (this.#lastSeparator > this.#batchStart) {
      this.#finishBatch(buf, this.#lastSeparator);
      this.#batchStart = this.#lastSeparator + 1;
    }
    this.#carry(buf.subarray(this.#batchStart, n));
  }

  /** Part of an element (or of several) continues into the next chunk: carried in the batch, whose size is followed. */
  #carry(part: Buffer): void {
    this.#batchParts.push(part);
    this.#batchSize.added(part, this.#batchParts);
  }

  /** Parses the batch up to `end` of `chunk` (a separator or the array's end) and hands its elements over. */
  #finishBatch(chunk: Buffer, end: number): void {
    const elements = JSON.parse(this.#batchArray(this.#batchParts, chunk.subarray(this.#batchStart, end))) as unknown[];
    this.#batchParts = [];
    this.#batchSize.reset();
    this.#batchStart = -1;
    // a batch starts at an element or right after a separator: empty means a trailing comma
    if (!elements.length) throw new SyntaxError("Unexpected ']' after ','");
    const onElement = this.#onElement!;
    for (const element of elements) onElement(element, this.#index++);
  }

  /**
   * The batch as the text of a JSON array: `[`, the UTF-8 of `parts` and then `last`, `]`, put
   * together in one reused buffer and decoded once. A character cut by a chunk boundary is whole
   * there, and neither a buffer per batch (garbage outside the JavaScript heap until a full
   * collection) nor a second string of the batch's size (brackets added to the decoded text) is made.
   */
  #batchArray(parts: readonly Buffer[], last: Buffer): string {
    const length = parts.reduce((sum, part) => sum + part.length, last.length + 2);
    if (this.#joined.length < length) this.#joined = Buffer.allocUnsafeSlow(Math.max(length, 2 * this.#joined.length));
    const joined = this.#joined;
    joined[0] = OPEN_BRACKET;
    let at = 1;
    for (const part of parts) at += part.copy(joined, at);
    at += last.copy(joined, at);
    joined[at++] = CLOSE_BRACKET;
    return joined.toString('utf8', 0, at);
  }

  /**
   * Remembers how this array separates its elements — from the `}` that closes one, through the
   * comma and whitespace, to the `{` and first key of the next: `},\n {\n  "RuleID"` — once the
   * scan has met a separator with all of that in the same buffer.
   */
  #learnSeparator(buf: Buffer, comma: number, n: number): void {
    let start = comma - 1;
    while (start >= 0 && buf[start]! <= 32) start--;
    let end = comma + 1;
    while (end < n && buf[end]! <= 32) end++;
    if (start < 0 || buf[start] !== CLOSE_BRACE || end >= n || buf[end] !== OPEN_BRACE) return;
    end++;
    while (end < n && buf[end]! <= 32) end++;
    if (end < n && buf[end] === QUOTE) {
      const close = buf.indexOf(QUOTE, end + 1);
      if (close < 0 || close >= n || close - end > 64 || buf.subarray(end, close).includes(BACKSLASH)) return;
      end = close + 1;
    }
    if (end > n) return;
    this.#separator = Buffer.from(buf.subarray(start, end));
    this.#separatorComma = comma - start;
  }

  /**
   * The fast path through the elements of a split array: find the last separator of the chunk by
   * its bytes and parse everything before it with the batch carried so far, without scanning it.
   * The bytes could also occur inside a string; then the text before them is not a list of whole
   * values, JSON.parse rejects it, and the chunk is scanned instead (and this array no longer takes
   * the fast path). When JSON.parse accepts it, it ends at an element boundary of the array.
   * Returns whether the chunk was taken.
   */
  #fastChunk(buf: Buffer, n: number): boolean {
    const separator = this.#separator;
    const onPath = this.#state === 'elements' || this.#state === 'unscanned';
    if (!separator || this.#fastFailed || !onPath || this.#batchStart < 0) return false;
    // the before side scans the chunk where its division falls
    if (this.#divisible && this.#division!.side === 'before' && this.#offset + n + separator.length >= this.#division!.at) return false;
    const found = n >= separator.length ? buf.lastIndexOf(separator, n - separator.length) : -1;
    if (found < 0) {
      if (this.#state !== 'unscanned') return false;
      // inside one long element: carry the chunk unscanned too (an array's end is met at the end of the file)
      this.#carry(buf.subarray(0, n));
      return true;
    }
    const comma = found + this.#separatorComma;
    // the batch open since the last separator continues at the start of this chunk
    this.#batchStart = 0;
    try {
      this.#finishBatch(buf, comma);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      this.#fastFailed = true;
      return false;
    }
    if (this.#embedded) {
      // the element may end in this chunk: the rest is scanned, from the element after the separator
      this.#batchParts = [];
      this.#batchSize.reset();
      this.#batchStart = comma + 1;
      this.#lastSeparator = -1;
      this.#copyStart = -1;
      this.#stack.length = this.#splitDepth;
      this.#inString = false;
      this.#escape = false;
      this.#scanFrom(buf, comma + 1, n, this.#offset);
      return true;
    }
    this.#batchStart = 0;
    this.#batchParts = [];
    this.#batchSize.reset();
    this.#carry(buf.subarray(comma + 1, n));
    this.#state = 'unscanned';
    return true;
  }

  /** Scans the carried bytes left unscanned since the last separator (they start at an element boundary), then `buf[0, n)`. */
  #rescan(buf: Buffer, n: number): typeof NOT_MINE | undefined {
    const carried = this.#batchParts.reduce((sum, part) => sum + part.length, 0);
    const combined = Buffer.concat([...this.#batchParts, buf.subarray(0, n)]);
    this.#batchParts = [];
    this.#batchSize.reset();
    this.#batchStart = 0;
    this.#stack.length = this.#splitDepth;
    this.#inString = false;
    this.#escape = false;
    this.#state = 'elements';
    return this.#scan(combined, 0, combined.length, this.#offset - carried);
  }
}

/** How many bytes a report is read between two calls of its `pause` (see streamJson). */
export const PAUSE_EVERY = 4 << 20;

/**
 * Called between chunks every PAUSE_EVERY bytes, and after each report (load.ts): two threads
 * reading at once exchange what they found so far there (see README.md, "secrets exchange").
 */
export type Pause = () => void | Promise<void>;

/** Chunks of at least this size are read into reused buffers (ChunkPool); smaller ones (tests cut reports at every byte) each get their own. */
const POOLED_FROM = 1 << 16;

/**
 * The chunk buffers of one streamed report: a chunk is read into again once the reader keeps no
 * view of it (JsonStreamReader.keeps and carried), so a report needs a few buffers, not one per chunk (each
 * a block outside the JavaScript heap, garbage until a full collection, and fresh pages to fault
 * in). Buffers the skeleton keeps are left to the reader.
 */
class ChunkPool {
  readonly #size: number;
  readonly #free: Buffer[] = [];
  #carried: Buffer[] = [];

  constructor(size: number) {
    this.#size = size;
  }

  /** A buffer to read the next chunk into: a free one, or a new one with memory of its own. */
  take(): Buffer {
    if (this.#size < POOLED_FROM) return Buffer.allocUnsafe(this.#size);
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.#size);
  }

  /** After `chunk` was pushed to `reader`: the buffers it carries views of stay out of use, the others are free again. */
  settle(chunk: Buffer, reader: JsonStreamReader): void {
    if (this.#size < POOLED_FROM) return;
    const carried: Buffer[] = [];
    const carriedNow = reader.carried();
    for (const buf of [...this.#carried, chunk]) {
      if (carriedNow.has(buf.buffer)) carried.push(buf);
      else if (!reader.keeps(buf)) this.#free.push(buf);
    }
    this.#carried = carried;
  }
}

/**
 * The size of a chunk (still pooled: POOLED_FROM). A chunk's complete elements are decoded as one
 * text and parsed in one batch: below V8's largest regular object (128 KB) that text is an
 * ordinary young-generation string, garbage at the next scavenge; 256 KB and 128 KB texts are
 * large objects of the old generation, kept until a full collection. Interleaved runs of the
 * benchmark, 64 or 96 KB against 128 or 256 KB: 1–5% less wall time, 3–8% less CPU (README.md, "Figures").
 */
export const CHUNK_SIZE = 1 << 16;

/**
 * Reads a report file through a JsonStreamReader in chunks (CHUNK_SIZE): the elements of its split
 * arrays go to the handlers; returns the rest of the document, or NOT_MINE (see Division).
 */
export async function streamJson(
  file: string,
  handlers: StreamHandlers,
  chunkSize = CHUNK_SIZE,
  division?: Division,
  pause?: Pause,
): Promise<unknown> {
  const reader = new JsonStreamReader(handlers, division);
  const chunks = new ChunkPool(chunkSize);
  let sincePause = 0;
  // Synchronous reads: the file is read start to end with nothing else to do meanwhile, and a
  // thread-pool round trip per chunk only adds waiting.
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const buf = chunks.take();
      const n = readSync(fd, buf, 0, chunkSize, null);
      if (n === 0) break;
      if (reader.push(buf, n) === NOT_MINE) return NOT_MINE;
      // what continues into the next chunk keeps a view of this one: it is not read into meanwhile
      chunks.settle(buf, reader);
      sincePause += n;
      if (pause && sincePause >= PAUSE_EVERY) {
        sincePause = 0;
        await pause();
      }
    }
  } finally {
    closeSync(fd);
  }
  return reader.end();
}
