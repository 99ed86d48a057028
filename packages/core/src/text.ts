/**
 * Text that came from outside (scanner reports, check names, server answers, inputs) made safe to
 * show: control characters become visible escapes, long values are cut with their size, and lines
 * that the runner would read as workflow commands are recognised. Every function here is linear in
 * the length of its input.
 */

/** C0 controls but tab and line breaks, DEL, C1 controls, and the bidi overrides that reorder text on screen. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Replaces control characters (but tab, CR and LF) with visible escapes such as `\x1b`. */
export function visibleControls(text: string): string {
  return text.replace(CONTROL, escapeOne);
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
  return `'${singleLine(value.slice(0, max))}…' (${formatBytes(Buffer.byteLength(value))}, first ${max} characters shown)`;
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
