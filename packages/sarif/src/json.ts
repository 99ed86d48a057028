/**
 * Defensive readers for untrusted report documents: every field of a scanner report may be
 * missing or of the wrong type (old versions, hand-edited or truncated files), and a wrong type
 * must never crash the aggregation.
 */

export type JsonObject = Record<string, unknown>;

export function obj(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A positive whole number (line and column numbers, indexes) up to 2^31 − 1, else undefined. */
export function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0x7fffffff ? value : undefined;
}

/** The strings of a value that may be a string or a list of strings. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  return arr(value).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** A report was not what its input expected: names the file and what was expected. */
export class ReportError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ReportError';
    this.file = file;
  }
}
