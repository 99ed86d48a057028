import { describe, expect, it } from '@jest/globals';
import { MemorySummary, table, visibleControls } from '@pipeline-toolkit/core';

describe('visibleControls: the one function for every sink', () => {
  it('shows C0, C1, bidi, zero-width, separators and tag characters as escapes', () => {
    expect(visibleControls('a\u0007\u001b\u0085\u009b')).toBe('a\\x07\\x1b\\x85\\x9b');
    expect(visibleControls('\u202a\u202e\u2066\u2069\u200e\u200f\u061c')).toBe('\\u202a\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c');
    expect(visibleControls('\u200b\u200c\u200d\u2060\ufeff\u180e')).toBe('\\u200b\\u200c\\u200d\\u2060\\ufeff\\u180e');
    expect(visibleControls('x\u2028y\u2029z')).toBe('x\\u2028y\\u2029z');
    expect(visibleControls('hidden\u{E0041}\u{E0042}')).toBe('hidden\\u{e0041}\\u{e0042}');
  });

  it('keeps tab and line breaks, and the legitimate joiners of emoji and flags', () => {
    expect(visibleControls('a\tb\nc\r\n')).toBe('a\tb\nc\r\n');
    for (const emoji of ['👨‍👩‍👧', '❤️‍🔥', '👍🏽', '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}', 'cafe\u0301']) {
      expect(visibleControls(`say ${emoji} ok`)).toBe(`say ${emoji} ok`);
    }
    // A joiner that joins no pictographs is not one.
    expect(visibleControls('a\u200db 👍\u200d')).toBe('a\\u200db 👍\\u200d');
  });

  it('the job summary shows them, whatever a caller interpolated', async () => {
    const summary = new MemorySummary();
    await summary.write(table(['check'], [['ok\u202egnp.exe']]));
    await summary.write(`raw ${'\u200b'}text`);
    expect(summary.text).toContain('ok\\u202egnp.exe');
    expect(summary.text).toContain('raw \\u200btext');
  });
});
