import { closeSync, openSync, readSync } from 'node:fs';

const OBJECT = 0;
const ARRAY = 1;

export interface StreamHandlers {
  /** Top-level array keys whose elements are handed over one at a time (`''`: the document itself is that array). */
  split: ReadonlySet<string>;
  /**
   * Called when a split array starts, with the top-level string values read so far (for example
   * Trivy's ArtifactName, which precedes Results). Returns the element handler.
   */
  arrayStart(key: string, topLevel: Readonly<Record<string, string>>): (element: unknown, index: number) => void;
}

/**
 * Reads a JSON document in 1 MB chunks and hands over the elements of its large top-level arrays
 * one by one, each parsed on its own, so that a 50 MB report never exists as one string or one
 * object graph. Returns the rest of the document (the split arrays left empty). Element bytes are
 * decoded only once complete, so multi-byte characters across chunk boundaries are safe; JSON
 * syntax errors surface from JSON.parse as SyntaxError.
 */
export async function streamJson(file: string, handlers: StreamHandlers, chunkSize = 1 << 20): Promise<unknown> {
  // Synchronous reads: the file is read start to end with nothing else to do meanwhile, and a
  // thread-pool round trip per chunk only adds waiting.
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(chunkSize);
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
  // split array state
  let splitDepth = -1;
  let onElement: ((element: unknown, index: number) => void) | undefined;
  let index = 0;
  let waiting = false;
  let elementStart = -1;
  let elementParts: Buffer[] = [];
  let copyStart: number;

  const finishElement = (chunk: Buffer, end: number) => {
    const text = elementParts.length
      ? Buffer.concat([...elementParts, chunk.subarray(elementStart, end)]).toString('utf8')
      : chunk.toString('utf8', elementStart, end);
    elementParts = [];
    elementStart = -1;
    onElement!(JSON.parse(text), index++);
  };

  let first = true;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, chunkSize, null);
      if (n === 0) break;
      if (elementStart >= 0) elementStart = 0;
      if (textStart >= 0) textStart = 0;
      // a UTF-8 byte order mark is not JSON: skip it
      const from = first && n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      first = false;
      copyStart = splitDepth < 0 ? from : -1;
      for (let i = from; i < n; i++) {
        if (inString) {
          // Jump to the next quote with the native search; it closes the string unless escaped.
          if (escape) {
            escape = false;
            continue;
          }
          const quote = buf.indexOf(34, i);
          if (quote < 0 || quote >= n) {
            escape = trailingBackslashes(buf, n, i) % 2 === 1;
            i = n;
            break;
          }
          if (trailingBackslashes(buf, quote, i) % 2 === 1) {
            i = quote;
            continue;
          }
          i = quote;
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
        if (waiting && b > 32 && b !== 44 && b !== 93) {
          waiting = false;
          elementStart = i;
        }
        switch (b) {
          case 34: // "
            inString = true;
            if (stack.length === 1 && stack[0] === OBJECT && splitDepth < 0) {
              capture = expectKey ? 'key' : 'value';
              textStart = i;
            }
            break;
          case 123: // {
            stack.push(OBJECT);
            if (stack.length === 1) expectKey = true;
            break;
          case 91: // [
            stack.push(ARRAY);
            if (
              splitDepth < 0 &&
              ((stack.length === 1 && handlers.split.has('')) || (stack.length === 2 && stack[0] === OBJECT && handlers.split.has(key)))
            ) {
              onElement = handlers.arrayStart(stack.length === 1 ? '' : key, topLevel);
              skeleton.push(Buffer.from(buf.subarray(copyStart, i + 1)));
              copyStart = -1;
              splitDepth = stack.length;
              waiting = true;
              index = 0;
            }
            break;
          case 125: // }
          case 93: // ]
            if (b === 93 && stack.length === splitDepth) {
              if (elementStart >= 0) finishElement(buf, i);
              splitDepth = -1;
              waiting = false;
              copyStart = i;
            }
            stack.pop();
            break;
          case 44: // ,
            if (stack.length === splitDepth) {
              if (elementStart >= 0) finishElement(buf, i);
              waiting = true;
            } else if (stack.length === 1 && stack[0] === OBJECT) expectKey = true;
            break;
          case 58: // :
            if (stack.length === 1) expectKey = false;
            break;
        }
      }
      if (copyStart >= 0) skeleton.push(Buffer.from(buf.subarray(copyStart, n)));
      if (elementStart >= 0) elementParts.push(Buffer.from(buf.subarray(elementStart, n)));
      if (textStart >= 0) textParts.push(Buffer.from(buf.subarray(textStart, n)));
    }
  } finally {
    closeSync(fd);
  }
  if (inString || stack.length) throw new SyntaxError('Unexpected end of JSON input');
  return JSON.parse(Buffer.concat(skeleton).toString('utf8'));
}

/** How many backslashes end at `end` (exclusive), not looking before `from`. */
function trailingBackslashes(buf: Buffer, end: number, from: number): number {
  let count = 0;
  for (let k = end - 1; k >= from && buf[k] === 92; k--) count++;
  return count;
}
