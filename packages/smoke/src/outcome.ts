import { errorMessage } from '@pipeline-toolkit/core';

/** What one attempt of a check produced. */
export interface Outcome {
  ok: boolean;
  message?: string;
  /** A failure worth retrying: connection refused/reset, timeout, 502/503/504, 429 with Retry-After. */
  transient?: boolean;
  /** Server-requested wait before the next attempt (429 Retry-After). */
  retryAfterMs?: number;
  latencyMs?: number;
  /** The URL requested, for the JUnit properties (redacted by the reporters). */
  url?: string;
  /** The answer of an http check that passed, for its captures; never reported. */
  answer?: { headers: Headers; body: string };
}

export const pass = (extra: Partial<Outcome> = {}): Outcome => ({ ok: true, ...extra });
export const fail = (message: string, extra: Partial<Outcome> = {}): Outcome => ({ ok: false, message, ...extra });

/** Network error codes that mean "try again later" rather than "this is wrong". */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  '57P03', // PostgreSQL: the database system is starting up
]);

/** The error code of an error or of its cause chain (fetch wraps the socket error in `cause`). */
export function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isTransientError(error: unknown): boolean {
  const code = errorCode(error);
  if (code && TRANSIENT_CODES.has(code)) return true;
  const name = (error as { name?: unknown })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** A short, secret-free description of a connection-level error. */
export function describeError(error: unknown): string {
  const code = errorCode(error);
  const name = (error as { name?: unknown })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
      return 'host not found';
    case 'EAI_AGAIN':
      return 'DNS lookup failed (temporary)';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    default: {
      const cause = (error as { cause?: { message?: string } })?.cause?.message;
      const message = errorMessage(error);
      return code ? `${message} (${code})` : cause ? `${message}: ${cause}` : message;
    }
  }
}
