import { ExternalError, formatDuration } from '@pipeline-toolkit/core';
import type { V1Deployment, V1Service } from '../api.ts';
import { colorRelease, type Color } from './model.ts';
import { endpointsWaiting, readiness } from './readiness.ts';
import { checkCancelled, colorDeployments, colorService, type Run } from './run.ts';

export interface ReadyColor {
  deployments: V1Deployment[];
  /** The colour's own Service (the preview). */
  service: V1Service;
}

async function poll<T>(run: Run, what: string, check: () => Promise<{ value?: T; waiting: string[] }>): Promise<T> {
  const { clock } = run.deps;
  const deadline = clock.now() + run.spec.timeoutMs;
  for (;;) {
    checkCancelled(run);
    const { value, waiting } = await check();
    if (value !== undefined) return value;
    if (clock.now() >= deadline) {
      throw new ExternalError(`${what} within ${formatDuration(run.spec.timeoutMs)}: ${waiting.join('; ')}`);
    }
    await clock.sleep(run.deps.pollMs ?? 1000, run.deps.signal);
  }
}

/**
 * Waits until the colour is fully rolled out (every Deployment updated = ready = available = desired,
 * no old pod) and its Service's EndpointSlices list exactly its ready pods.
 */
export function waitReady(run: Run, color: Color): Promise<ReadyColor> {
  const { api } = run.deps;
  return poll(run, `${colorRelease(run.spec.release, color)} did not become ready`, async () => {
    const deployments = await colorDeployments(run, color);
    const service = await colorService(run, color);
    const slices = service ? await api.listEndpointSlices(run.spec.namespace, service.metadata?.name ?? '') : [];
    const state = readiness(deployments, service, slices);
    return state.ready && service ? { value: { deployments, service }, waiting: [] } : { waiting: state.waiting };
  });
}

/** After a switch: waits until the router's EndpointSlices list only the new colour's ready pods. */
export function waitRouterEndpoints(run: Run, color: Color): Promise<true> {
  const { api } = run.deps;
  return poll(run, `the router '${run.spec.release}' did not route only to ${color}`, async () => {
    const router = await api.readService(run.spec.namespace, run.spec.release);
    if (!router) return { waiting: ['the router Service is gone'] };
    const waiting = endpointsWaiting(
      router,
      await colorDeployments(run, color),
      await api.listEndpointSlices(run.spec.namespace, run.spec.release),
    );
    return waiting ? { waiting: [waiting] } : { value: true, waiting: [] };
  });
}
