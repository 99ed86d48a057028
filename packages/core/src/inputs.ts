import { parseDuration } from './duration.ts';
import { InputError } from './errors.ts';
import { cutText } from './graphemes.ts';
import { quoteValue } from './text.ts';

/** Where input values come from: the runner's INPUT_* variables, CLI flags, or a test's map. */
export type InputSource = (name: string) => string | undefined;

/** Reads `INPUT_<NAME>` as the runner sets it (spaces become `_`, upper-cased; dashes kept). */
export const envInputs: InputSource = (name) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];

export const mapInputs =
  (values: Record<string, string | undefined>): InputSource =>
  (name) =>
    values[name];

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

interface Options<T> {
  required?: boolean;
  default?: T;
}

/**
 * Typed readers for action inputs. Every error names the input and what is accepted.
 * An empty value counts as not given (the runner passes unset inputs as empty strings).
 */
export class Inputs {
  readonly #source: InputSource;
  readonly #label: (name: string) => string;
  /** `label` names an input in messages: `Input 'fail-on'` for actions, `--fail-on` for the CLI. */
  constructor(source: InputSource = envInputs, label: (name: string) => string = (name) => `Input '${name}'`) {
    this.#source = source;
    this.#label = label;
  }

  /** How messages name an input: `Input 'needs'` in an action, `--needs` in the CLI (for validation done outside these readers). */
  label(name: string): string {
    return this.#label(name);
  }

  /** The trimmed value, or undefined when empty. */
  raw(name: string): string | undefined {
    const value = this.#source(name)?.trim();
    return value ? value : undefined;
  }

  string(name: string, options: Options<string> & { required: true }): string;
  string(name: string, options: Options<string> & { default: string }): string;
  string(name: string, options?: Options<string>): string | undefined;
  string(name: string, options: Options<string> = {}): string | undefined {
    const value = this.raw(name) ?? options.default;
    if (value === undefined && options.required) throw new InputError(name, `${this.#label(name)} is required.`);
    return value;
  }

  boolean(name: string, defaultValue: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return defaultValue;
    if (TRUE.includes(value)) return true;
    if (FALSE.includes(value)) return false;
    throw new InputError(name, `${this.#label(name)} must be a boolean (true or false), got ${quoteValue(value)}.`);
  }

  /**
   * A whole number within `min`..`max` (both required: every number a user gives has documented
   * bounds). Signs, decimals, exponents, NaN, Infinity and numbers outside the range are refused,
   * naming the input and the range.
   */
  integer(name: string, options: Options<number> & { min: number; max: number }): number | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (options.required)
        throw new InputError(name, `${this.#label(name)} is required: a whole number from ${options.min} to ${options.max}.`);
      return options.default;
    }
    const number = /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number) || number < options.min || number > options.max) {
      throw new InputError(
        name,
        `${this.#label(name)} must be a whole number from ${options.min} to ${options.max}, got ${quoteValue(value)}.`,
      );
    }
    return number;
  }

  enum<const T extends string>(name: string, accepted: readonly T[], options: Options<T> & { required: true }): T;
  enum<const T extends string>(name: string, accepted: readonly T[], options: Options<T> & { default: T }): T;
  enum<const T extends string>(name: string, accepted: readonly T[], options?: Options<T>): T | undefined;
  enum<const T extends string>(name: string, accepted: readonly T[], options: Options<T> = {}): T | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (options.required) throw new InputError(name, `${this.#label(name)} is required: one of ${accepted.join(', ')}.`);
      return options.default;
    }
    const match = accepted.find((a) => a === value) ?? accepted.find((a) => a.toLowerCase() === value.toLowerCase());
    if (!match) throw new InputError(name, `${this.#label(name)} must be one of ${accepted.join(', ')}, got ${quoteValue(value)}.`);
    return match;
  }

  /**
   * A duration such as `500ms`, `90s`, `5m`, `1m30s`, in milliseconds, from `min` (default 0) to
   * `max` (required: every duration a user gives has documented bounds). A number without a unit
   * is refused (`5` could mean seconds, as Helm reads it, or minutes); only `0` needs none.
   */
  duration(name: string, options: Options<string> & { min?: string; max: string }): number | undefined {
    const value = this.raw(name) ?? options.default;
    const range = `from ${options.min ?? '0'} to ${options.max}`;
    if (value === undefined) {
      if (options.required) throw new InputError(name, `${this.#label(name)} is required: a duration ${range}, such as 90s or 5m.`);
      return undefined;
    }
    if (/^\s*\d+(?:\.\d+)?\s*$/.test(value) && Number(value) !== 0) {
      const shown = cutText(value.trim(), 20);
      throw new InputError(
        name,
        `${this.#label(name)} needs a unit: write ${shown}s for seconds or ${shown}m for minutes (accepted units: ms, s, m, h; ${range}), got ${quoteValue(value)}.`,
      );
    }
    const ms = value.length <= 64 ? parseDuration(value) : undefined;
    const min = parseDuration(options.min ?? '0') ?? 0;
    const max = parseDuration(options.max) ?? Infinity;
    if (ms === undefined || !Number.isFinite(ms) || ms < min || ms > max) {
      throw new InputError(
        name,
        `${this.#label(name)} must be a duration ${range} (such as 500ms, 90s, 5m or 1m30s), got ${quoteValue(value)}.`,
      );
    }
    return ms;
  }

  /** A list: one item per line or separated by commas; blank items and `#` comment lines dropped. */
  list(name: string, options: { required?: boolean; separator?: RegExp } = {}): string[] {
    const value = this.raw(name);
    if (value === undefined) {
      if (options.required) throw new InputError(name, `${this.#label(name)} is required: one item per line.`);
      return [];
    }
    return value
      .split(/\r?\n/)
      .filter((line) => !line.trim().startsWith('#'))
      .flatMap((line) => line.split(options.separator ?? /,/))
      .map((item) => item.trim())
      .filter(Boolean);
  }

  /** A list whose items must each be one of `accepted` (matched case-insensitively). */
  enumList<const T extends string>(name: string, accepted: readonly T[]): T[] {
    const items = this.list(name);
    const unknown = items.filter((item) => !accepted.some((a) => a.toLowerCase() === item.toLowerCase()));
    if (unknown.length) {
      throw new InputError(name, `${this.#label(name)} must list items from ${accepted.join(', ')}; unknown: ${unknown.join(', ')}.`);
    }
    return items.map((item) => accepted.find((a) => a.toLowerCase() === item.toLowerCase()) as T);
  }

  /** A JSON or YAML document (YAML 1.2 is a superset of JSON). */
  async document(name: string, options: { required?: boolean } = {}): Promise<unknown> {
    const value = this.raw(name);
    if (value === undefined) {
      if (options.required) throw new InputError(name, `${this.#label(name)} is required: a JSON or YAML document.`);
      return undefined;
    }
    try {
      return JSON.parse(value);
    } catch {
      // Bundled, a CommonJS module's dynamic import exposes only `default`.
      const yaml = await import('yaml');
      const { parse } = (yaml as unknown as { default?: typeof yaml }).default ?? yaml;
      try {
        return parse(value);
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new InputError(name, `${this.#label(name)} must be JSON or YAML: ${reason}`);
      }
    }
  }
}
