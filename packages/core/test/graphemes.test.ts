import { describe, expect, it } from '@jest/globals';
import { cutText } from '@pipeline-toolkit/core';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Thumbs up with a skin tone (4 units), a family (11 units), a flag (4), e + combining acute (2), a CJK letter (1). */
const CLUSTERS = ['👍🏽', '👨‍👩‍👧', '🇧🇷', 'e\u0301', '漢', 'a'];
const TEXT = CLUSTERS.join('').repeat(3);

describe('cutText', () => {
  it('keeps a text that fits, and cuts only between grapheme clusters, at every length', () => {
    expect(cutText(TEXT, TEXT.length)).toBe(TEXT);
    for (let max = 0; max < TEXT.length; max++) {
      const cut = cutText(TEXT, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(LONE_SURROGATE);
      if (max >= 1) expect(cut.endsWith('…')).toBe(true);
      const kept = cut.slice(0, -1);
      // What is kept is whole clusters of the original, in order.
      const boundaries = [0];
      for (const c of [...CLUSTERS, ...CLUSTERS, ...CLUSTERS]) boundaries.push((boundaries.at(-1) ?? 0) + c.length);
      if (max >= 1) expect(boundaries).toContain(kept.length);
      expect(TEXT.startsWith(kept)).toBe(true);
    }
  });

  it('gives the values a reader expects at the edges of a cluster', () => {
    // 👍🏽 is four code units: with one left for '…' it does not fit in 4, it does in 5.
    expect(cutText('👍🏽 ok', 4)).toBe('…');
    expect(cutText('👍🏽 ok', 5)).toBe('👍🏽…');
    // The accent stays on its e.
    expect(cutText('cafe\u0301 noir', 5)).toBe('caf…');
    expect(cutText('cafe\u0301 noir', 6)).toBe('cafe\u0301…');
    expect(cutText('abcdef', 4, ' (cut)')).toBe(' (cu');
    expect(cutText('abcdef', 0)).toBe('');
  });

  it('cuts a huge text without reading all of it', () => {
    const huge = '🇧🇷'.repeat(2_000_000);
    const cut = cutText(huge, 151);
    expect(cut).toBe(`${'🇧🇷'.repeat(37)}…`);
  });
});
