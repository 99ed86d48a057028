import type { KubeApi, V1Deployment, V1EndpointSlice, V1Service } from '../api.ts';
import { instanceSelector, type Color } from './model.ts';

export interface Readiness {
  ready: boolean;
  /** What is not ready yet, one line each (shown when a wait times out). */
  waiting: string[];
}

export const desiredReplicas = (d: V1Deployment): number => d.spec?.replicas ?? 1;

/**
 * A Deployment is fully rolled out when the controller has seen its latest spec and every desired
 * replica is updated, ready and available, with no old replica left (as `kubectl rollout status`,
 * plus the last condition, which rollout status does not check).
 */
export function deploymentWaiting(d: V1Deployment): string | undefined {
  const name = d.metadata?.name ?? '?';
  const desired = desiredReplicas(d);
  const s = d.status ?? {};
  if ((s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0))
    return `deployment ${name}: controller has not observed generation ${d.metadata?.generation}`;
  const failed = s.conditions?.find((c) => c.type === 'Progressing' && c.status === 'False');
  const counts = `${s.readyReplicas ?? 0}/${desired} ready, ${s.updatedReplicas ?? 0} updated, ${s.availableReplicas ?? 0} available, ${s.replicas ?? 0} total`;
  if (desired < 1) return `deployment ${name}: scaled to 0`;
  if (
    (s.updatedReplicas ?? 0) !== desired ||
    (s.readyReplicas ?? 0) !== desired ||
    (s.availableReplicas ?? 0) !== desired ||
    (s.replicas ?? 0) !== desired
  ) {
    return `deployment ${name}: ${counts}${failed ? ` (${failed.reason}: ${failed.message})` : ''}`;
  }
  return undefined;
}

/** What each Deployment still waits for, one line per Deployment not yet rolled out (a new array). */
export function deploymentsWaiting(deployments: V1Deployment[]): string[] {
  return deployments.map(deploymentWaiting).filter((w): w is string => Boolean(w));
}

const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined): boolean =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/**
 * The Service's EndpointSlices list exactly the ready pods of the given Deployments: no endpoint
 * that is not ready, none from another Deployment, and as many ready ones as the Deployments want.
 */
export function endpointsWaiting(service: V1Service, deployments: V1Deployment[], slices: V1EndpointSlice[]): string | undefined {
  const name = service.metadata?.name ?? '?';
  const selector = service.spec?.selector ?? {};
  const selected = deployments.filter((d) => matches(selector, d.spec?.template?.metadata?.labels));
  const expected = selected.reduce((sum, d) => sum + desiredReplicas(d), 0);
  if (expected < 1) return `service ${name}: selects no pod of the colour`;
  const prefixes = selected.map((d) => `${d.metadata?.name}-`);
  let ready = 0;
  const other: string[] = [];
  for (const endpoint of slices.flatMap((s) => s.endpoints ?? [])) {
    const pod = endpoint.targetRef?.name ?? '';
    if (!prefixes.some((p) => pod.startsWith(p))) other.push(pod || (endpoint.addresses ?? []).join(','));
    else if (endpoint.conditions?.ready !== false) ready++;
  }
  if (other.length) return `service ${name}: endpoints still list pods of another colour or release (${other.slice(0, 3).join(', ')})`;
  if (ready !== expected) return `service ${name}: ${ready}/${expected} ready endpoints`;
  return undefined;
}

export function readiness(deployments: V1Deployment[], service: V1Service | undefined, slices: V1EndpointSlice[]): Readiness {
  if (!deployments.length) return { ready: false, waiting: ['no Deployment carries the colour release label yet'] };
  const waiting = deploymentsWaiting(deployments);
  if (!waiting.length && service) {
    const endpoints = endpointsWaiting(service, deployments, slices);
    if (endpoints) waiting.push(endpoints);
  }
  if (!service) waiting.push('no Service of the colour release');
  return { ready: waiting.length === 0, waiting };
}

/**
 * Why routing back to a colour would not restore service right now (empty: it can serve at once).
 * Checked before every rollback write: traffic is never sent to a colour that is gone or scaled down.
 */
export async function servingProblems(api: KubeApi, namespace: string, release: string, color: Color): Promise<string[]> {
  const deployments = await api.listDeployments(namespace, instanceSelector(release, color));
  if (!deployments.length) return [`${color} has no Deployment (deleted or uninstalled)`];
  return deploymentsWaiting(deployments);
}
