/**
 * Errors the toolkit raises on purpose. Their messages are written for the person who runs the
 * action: they name what was wrong and what is accepted, so no stack trace is needed to act on them.
 */

/** A value given by the user (action input, CLI flag, config file) is not acceptable. Exit code 2 in the CLI. */
export class InputError extends Error {
  readonly input: string;
  constructor(input: string, message: string) {
    super(message);
    this.name = 'InputError';
    this.input = input;
  }
}

/** A gate or check decided the run must fail (severity gate, failed smoke check). Exit code 1. */
export class GateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GateError';
  }
}

/** Something outside the toolkit failed in a way the user can act on (HTTP 4xx, missing tool). Exit code 1. */
export class ExternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExternalError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
