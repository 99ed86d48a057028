import { describe, expect, it } from '@jest/globals';
import { InputError, Inputs, mapInputs, parseDuration, formatDuration } from '@pipeline-toolkit/core';

const inputs = (values: Record<string, string>) => new Inputs(mapInputs(values));

describe('Inputs', () => {
  it('reads strings, treating empty as absent', () => {
    const i = inputs({ title: '  Release  ', empty: '' });
    expect(i.string('title')).toBe('Release');
    expect(i.string('empty')).toBeUndefined();
    expect(i.string('empty', { default: 'x' })).toBe('x');
    expect(() => i.string('empty', { required: true })).toThrow("Input 'empty' is required.");
  });

  it('names inputs as the caller labels them', () => {
    expect(inputs({}).label('needs')).toBe("Input 'needs'");
    expect(new Inputs(mapInputs({}), (name) => `--${name}`).label('needs')).toBe('--needs');
  });

  it('parses booleans strictly, as the runner does', () => {
    const i = inputs({ a: 'true', b: 'FALSE', c: 'yes' });
    expect(i.boolean('a', false)).toBe(true);
    expect(i.boolean('b', true)).toBe(false);
    expect(i.boolean('missing', true)).toBe(true);
    expect(() => i.boolean('c', false)).toThrow("Input 'c' must be a boolean (true or false), got 'yes'.");
  });

  it('checks integers against their range', () => {
    const i = inputs({ n: '5', big: '500', word: 'five' });
    expect(i.integer('n', { min: 1, max: 10 })).toBe(5);
    expect(i.integer('missing', { default: 3, min: 0, max: 10 })).toBe(3);
    expect(() => i.integer('big', { min: 1, max: 100 })).toThrow("Input 'big' must be a whole number from 1 to 100, got '500'.");
    expect(() => i.integer('word', { min: 0, max: 10 })).toThrow("must be a whole number from 0 to 10, got 'five'");
  });

  it('refuses every number outside its bounds, NaN, Infinity, negative, fractional, exponent and huge, naming input and range', () => {
    const bad = [
      '-1',
      '0',
      '11',
      'NaN',
      'Infinity',
      '-Infinity',
      '1.5',
      '1e3',
      '0x10',
      '+5',
      ' 5 5',
      '99999999999999999999',
      '9'.repeat(5000),
    ];
    for (const value of bad) {
      const i = inputs({ n: value });
      expect(() => i.integer('n', { min: 1, max: 10 })).toThrow(/^Input 'n' must be a whole number from 1 to 10, got '/);
    }
    // A huge value is quoted by its first 200 characters and its size, never whole.
    const error = (() => {
      try {
        inputs({ n: '9'.repeat(5000) }).integer('n', { min: 1, max: 10 });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message.length).toBeLessThan(300);
    expect(error?.message).toContain('(4.9 KB, first 200 characters shown)');
  });

  it('accepts enum values case-insensitively and lists the accepted ones', () => {
    const i = inputs({ level: 'HIGH', bad: 'severe' });
    expect(i.enum('level', ['critical', 'high'] as const)).toBe('high');
    expect(() => i.enum('bad', ['critical', 'high'])).toThrow("Input 'bad' must be one of critical, high, got 'severe'.");
    const error = (() => {
      try {
        i.enum('bad', ['x']);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('bad');
  });

  it('reads durations in ms, within their bounds', () => {
    const i = inputs({ t: '1m30s', bad: '5 minutes', long: '2h', bare: '5', zero: '0' });
    expect(i.duration('t', { max: '1h' })).toBe(90_000);
    expect(i.duration('missing', { default: '500ms', max: '1h' })).toBe(500);
    expect(() => i.duration('bad', { max: '1h' })).toThrow(
      "Input 'bad' must be a duration from 0 to 1h (such as 500ms, 90s, 5m or 1m30s), got '5 minutes'.",
    );
    expect(() => i.duration('long', { max: '1h' })).toThrow(
      "Input 'long' must be a duration from 0 to 1h (such as 500ms, 90s, 5m or 1m30s), got '2h'.",
    );
    expect(() => i.duration('bare', { max: '1h' })).toThrow(
      "Input 'bare' needs a unit: write 5s for seconds or 5m for minutes (accepted units: ms, s, m, h; from 0 to 1h), got '5'.",
    );
    expect(i.duration('zero', { max: '1h' })).toBe(0);
    expect(() => i.duration('zero', { min: '1s', max: '1h' })).toThrow("Input 'zero' must be a duration from 1s to 1h");
  });

  it('refuses durations that are negative, NaN, Infinity, exponents or huge', () => {
    for (const value of ['-5s', 'NaN', 'Infinitys', '1e3s', `${'9'.repeat(400)}h`, '99999999999999h', `${'1s'.repeat(5000)}`]) {
      expect(() => inputs({ d: value }).duration('d', { min: '1s', max: '6h' })).toThrow(/^Input 'd' must be a duration from 1s to 6h/);
    }
  });

  it('splits lists on lines and commas, dropping blanks and comments', () => {
    const i = inputs({ l: 'a, b\n# note\n\nc\n' });
    expect(i.list('l')).toEqual(['a', 'b', 'c']);
    expect(i.list('missing')).toEqual([]);
  });

  it('reads lists of accepted values and names the unknown ones', () => {
    const i = inputs({ l: 'Ruff, helm', bad: 'ruff\npylint\nmypy' });
    expect(i.enumList('l', ['ruff', 'helm', 'eslint'])).toEqual(['ruff', 'helm']);
    expect(i.enumList('missing', ['ruff'])).toEqual([]);
    expect(() => i.enumList('bad', ['ruff', 'helm'])).toThrow("Input 'bad' must list items from ruff, helm; unknown: pylint, mypy.");
  });

  it('reads JSON or YAML documents and names the input on a syntax error', async () => {
    const i = inputs({ j: '{"build":{"result":"failure"}}', y: 'build:\n  result: success\n', bad: '{ a: [' });
    await expect(i.document('j')).resolves.toEqual({ build: { result: 'failure' } });
    await expect(i.document('y')).resolves.toEqual({ build: { result: 'success' } });
    await expect(i.document('bad')).rejects.toThrow("Input 'bad' must be JSON or YAML");
  });
});

describe('durations', () => {
  it('parses and formats', () => {
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1h5m')).toBe(3_900_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_340)).toBe('12.3s');
    expect(formatDuration(245_000)).toBe('4m5s');
  });
});
