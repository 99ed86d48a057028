/**
 * Text that came from outside (scanner reports, check names, server answers, inputs) made safe to
 * show: control characters become visible escapes, long values are cut with their size, and lines
 * that the runner would read as workflow commands are recognised. Every function here is linear in
 * the length of its input.
 */

import { cutText } from './graphemes.ts';

/**
 * Characters that change what text does or how it looks without being seen: C0 controls but tab
 * and line breaks, DEL, C1 controls; the bidi embeddings, overrides and isolates
 * (U+202A–202E, U+2066–2069) and marks (U+200E, U+200F, U+061C) that reorder text on screen; the
 * zero-width and invisible characters (U+200B–200D, U+2060–2064, U+FEFF, U+180E); the line and
 * paragraph separators U+2028/U+2029; and the tag characters (U+E0000–E007F) that can carry
 * hidden ASCII. Two legitimate uses are kept whole: a zero-width joiner between two pictographs
 * (the family emoji 👨‍👩‍👧) and the tags of a subdivision flag (🏴 + tags + cancel tag).
 */
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;

/** One character class that every character listed above is in (U+DB40: the tags' high surrogate): most texts have none, and this scan is cheap. */
const MAYBE_INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uDB40]/;

/** True for the UTF-16 units that start a character of INVISIBLE, or a flag (U+D83C). */
function candidate(code: number): boolean {
  if (code < 0x20) return code !== 0x09 && code !== 0x0a && code !== 0x0d;
  if (code < 0x7f) return false;
  if (code <= 0x9f) return true;
  if (code < 0x061c) return false;
  return (
    code === 0x061c ||
    code === 0x180e ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff ||
    code === 0xdb40 ||
    code === 0xd83c
  );
}

/** The code point at `index`, whole (a surrogate pair read as one). */
const codePointAt = (text: string, index: number) => text.codePointAt(index) ?? 0;

/** The code point that ends just before `index` (a low surrogate read with its high one). */
function codePointBefore(text: string, index: number): number {
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) return codePointAt(text, index - 2);
  return low;
}

/** A zero-width joiner at `index` between two pictographs (the previous one may carry U+FE0F or a skin tone). */
function joinsPictographs(text: string, index: number): boolean {
  let before = index;
  let previous = codePointBefore(text, before);
  if (previous === 0xfe0f || (previous >= 0x1f3fb && previous <= 0x1f3ff)) {
    before -= previous > 0xffff ? 2 : 1;
    previous = codePointBefore(text, before);
  }
  return isPictograph(previous) && isPictograph(codePointAt(text, index + 1));
}

const PICTOGRAPHS = new Map<number, boolean>();
function isPictograph(code: number): boolean {
  let known = PICTOGRAPHS.get(code);
  if (known === undefined) PICTOGRAPHS.set(code, (known = PICTOGRAPH.test(String.fromCodePoint(code))));
  return known;
}

/** The length of a subdivision flag at `index` (🏴, 1 to 32 tag characters, the cancel tag), or 0. */
function flagLength(text: string, index: number): number {
  if (codePointAt(text, index) !== 0x1f3f4) return 0;
  let at = index + 2;
  for (let tags = 0; tags <= 32; tags++, at += 2) {
    const code = codePointAt(text, at);
    if (code === 0xe007f) return tags ? at + 2 - index : 0;
    if (code < 0xe0020 || code > 0xe007e) return 0;
  }
  return 0;
}

/** Escapes made once per character: texts dense with controls repeat a few characters many times. */
const ESCAPES = new Map<number, string>();

function escapeOf(code: number): string {
  let escape = ESCAPES.get(code);
  if (escape === undefined) {
    if (code <= 0xff) escape = `\\x${code.toString(16).padStart(2, '0')}`;
    else escape = code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
    ESCAPES.set(code, escape);
  }
  return escape;
}

/**
 * The one function that makes untrusted text safe to show, used for the log, annotations, the job
 * summary, SARIF and Slack: every character listed above becomes a visible escape such as `\x1b`,
 * `\u202e` or `\u{e0041}`. Tab, CR and LF are kept (each sink has its own rule for lines). One pass
 * over the UTF-16 units, linear; a text without any of these characters is returned as it is.
 */
export function visibleControls(text: string): string {
  if (!MAYBE_INVISIBLE.test(text)) return text;
  let shown = '';
  let kept = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (!candidate(unit)) continue;
    if (unit === 0xd83c) {
      const flag = flagLength(text, i);
      if (flag) i += flag - 1;
      continue;
    }
    const code = unit === 0xdb40 ? codePointAt(text, i) : unit;
    if (unit === 0xdb40 && (code < 0xe0000 || code > 0xe007f)) continue;
    if (code === 0x200d && joinsPictographs(text, i)) continue;
    shown += text.slice(kept, i) + escapeOf(code);
    kept = i + (code > 0xffff ? 2 : 1);
    i = kept - 1;
  }
  return kept === 0 ? text : shown + text.slice(kept);
}

/** One line: control characters escaped, and CR/LF shown as `\r` and `\n`. */
export function singleLine(text: string): string {
  return visibleControls(text).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** The size of a text as people read it: `812 B`, `20.4 KB`, `3.1 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

export const SHOWN_CHARS = 200;

/**
 * A value quoted in an error message: on one line, control characters escaped, and cut after 200
 * characters with the full size: `'aaaa…' (20.0 KB)`.
 */
export function quoteValue(value: string, max = SHOWN_CHARS): string {
  if (value.length <= max) return `'${singleLine(value)}'`;
  return `'${singleLine(cutText(value, max, ''))}…' (${formatBytes(Buffer.byteLength(value))}, first ${max} characters shown)`;
}

/** The line breaks the runner splits its log on (.NET ReadLine: CR, LF, CRLF). */
export const LINE_BREAK = /\r\n|\r|\n/;

/**
 * True when the runner would read the line as a command: after leading white space it starts with
 * `::` (workflow commands) or `##[` (the older form).
 */
export function isCommandLike(line: string): boolean {
  const start = line.trimStart();
  return start.startsWith('::') || start.startsWith('##[');
}

/**
 * `text` without the runs of `char` at its start and/or end: `stripChar('a//', '/', 'end')` is
 * `a`. A plain scan, linear where `/\/+$/` is quadratic on a long run that is not at the end.
 */
export function stripChar(text: string, char: string, where: 'start' | 'end' | 'both' = 'both'): string {
  let start = 0;
  let end = text.length;
  if (where !== 'end') while (start < end && text[start] === char) start++;
  if (where !== 'start') while (end > start && text[end - 1] === char) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * A table's own entry for a key read from outside (a report, a flag), else undefined:
 * `constructor`, `__proto__` and the other names every object inherits are no entries.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
