import { describe, expect, it } from '@jest/globals';
import { markdownToText, parseDuration, redactPatterns, stripChar } from '@pipeline-toolkit/core';

describe('stripChar: trailing or leading runs of one character, without a regular expression', () => {
  it('strips runs at the chosen ends only', () => {
    expect(stripChar('https://api.github.com///', '/', 'end')).toBe('https://api.github.com');
    expect(stripChar('//a/b//', '/', 'start')).toBe('a/b//');
    expect(stripChar('--a-b--', '-')).toBe('a-b');
    expect(stripChar('////', '/')).toBe('');
    expect(stripChar('a', '/')).toBe('a');
  });

  it('keeps a long run that is not at the end (where /\\/+$/ retries from every slash)', () => {
    const text = `${'/'.repeat(50_000)}x`;
    expect(stripChar(text, '/', 'end')).toBe(text);
  });
});

describe('rewritten patterns keep their meaning', () => {
  it('durations of several parts still add up', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1h2m3s4ms')).toBe(3_723_004);
    expect(parseDuration('1.5s')).toBe(1500);
  });

  it('redaction keeps the prefix it matched and replaces only the value', () => {
    expect(redactPatterns('curl -H "Proxy-Authorization: Basic dXNlcjpwYXNz" x')).toBe('curl -H "Proxy-Authorization: Basic ***" x');
    expect(redactPatterns(`aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`)).toBe(`aws_secret_access_key = "***"`);
    const spaces = `Authorization:${' '.repeat(30_000)}nothing`;
    expect(redactPatterns(spaces)).toBe(spaces);
  });

  it('links in terminal text: labels and URLs without brackets or parentheses are read, runs of brackets are left alone', () => {
    expect(markdownToText('see [the run](https://example.com/run%2842%29)')).toBe('see the run (https://example.com/run(42))');
    expect(markdownToText('[[[x](u)')).toBe('[[x (u)');
  });
});
