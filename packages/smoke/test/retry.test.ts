import { describe, expect, it } from '@jest/globals';
import { backoffDelay, parseRetryAfter } from '../src/retry.ts';
import { matches, parseJsonPath, select } from '../src/jsonpath.ts';

describe('backoff and Retry-After', () => {
  it('doubles per attempt with equal jitter, capped at 30 s', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, 500, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, 500, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, 500, () => 1)).toBe(30_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-29T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('JSON paths', () => {
  const doc = { status: 'ok', items: [{ id: 1 }, { id: 2 }], 'a key': { n: 0 }, flag: false };

  it('selects by name, index (negative from the end) and quoted key', () => {
    expect(select(doc, parseJsonPath('$.status')!)).toEqual({ found: true, value: 'ok' });
    expect(select(doc, parseJsonPath('$.items[-1].id')!)).toEqual({ found: true, value: 2 });
    expect(select(doc, parseJsonPath("$['a key'].n")!)).toEqual({ found: true, value: 0 });
    expect(select(doc, parseJsonPath('$.flag')!)).toEqual({ found: true, value: false });
    expect(select(doc, parseJsonPath('$.items[5]')!)).toEqual({ found: false });
    expect(select(doc, parseJsonPath('$.status.length')!)).toEqual({ found: false });
    expect(parseJsonPath('$..status')).toBeUndefined();
    expect(parseJsonPath('status')).toBeUndefined();
  });

  it('matches text from the suite against numbers and booleans, and compares structures deeply', () => {
    expect(matches(200, '200')).toBe(true);
    expect(matches(true, 'true')).toBe(true);
    expect(matches('200', 200)).toBe(false);
    expect(matches({ a: [1, 'x'] }, { a: [1, 'x'] })).toBe(true);
    expect(matches({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(matches(null, null)).toBe(true);
  });
});
