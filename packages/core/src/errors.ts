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

/**
 * An error's message followed by what caused it, up to three causes deep: Node's fetch fails with
 * `fetch failed` alone and says why only in its cause (`redirect count exceeded`, `connect
 * ECONNREFUSED 127.0.0.1:443`). A cause already in the message is not repeated. Read by shape, not
 * by class: fetch's errors may come from another realm.
 */
export function errorMessageWithCause(error: unknown): string {
  const own = (error as { message?: unknown } | null)?.message;
  let message = typeof own === 'string' ? own : errorMessage(error);
  let cause = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 3; depth++) {
    const { message: text, code } = cause as { message?: unknown; code?: unknown };
    const why = typeof text === 'string' && text ? text : typeof code === 'string' ? code : typeof cause === 'string' ? cause : '';
    if (why && !message.includes(why)) message += ` (${why})`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return message;
}
