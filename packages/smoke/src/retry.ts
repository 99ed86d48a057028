/**
 * Retry timing: exponential backoff with jitter, and Retry-After honoured (capped).
 */

/** The longest wait the toolkit accepts from a Retry-After header. */
export const MAX_RETRY_AFTER_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Delay before attempt `attempt + 1`: base · 2^(attempt-1), with "equal jitter" (half fixed, half
 * random) so that many checks failing together do not retry in lock-step.
 */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** Retry-After as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
