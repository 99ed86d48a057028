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
const INVISIBLE =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class
  /(\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]?\u200D(?=\p{Extended_Pictographic}))|(\u{1F3F4}[\u{E0020}-\u{E007E}]{1,32}\u{E007F})|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u{E0000}-\u{E007F}]/gu;

/** One character class that every match of INVISIBLE starts with or contains (U+DB40: the tags' high surrogate): most texts have none, and this scan is cheap. */
const MAYBE_INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uDB40]/;

function escapeOne(char: string): string {
  const code = char.codePointAt(0)!;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * The one function that makes untrusted text safe to show, used for the log, annotations, the job
 * summary, SARIF and Slack: every character listed at INVISIBLE becomes a visible escape such as
 * `\x1b`, `\u202e` or `\u{e0041}`. Tab, CR and LF are kept (each sink has its own rule for lines).
 * Linear: one pass, each alternative anchored on its first character.
 */
export function visibleControls(text: string): string {
  if (!MAYBE_INVISIBLE.test(text)) return text;
  return text.replace(INVISIBLE, (char: string, joined?: string, flag?: string) => joined ?? flag ?? escapeOne(char));
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
