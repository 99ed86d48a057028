import type { V1EndpointSlice } from '../api.ts';
import { workloadsWaiting, type LiveWorkload } from './workloads.ts';

export interface Readiness {
  ready: boolean;
  /** What is not ready yet, one line each (shown when a wait times out). */
  waiting: string[];
}

/**
 * A Service's EndpointSlices list exactly the ready pods of the workloads it serves: no endpoint
 * that is not ready, no pod of anything else, and as many ready ones as those workloads want.
 * `pods` are the names of the served workloads' pods (listed by their selectors).
 */
export function endpointsWaiting(
  service: string,
  served: readonly LiveWorkload[],
  pods: ReadonlySet<string>,
  slices: readonly V1EndpointSlice[],
): string | undefined {
  const expected = served.reduce((sum, w) => sum + (w.live?.spec?.replicas ?? w.ref.replicas), 0);
  if (expected < 1) return `service ${service}: selects no running pod of the colour`;
  let ready = 0;
  const other: string[] = [];
  for (const endpoint of slices.flatMap((s) => s.endpoints ?? [])) {
    const pod = endpoint.targetRef?.name ?? '';
    if (!pods.has(pod)) other.push(pod || (endpoint.addresses ?? []).join(','));
    else if (endpoint.conditions?.ready !== false) ready++;
  }
  if (other.length) return `service ${service}: endpoints still list pods of another colour or release (${other.slice(0, 3).join(', ')})`;
  if (ready !== expected) return `service ${service}: ${ready}/${expected} ready endpoints`;
  return undefined;
}

/** The colour is ready when every workload of its release is rolled out and its Service's endpoints are exactly its ready pods. */
export function readiness(workloads: readonly LiveWorkload[], endpoints: string | undefined): Readiness {
  if (!workloads.length) return { ready: false, waiting: ['the release owns no Deployment or StatefulSet'] };
  const waiting = workloadsWaiting(workloads);
  if (!waiting.length && endpoints) waiting.push(endpoints);
  return { ready: waiting.length === 0, waiting };
}
