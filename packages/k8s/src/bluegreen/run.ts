import { errorMessage, GateError } from '@pipeline-toolkit/core';
import {
  CancelledError,
  DeployFailure,
  type KeepPrevious,
  type DeploySpec,
  type EngineDeps,
  type Journal,
  type Outcome,
  type PhaseFailure,
} from './model.ts';
import type { Router } from './routers/router.ts';
import type { Finder } from './workloads.ts';

/** One deploy run: its inputs, its collaborators, its router, the journal for the post step and the outcome being built. */
export interface Run {
  spec: DeploySpec;
  deps: EngineDeps;
  router: Router;
  journal: Journal;
  outcome: Outcome;
}

/** The phase each error was first seen in (the innermost phase that failed). */
const failedIn = new WeakMap<object, string>();

/** The typed record of what stopped a run: its kind from the error's class, its phase from where phase() saw it. */
export function failureOf(error: unknown, fallbackPhase: string): PhaseFailure {
  const message = errorMessage(error);
  const phase =
    (error instanceof DeployFailure ? error.phase : undefined) ??
    (typeof error === 'object' && error !== null ? failedIn.get(error) : undefined) ??
    fallbackPhase;
  const kind =
    error instanceof CancelledError
      ? 'cancelled'
      : error instanceof DeployFailure
        ? error.kind
        : error instanceof GateError
          ? 'refused'
          : 'error';
  return { kind, phase, message };
}

/**
 * Runs one phase, recording its duration and outcome for the summary timeline. Cancellation is
 * checked by the waits and before each forward step, not here: clean-up phases must still run.
 * The detail shown is `detail(value)`, or the value itself when the phase returns a note (a string).
 */
export async function phase<T>(
  run: Run,
  name: string,
  body: () => Promise<T>,
  detail: (value: T) => string | undefined = (value) => (typeof value === 'string' ? value : undefined),
  /** A phase that returns a verdict rather than throwing (a gate): whether that verdict is a failure. */
  failed?: (value: T) => boolean,
): Promise<T> {
  const startedAt = run.deps.clock.now();
  run.deps.log.info(`▸ ${name}`);
  try {
    const value = await body();
    const text = detail(value);
    run.outcome.phases.push({
      name,
      startedAt,
      endedAt: run.deps.clock.now(),
      outcome: failed?.(value) ? 'failed' : 'ok',
      ...(text ? { detail: text } : {}),
    });
    return value;
  } catch (error) {
    if (error && typeof error === 'object' && !failedIn.has(error)) failedIn.set(error, name);
    run.outcome.phases.push({ name, startedAt, endedAt: run.deps.clock.now(), outcome: 'failed', detail: errorMessage(error) });
    throw error;
  }
}

export function skipped(run: Run, name: string, detail: string): void {
  const now = run.deps.clock.now();
  run.outcome.phases.push({ name, startedAt: now, endedAt: now, outcome: 'skipped', detail });
}

export function checkCancelled(run: Run): void {
  if (run.deps.signal.aborted) throw new CancelledError();
}

export async function saveJournal(run: Run, change: Partial<Journal>): Promise<void> {
  Object.assign(run.journal, change);
  await run.deps.saveJournal({ ...run.journal });
}

/** How this run finds a colour's objects: Helm's record of the colour release, then the API by name. */
export const finder = (run: Run): Finder => ({
  api: run.deps.api,
  helm: run.deps.helm,
  namespace: run.spec.namespace,
  release: run.spec.release,
});

/** Settles with the promise, or rejects with CancelledError as soon as the run is cancelled (a gate may not watch the signal). */
export function untilCancelled<T>(run: Run, promise: Promise<T>): Promise<T> {
  const { signal } = run.deps;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new CancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal.removeEventListener('abort', onAbort);
    promise.then(
      (value) => (settle(), resolve(value)),
      (error: unknown) => (settle(), reject(error)),
    );
  });
}

/** The switch is settled (verified, undone, or deliberately kept): the post step must not touch it. */
export function forgetSwitch(run: Run): void {
  const { switchInFlight: _settled, ...journal } = run.journal;
  run.journal = journal;
}

/** How a colour that failed (or was discarded) is taken out: uninstalled if asked, otherwise scaled to 0. */
export const cleanupMode = (run: Run): KeepPrevious => (run.spec.keepPrevious === 'uninstall' ? 'uninstall' : 'scaled-down');

export { servicePort } from './routers/router.ts';
