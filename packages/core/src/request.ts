import { formatDuration } from './duration.ts';
import { ExternalError, InputError } from './errors.ts';
import type { Inputs } from './inputs.ts';

/**
 * The one policy for every outbound request the toolkit makes (GitHub, Slack, Kubernetes, AWS,
 * code scanning upload): each attempt has a timeout that covers the whole exchange, from sending
 * the request to the last byte of the answer, and the operation has an overall deadline that
 * covers its retries and waits. Cancelling the step aborts whatever is in flight.
 */
export interface RequestPolicy {
  /** One attempt, request sent to last byte received (input `request-timeout`). */
  attemptTimeoutMs: number;
  /** The whole operation, retries and back-off included (input `request-deadline`). */
  deadlineMs: number;
  /** The step's cancellation (SIGINT/SIGTERM); aborts requests in flight. */
  signal?: AbortSignal;
}

export const DEFAULT_REQUEST_TIMEOUT = '30s';
export const DEFAULT_REQUEST_DEADLINE = '5m';
export const DEFAULT_REQUEST_POLICY: RequestPolicy = { attemptTimeoutMs: 30_000, deadlineMs: 300_000 };

/** Reads `request-timeout` and `request-deadline` (durations; 30s and 5m by default); `names` renames them. */
export function requestPolicy(
  inputs: Inputs,
  signal?: AbortSignal,
  names: { timeout: string; deadline: string } = { timeout: 'request-timeout', deadline: 'request-deadline' },
): RequestPolicy {
  const attemptTimeoutMs = inputs.duration(names.timeout, { default: DEFAULT_REQUEST_TIMEOUT, min: '100ms', max: '1h' }) as number;
  const deadlineMs = inputs.duration(names.deadline, { default: DEFAULT_REQUEST_DEADLINE, min: '1s', max: '6h' }) as number;
  if (attemptTimeoutMs < 1) throw new InputError(names.timeout, `${inputs.label(names.timeout)} must be more than 0.`);
  if (deadlineMs < 1) throw new InputError(names.deadline, `${inputs.label(names.deadline)} must be more than 0.`);
  return { attemptTimeoutMs, deadlineMs, ...(signal ? { signal } : {}) };
}

/** A cancellation signal for the step: aborted on SIGINT or SIGTERM (the runner sends them on cancel). */
export function stepCancellation(): AbortSignal {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const)
    process.once(name, () => controller.abort(new CancelledError('The step was cancelled.')));
  return controller.signal;
}

/** The endpoint as messages name it: host and path; never the userinfo, query or fragment (they may hold secrets). */
export function endpointOf(url: string | URL): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}

/** A request got no (complete) answer in time. Names the endpoint, what it waited for and how long. */
export class RequestTimeoutError extends ExternalError {
  readonly endpoint: string;
  readonly waitedMs: number;
  constructor(endpoint: string, waitedFor: string, waitedMs: number, limit: 'request-timeout' | 'request-deadline') {
    super(`No answer from ${endpoint}: waited ${formatDuration(waitedMs)} for ${waitedFor} (${limit}: ${formatDuration(waitedMs)}).`);
    this.name = 'RequestTimeoutError';
    this.endpoint = endpoint;
    this.waitedMs = waitedMs;
  }
}

/** The step was cancelled while waiting. */
export class CancelledError extends ExternalError {
  constructor(message = 'The step was cancelled.') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** The RequestTimeoutError or CancelledError somewhere in an error's cause chain (SDKs wrap the errors of their fetch). */
export function requestFailure(error: unknown): RequestTimeoutError | CancelledError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof RequestTimeoutError || e instanceof CancelledError) return e;
  }
  return undefined;
}

/** Answers larger than this are refused: every API the toolkit calls answers in kilobytes. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface Deadline {
  /** Aborted when the overall deadline passes or the step is cancelled. */
  readonly signal: AbortSignal;
  /** Milliseconds left before the deadline. */
  remaining(): number;
  /** The error to throw when the signal aborted (deadline or cancellation), naming `endpoint` and what was awaited. */
  failure(endpoint: string, waitedFor: string): Error;
}

/** Starts the overall clock of one operation under `policy`. */
export function startDeadline(policy: RequestPolicy, now: () => number = Date.now): Deadline {
  const end = now() + policy.deadlineMs;
  const timer = AbortSignal.timeout(policy.deadlineMs);
  const signal = policy.signal ? AbortSignal.any([timer, policy.signal]) : timer;
  return {
    signal,
    remaining: () => Math.max(0, end - now()),
    failure: (endpoint, waitedFor) =>
      policy.signal?.aborted
        ? new CancelledError(`The step was cancelled while waiting for ${waitedFor} from ${endpoint}.`)
        : new RequestTimeoutError(endpoint, waitedFor, policy.deadlineMs, 'request-deadline'),
  };
}

