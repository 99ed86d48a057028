import { cutText, redactPatterns, visibleControls } from '@pipeline-toolkit/core';

/**
 * Making outside text safe for a Slack message. Branch names, job and step names, titles and
 * check names are controlled by whoever can push or edit a workflow, so they are treated as data:
 * secret-like strings scrubbed, invisible and control characters made visible (core's
 * visibleControls, as in the log, the summary and SARIF), Slack's control characters escaped,
 * mentions neutralised.
 */

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Bare `@here`, `@channel`, `@everyone` (and `!here` …) get a zero-width space after the sigil so
 * they can never notify anyone. Bracketed forms (`<!channel>`, `<@U123>`, `<!subteam^S1>`) are
 * already harmless once `<` is escaped.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/([@!])(channel|here|everyone)\b/gi, '$1\u200B$2');
}

/**
 * Outside text for mrkdwn or plain_text: scrubbed, a lone surrogate replaced by U+FFFD (Slack
 * rejects or garbles it), invisible characters shown, escaped, neutralised, on one line.
 */
export function safeText(text: string, redact: (text: string) => string = redactPatterns): string {
  return neutraliseMentions(
    escapeSlack(visibleControls(redact(text).toWellFormed()).replace(/\s+/g, (space) => (space.includes('\n') ? ' ' : space))),
  );
}

/** The label part of `<url|label>`: a `|` would end the URL part early, so it becomes a look-alike. */
export function linkLabel(text: string, redact?: (text: string) => string): string {
  return safeText(text, redact).replace(/\|/g, '\u2223');
}

/** A URL for `<url|label>`: characters that would end the link are percent-encoded. */
export function linkUrl(url: string): string {
  return url.replace(/[<>|\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Longest link label kept whole; a longer one is shortened before escaping, so the link survives any later cut. */
const LABEL_MAX = 150;

/** `<url|label>` with both parts scrubbed (a branch named like a token must not leak through its URL). */
export function slackLink(url: string | undefined, label: string, redact: (text: string) => string = redactPatterns): string {
  // Scrubbed before it is shortened: a secret cut in half would no longer be recognised.
  const clean = redact(label);
  const text = linkLabel(cutText(clean, LABEL_MAX), (t) => t);
  return url ? `<${linkUrl(redact(url))}|${text}>` : text;
}

/**
 * Cuts already-escaped text to at most `max` characters, ending with `marker`, without splitting a
 * `<…>` link, an `&…;` entity (a half entity or link would be shown raw or break the message) or a
 * grapheme cluster (half an emoji is a lone surrogate, which Slack rejects or shows as �).
 */
export function truncate(text: string, max: number, marker: string): string {
  if (text.length <= max) return text;
  let cut = cutText(text, Math.max(0, max - marker.length), '');
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && amp > cut.lastIndexOf(';') && cut.length - amp < 6) cut = cut.slice(0, amp);
  return `${cut}${marker}`;
}

/**
 * Joins lines into one text of at most `max` characters. Lines that do not fit are dropped whole
 * and replaced by one `more(n)` line, so the reader sees how many are missing.
 */
export function fitLines(lines: readonly string[], max: number, more: (count: number) => string): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const remaining = lines.length - index - 1;
    const tail = remaining > 0 ? more(remaining).length + 1 : 0;
    if (length + line.length + 1 + tail > max) {
      kept.push(more(lines.length - index));
      return kept.join('\n');
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}
