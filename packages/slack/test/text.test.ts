import { describe, expect, it } from '@jest/globals';
import { escapeSlack, fitLines, neutraliseMentions, safeText, slackLink, truncate } from '@pipeline-toolkit/slack';

describe('text safety', () => {
  it('escapes the control characters and neutralises bare mentions', () => {
    expect(escapeSlack('a & <b> c')).toBe('a &amp; &lt;b&gt; c');
    expect(neutraliseMentions('ping @here and @Channel, !everyone; @hereby stays')).toBe(
      'ping @\u200Bhere and @\u200BChannel, !\u200Beveryone; @hereby stays',
    );
    expect(safeText('<!subteam^S123|devs>\nnext line')).toBe('&lt;!subteam^S123|devs&gt; next line');
  });

  it('builds links whose label and address cannot break out', () => {
    expect(slackLink('https://x.example/a b|c>', 'name | with > pipe')).toBe('<https://x.example/a%20b%7Cc%3E|name \u2223 with &gt; pipe>');
    expect(slackLink(undefined, 'plain')).toBe('plain');
    expect(slackLink('https://x.example/', 'n'.repeat(400))).toBe(`<https://x.example/|${'n'.repeat(149)}…>`);
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    expect(slackLink(undefined, `${'n'.repeat(140)} ${token}`)).toBe(`${'n'.repeat(140)} ***`);
  });

  it('truncates without splitting a link or an entity', () => {
    expect(truncate('short', 10, '…')).toBe('short');
    expect(truncate('abc <https://example.com|link> tail', 12, '…')).toBe('abc …');
    expect(truncate('abcdefg &amp; more', 11, '…')).toBe('abcdefg …');
    expect(truncate('abcdefghijklmnop', 10, '…')).toHaveLength(10);
  });

  it('never splits an emoji or a letter from its accent, at any cut (a lone surrogate breaks the JSON Slack reads)', () => {
    const text = 'deploy 👍🏽 to 🇧🇷 cafe\u0301 👨‍👩‍👧 done';
    for (let max = 1; max <= text.length; max++) {
      const cut = truncate(text, max, '…');
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|^\u0301|[^e]\u0301/);
    }
    expect(truncate(text, 10, '…')).toBe('deploy …');
    expect(truncate(text, 11, '…')).toBe('deploy …');
    expect(truncate(text, 12, '…')).toBe('deploy 👍🏽…');
    const label = slackLink('https://x.example/', `${'n'.repeat(148)}👍🏽 tail`);
    expect(label).toBe(`<https://x.example/|${'n'.repeat(148)}…>`);
  });

  it('fits whole lines and says how many were left out', () => {
    const lines = ['one', 'two', 'three', 'four'];
    expect(fitLines(lines, 100, (n) => `+${n}`)).toBe('one\ntwo\nthree\nfour');
    expect(fitLines(lines, 12, (n) => `+${n}`)).toBe('one\ntwo\n+2');
    expect(fitLines(lines, 12, (n) => `+${n}`).length).toBeLessThanOrEqual(12);
  });
});