/**
 * A fetch that applies `policy`: each call is one attempt, bounded by the attempt timeout, the
 * operation's deadline (started when this fetch is made) and cancellation. The answer is read
 * whole inside the attempt, so a server that trickles its body is cut off like one that never
 * answers. Failures are RequestTimeoutError or CancelledError naming host and path.
 * `describe` names the endpoint where the URL itself is a secret (a Slack webhook).
 */
export function guardedFetch(
  policy: RequestPolicy,
  options: { fetch?: typeof fetch; describe?: (url: URL) => string; deadline?: Deadline } = {},
): typeof fetch {
  const base = options.fetch ?? fetch;
  const deadline = options.deadline ?? startDeadline(policy);
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const endpoint = options.describe ? options.describe(url) : endpointOf(url);
    if (deadline.signal.aborted) throw deadline.failure(endpoint, 'a chance to send the request');
    const attemptMs = Math.min(policy.attemptTimeoutMs, Math.max(1, deadline.remaining()));
    const attempt = AbortSignal.timeout(attemptMs);
    const signals = [attempt, deadline.signal, ...(init?.signal ? [init.signal] : [])];
    const signal = AbortSignal.any(signals);
    let waitedFor = 'the answer (status and headers)';
    const fail = (error: unknown): Error => {
      if (deadline.signal.aborted) return deadline.failure(endpoint, waitedFor);
      if (attempt.aborted) {
        return attemptMs < policy.attemptTimeoutMs
          ? new RequestTimeoutError(endpoint, waitedFor, policy.deadlineMs, 'request-deadline')
          : new RequestTimeoutError(endpoint, waitedFor, attemptMs, 'request-timeout');
      }
      // As it is: errors from Node's own fetch may come from another realm (instanceof Error fails there).
      return error as Error;
    };
    let response: Response;
    try {
      response = await base(input, { ...init, signal });
    } catch (error) {
      throw fail(error);
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    try {
      if (response.body) {
        const reader = response.body.getReader();
        waitedFor = 'the body of the answer (0 bytes received)';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          received += value.byteLength;
          waitedFor = `the rest of the answer (${received} bytes received)`;
          if (received > MAX_ANSWER_BYTES) {
            await reader.cancel();
            throw new ExternalError(`The answer from ${endpoint} is larger than ${MAX_ANSWER_BYTES / 1048576} MB; refused.`);
          }
          chunks.push(value);
        }
      }
    } catch (error) {
      if (error instanceof ExternalError) throw error;
      throw fail(error);
    }
    const nullBody = [101, 103, 204, 205, 304].includes(response.status);
    const whole = new Response(nullBody ? null : Buffer.concat(chunks), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    Object.defineProperty(whole, 'url', { value: response.url });
    return whole;
  };
}

/**
 * Runs a call that cannot take a fetch (an SDK with its own HTTP stack) under the policy: it gets a
 * signal to pass on, and settles with a RequestTimeoutError naming `endpoint` when the attempt
 * timeout or the deadline passes first, even if the SDK ignores the signal.
 */
export async function withinPolicy<T>(
  policy: RequestPolicy,
  endpoint: string | (() => string),
  waitedFor: string,
  call: (signal: AbortSignal) => Promise<T>,
  deadline: Deadline = startDeadline(policy),
): Promise<T> {
  const where = (): string => (typeof endpoint === 'string' ? endpoint : endpoint());
  if (deadline.signal.aborted) throw deadline.failure(where(), waitedFor);
  const attemptMs = Math.min(policy.attemptTimeoutMs, Math.max(1, deadline.remaining()));
  const attempt = AbortSignal.timeout(attemptMs);
  const signal = AbortSignal.any([attempt, deadline.signal]);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () =>
      reject(
        deadline.signal.aborted
          ? deadline.failure(where(), waitedFor)
          : new RequestTimeoutError(
              where(),
              waitedFor,
              attemptMs,
              attemptMs < policy.attemptTimeoutMs ? 'request-deadline' : 'request-timeout',
            ),
      );
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([call(signal), aborted]);
  } catch (error) {
    if (signal.aborted) {
      // The SDK's own abort error: say what timed out instead.
      await aborted.catch((mine: unknown) => {
        throw mine;
      });
    }
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
