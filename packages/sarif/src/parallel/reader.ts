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

/** streamJson's answer for the `before` side of a division that took place, and for the `after` side of one that did not. */
export const NOT_MINE: unique symbol = Symbol('not this side of the division');

export interface StreamHandlers {
  /** Top-level array keys whose elements are handed over one at a time (`''`: the document itself is that array). */
  split: ReadonlySet<string>;
  /**
   * Called when a split array starts, with the top-level string values read so far (for example
   * Trivy's ArtifactName, which precedes Results). Returns the element handler.
   */
  arrayStart(key: string, topLevel: Readonly<Record<string, string>>): (element: unknown, index: number) => void;
}

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
 * Reads a JSON document in chunks (256 KB) and hands over the elements of its large top-level
 * arrays, so that a 50 MB report never exists as one string or one object graph. The elements of
 * each chunk are parsed together — their bytes already form the body of a JSON array, and a
 * JSON.parse call per element would cost more than the parsing — and only an element cut by the
 * chunk boundary is carried into the next batch. Returns the rest of the document (the split
 * arrays left empty). Bytes are decoded only in whole elements, so multi-byte characters across
 * chunk boundaries are safe; JSON syntax errors surface as SyntaxError.
 */
export async function streamJson(file: string, handlers: StreamHandlers, chunkSize = 1 << 18, division?: Division): Promise<unknown> {
  // Synchronous reads: the file is read start to end with nothing else to do meanwhile, and a
  // thread-pool round trip per chunk only adds waiting.
  const fd = openSync(file, 'r');
  const skeleton: Buffer[] = [];
  const stack: number[] = [];
  const topLevel: Record<string, string> = {};
  let inString = false;
  let escape = false;
  // the top-level object's key being read, and whether the next top-level string is a key
  let expectKey = false;
  let key = '';
  let textStart = -1;
  let textParts: Buffer[] = [];
  let capture: 'key' | 'value' | undefined;
  // the split array being read
  let splitDepth = -1;
  let onElement: ((element: unknown, index: number) => void) | undefined;
  let index = 0;
  let waiting = false;
  let batchStart = -1;
  let batchParts: Buffer[] = [];
  let lastSeparator: number;
  let copyStart: number;
  const element: ElementScan = { depth: 0, inString: false, escape: false };
  // the division: the file offset of the current chunk, whether the first split array may be divided, and (after side) skipping
  let chunkOffset = 0;
  let divisible = false;
  let splitArrays = 0;
  let skipping = division?.side === 'after';
  // the fast path (see fastChunk): the separator between two elements as this array writes it, and
  // whether the bytes carried since the last separator were left unscanned
  let separator: Buffer | undefined;
  let separatorComma = 0;
  let fastFailed = false;
  let unscanned = false;

  /** Parses the batch up to `end` of `chunk` (a separator or the array's end) and hands its elements over. */
  const finishBatch = (chunk: Buffer, end: number) => {
    const body = batchParts.length
      ? Buffer.concat([...batchParts, chunk.subarray(batchStart, end)]).toString('utf8')
      : chunk.toString('utf8', batchStart, end);
    const elements = JSON.parse(`[${body}]`) as unknown[];
    batchParts = [];
    batchStart = -1;
    // a batch starts at an element or right after a separator: empty means a trailing comma
    if (!elements.length) throw new SyntaxError("Unexpected ']' after ','");
    for (const element of elements) onElement!(element, index++);
  };

  /**
   * Remembers how this array separates its elements — from the `}` that closes one, through the
   * comma and whitespace, to the `{` and first key of the next: `},\n {\n  "RuleID"` — once the
   * scan has met a separator with all of that in the same buffer.
   */
  const learnSeparator = (buf: Buffer, comma: number, n: number) => {
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
    separator = Buffer.from(buf.subarray(start, end));
    separatorComma = comma - start;
  };

  /**
   * The fast path through the elements of a split array: find the last separator of the chunk by
   * its bytes and parse everything before it with the batch carried so far, without scanning it.
   * The bytes could also occur inside a string; then the text before them is not a list of whole
   * values, JSON.parse rejects it, and the chunk is scanned instead (and this array no longer takes
   * the fast path). When JSON.parse accepts it, it ends at an element boundary of the array.
   * Returns whether the chunk was taken.
   */
  const fastChunk = (buf: Buffer, n: number): boolean => {
    if (!separator || fastFailed || skipping || splitDepth < 0 || batchStart < 0) return false;
    // the before side scans the chunk where its division falls
    if (divisible && division!.side === 'before' && chunkOffset + n + separator.length >= division!.at) return false;
    const found = n >= separator.length ? buf.lastIndexOf(separator, n - separator.length) : -1;
    if (found < 0) {
      if (!unscanned) return false;
      // inside one long element: carry the chunk unscanned too (an array's end is met at the end of the file)
      batchParts.push(buf.subarray(0, n));
      return true;
    }
    const comma = found + separatorComma;
    // the batch open since the last separator continues at the start of this chunk
    batchStart = 0;
    try {
      finishBatch(buf, comma);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      fastFailed = true;
      return false;
    }
    batchStart = 0;
    batchParts = [buf.subarray(comma + 1, n)];
    unscanned = true;
    return true;
  };

  /** Scans buf[from, n), whose first byte is at file offset `base`; NOT_MINE ends the stream. */
  const scan = (buf: Buffer, from: number, n: number, base: number): typeof NOT_MINE | undefined => {
    if (batchStart >= 0) batchStart = 0;
    if (textStart >= 0) textStart = 0;
    lastSeparator = -1;
    copyStart = splitDepth < 0 ? from : -1;
    for (let i = from; i < n; i++) {
      if (!inString && splitDepth >= 0 && stack.length > splitDepth) {
        element.depth = stack.length - splitDepth;
        i = skipInsideElement(buf, i, n, element);
        // only the nesting depth matters inside an element: the kinds of its levels are never read
        while (stack.length < splitDepth + element.depth) stack.push(OBJECT);
        stack.length = splitDepth + element.depth;
        inString = element.inString;
        escape = element.escape;
        if (i >= n) break;
      }
      if (inString) {
        // Skip to the closing quote, stepping over escaped characters. A plain loop: most strings
        // are short, and a native search per string costs more than it saves.
        if (escape) {
          escape = false;
          continue;
        }
        let end = i;
        for (; end < n; end++) {
          const c = buf[end];
          if (c === QUOTE) break;
          if (c === BACKSLASH) end++;
        }
        if (end >= n) {
          // the chunk ends inside the string (end > n: its last byte was a backslash)
          escape = end > n;
          break;
        }
        i = end;
        inString = false;
        if (capture) {
          const text = Buffer.concat([...textParts, buf.subarray(textStart, i + 1)]).toString('utf8');
          textParts = [];
          textStart = -1;
          if (capture === 'key') key = JSON.parse(text) as string;
          else topLevel[key] = JSON.parse(text) as string;
          capture = undefined;
        }
        continue;
      }
      const b = buf[i]!;
      if (b <= 32) continue; // whitespace: most of an indented report outside its strings
      if (waiting) {
        if (b === COMMA) throw new SyntaxError("Unexpected ',' at the start of an array");
        if (b !== CLOSE_BRACKET) {
          waiting = false;
          if (!skipping) batchStart = i;
        }
      }
      switch (b) {
        case QUOTE:
          inString = true;
          if (stack.length === 1 && stack[0] === OBJECT && splitDepth < 0) {
            capture = expectKey ? 'key' : 'value';
            textStart = i;
          }
          break;
        case OPEN_BRACE:
          stack.push(OBJECT);
          if (stack.length === 1) expectKey = true;
          break;
        case OPEN_BRACKET:
          stack.push(ARRAY);
          if (
            splitDepth < 0 &&
            ((stack.length === 1 && handlers.split.has('')) || (stack.length === 2 && stack[0] === OBJECT && handlers.split.has(key)))
          ) {
            onElement = handlers.arrayStart(stack.length === 1 ? '' : key, topLevel);
            skeleton.push(buf.subarray(copyStart, i + 1));
            copyStart = -1;
            splitDepth = stack.length;
            waiting = true;
            index = 0;
            separator = undefined;
            fastFailed = false;
            divisible = division !== undefined && ++splitArrays === 1 && base + i < DIVISIBLE_WITHIN;
            if (skipping && !divisible) return NOT_MINE;
          }
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          if (b === CLOSE_BRACKET && stack.length === splitDepth) {
            if (skipping) return NOT_MINE; // the array ended before the division
            if (batchStart >= 0) finishBatch(buf, i);
            splitDepth = -1;
            waiting = false;
            copyStart = i;
            divisible = false;
          }
          stack.pop();
          break;
        case COMMA:
          if (stack.length === splitDepth) {
            if (skipping) index++;
            else {
              lastSeparator = i;
              if (!separator && !fastFailed) learnSeparator(buf, i, n);
            }
            if (divisible && base + i >= division!.at) {
              divisible = false;
              if (division!.side === 'before') {
                if (batchStart >= 0) finishBatch(buf, i);
                return NOT_MINE;
              }
              // the after side takes over from the element after this separator
              skipping = false;
              batchStart = i + 1;
            }
          } else if (stack.length === 1 && stack[0] === OBJECT) expectKey = true;
          break;
        case COLON:
          if (stack.length === 1) expectKey = false;
          break;
      }
    }
    if (copyStart >= 0) skeleton.push(buf.subarray(copyStart, n));
    if (textStart >= 0) textParts.push(buf.subarray(textStart, n));
    if (batchStart >= 0) {
      // parse the complete elements of this chunk now; carry the cut one
      if (lastSeparator > batchStart) {
        finishBatch(buf, lastSeparator);
        batchStart = lastSeparator + 1;
      }
      batchParts.push(buf.subarray(batchStart, n));
    }
    return undefined;
  };

  /** Scans the carried bytes left unscanned since the last separator (they start at an element boundary), then `buf[0, n)`. */
  const rescan = (buf: Buffer, n: number): typeof NOT_MINE | undefined => {
    const carried = batchParts.reduce((sum, part) => sum + part.length, 0);
    const combined = Buffer.concat([...batchParts, buf.subarray(0, n)]);
    batchParts = [];
    batchStart = 0;
    stack.length = splitDepth;
    inString = false;
    escape = false;
    waiting = false;
    unscanned = false;
    return scan(combined, 0, combined.length, chunkOffset - carried);
  };

  let first = true;
  try {
    for (;;) {
      // A fresh buffer per chunk: what continues into the next chunk keeps a view of this one.
      const buf = Buffer.allocUnsafe(chunkSize);
      const n = readSync(fd, buf, 0, chunkSize, null);
      if (n === 0) {
        if (unscanned && rescan(buf, 0) === NOT_MINE) return NOT_MINE;
        break;
      }
      // a UTF-8 byte order mark is not JSON: skip it
      const from = first && n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      first = false;
      if (!fastChunk(buf, n)) {
        const result = unscanned ? rescan(buf, n) : scan(buf, from, n, chunkOffset);
        if (result === NOT_MINE) return NOT_MINE;
      }
      chunkOffset += n;
      // the after side of a document whose split array does not open early: not divided
      if (skipping && splitArrays === 0 && chunkOffset >= DIVISIBLE_WITHIN) return NOT_MINE;
    }
  } finally {
    closeSync(fd);
  }
  if (inString || stack.length) throw new SyntaxError('Unexpected end of JSON input');
  if (skipping) return NOT_MINE; // the document has no split array
  return JSON.parse(Buffer.concat(skeleton).toString('utf8'));
}
