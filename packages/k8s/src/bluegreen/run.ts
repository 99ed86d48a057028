import { errorMessage, ExternalError } from '@pipeline-toolkit/core';
import type { V1Deployment, V1Service } from '../api.ts';
import {
  CancelledError,
  colorRelease,
  instanceSelector,
  type Color,
  type KeepPrevious,
  type DeploySpec,
  type EngineDeps,
  type Journal,
  type Outcome,
} from './model.ts';

/** One deploy run: its inputs, its collaborators, the journal for the post step and the outcome being built. */
export interface Run {
  spec: DeploySpec;
  deps: EngineDeps;
  journal: Journal;
  outcome: Outcome;
}

/**
 * Runs one phase, recording its duration and outcome for the summary timeline. Cancellation is
 * checked by the waits and before each forward step, not here: clean-up phases must still run.
 */
export async function phase<T>(run: Run, name: string, body: () => Promise<T>, detail?: (value: T) => string | undefined): Promise<T> {
  const startedAt = run.deps.clock.now();
  run.deps.log.info(`▸ ${name}`);
  try {
    const value = await body();
    const text = detail?.(value);
    run.outcome.phases.push({ name, startedAt, endedAt: run.deps.clock.now(), outcome: 'ok', ...(text ? { detail: text } : {}) });
    return value;
  } catch (error) {
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

export function colorDeployments(run: Run, color: Color): Promise<V1Deployment[]> {
  return run.deps.api.listDeployments(run.spec.namespace, instanceSelector(run.spec.release, color));
}

/** The colour release's own Service: the preview, and the model for the router's selector and ports. */
export async function colorService(run: Run, color: Color): Promise<V1Service | undefined> {
  const services = await run.deps.api.listServices(run.spec.namespace, instanceSelector(run.spec.release, color));
  const withSelector = services.filter((s) => s.spec?.selector && Object.keys(s.spec.selector).length);
  if (withSelector.length > 1) {
    const names = withSelector.map((s) => s.metadata?.name).join(', ');
    throw new ExternalError(
      `Release ${colorRelease(run.spec.release, color)} has ${withSelector.length} Services with a selector (${names}); the router needs exactly one to copy.`,
    );
  }
  return withSelector[0];
}

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

/** The port the gates reach a Service on: its first. */
export const servicePort = (service: V1Service): number => service.spec?.ports?.[0]?.port ?? 80;
