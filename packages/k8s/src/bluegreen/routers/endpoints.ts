import type { KubeApi } from '../../api.ts';
import { endpointsWaiting } from '../readiness.ts';
import { servedWorkloads, type ReleaseObjects } from '../release-objects.ts';
import { readWorkloads, selectorString } from '../workloads.ts';

/**
 * What a Service's EndpointSlices still wait for before they list exactly the ready pods of the
 * colour's workloads it selects (undefined: they do). The Service router asks it of the router
 * Service; the Ingress and HTTPRoute routers of the colour's own Service they route to.
 */
export async function serviceEndpointsWaiting(
  api: KubeApi,
  namespace: string,
  service: string,
  objects: ReleaseObjects,
): Promise<string | undefined> {
  const live = await api.readService(namespace, service);
  if (!live) return `the Service ${service} is gone`;
  const workloads = await readWorkloads(api, namespace, servedWorkloads(objects, live.spec?.selector ?? {}));
  const pods = new Set<string>();
  for (const w of workloads) {
    if (!Object.keys(w.ref.selector).length) continue;
    for (const pod of await api.listPods(namespace, selectorString(w.ref.selector))) pods.add(pod.metadata?.name ?? '');
  }
  return endpointsWaiting(service, workloads, pods, await api.listEndpointSlices(namespace, service));
}
