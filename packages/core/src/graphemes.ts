/**
 * Shortening text for limits counted in UTF-16 code units (Slack blocks, GitHub annotations,
 * headings): the cut falls between grapheme clusters (Intl.Segmenter), so an emoji, a flag, a
 * family sequence or a letter with its combining accents is kept whole or dropped whole — never
 * left as a lone surrogate or a bare accent.
 */

/**
 * Made on the first cut, not when the module loads: creating a segmenter loads ICU's break rules
 * (7–15 ms), and every action and both aggregation workers load this module, most without ever
 * cutting a text.
 */
let segmenter: Intl.Segmenter | undefined;

/** Longest cluster looked at past the limit: clusters are short, and this keeps a cut of a huge text cheap. */
const LOOKAHEAD = 256;

/**
 * `text` when it fits in `max` code units; otherwise its longest prefix of whole grapheme clusters
 * that fits with `marker` appended, followed by `marker`.
 */
export function cutText(text: string, max: number, marker = '…'): string {
  if (text.length <= max) return text;
  const room = max - marker.length;
  if (room <= 0) return cutText(marker, max, '');
  let end = 0;
  for (const { segment, index } of (segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(
    text.slice(0, room + LOOKAHEAD),
  )) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return `${text.slice(0, end)}${marker}`;
}
