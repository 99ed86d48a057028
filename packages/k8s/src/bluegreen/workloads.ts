import type { KubeApi, V1StatefulSet, Workload } from '../api.ts';
import type { Helm } from '../helm.ts';
import { colorRelease, type Color } from './model.ts';
import { parseManifest, type ReleaseObjects, type WorkloadRef } from './release-objects.ts';

/** Where a colour's objects are found: the API and Helm's record of the release. */
export interface Finder {
  api: KubeApi;
  helm: Pick<Helm, 'manifest'>;
  namespace: string;
  release: string;
}

/** What the colour's release owns now (its latest revision's manifest); undefined when the release does not exist. */
export async function colorObjects(finder: Finder, color: Color): Promise<ReleaseObjects | undefined> {
  const release = colorRelease(finder.release, color);
  const manifest = await finder.helm.manifest(release, finder.namespace);
  return manifest === undefined ? undefined : parseManifest(release, manifest);
}

export interface LiveWorkload {
  ref: WorkloadRef;
  /** The object in the cluster; undefined when the manifest names it but it is gone. */
  live?: Workload;
}

export async function readWorkloads(api: KubeApi, namespace: string, refs: readonly WorkloadRef[]): Promise<LiveWorkload[]> {
  return Promise.all(
    refs.map(async (ref) => {
      const live = await api.readWorkload(namespace, ref.kind, ref.name);
      return live ? { ref, live } : { ref };
    }),
  );
}

export const desiredReplicas = (w: Workload): number => w.spec?.replicas ?? 1;
export const label = (w: LiveWorkload): string => `${w.ref.kind.toLowerCase()} ${w.ref.name}`;

/**
 * What a workload still waits for (undefined: fully rolled out). A Deployment as `kubectl rollout
 * status` plus a failed Progressing condition; a StatefulSet: every replica updated to the current
 * revision, ready and available.
 */
export function workloadWaiting(w: LiveWorkload): string | undefined {
  const name = label(w);
  const d = w.live;
  if (!d) return `${name}: missing (the release names it, the cluster has none)`;
  const desired = desiredReplicas(d);
  const s = d.status ?? {};
  if ((s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0))
    return `${name}: controller has not observed generation ${d.metadata?.generation}`;
  if (desired < 1) return `${name}: scaled to 0`;
  const counts = `${s.readyReplicas ?? 0}/${desired} ready, ${s.updatedReplicas ?? 0} updated, ${s.availableReplicas ?? 0} available, ${s.replicas ?? 0} total`;
  const failed = (s.conditions ?? []).find((c) => c.type === 'Progressing' && c.status === 'False');
  const revisionLag =
    w.ref.kind === 'StatefulSet' && (s as V1StatefulSet['status'])?.updateRevision !== (s as V1StatefulSet['status'])?.currentRevision;
  if (
    (s.updatedReplicas ?? 0) !== desired ||
    (s.readyReplicas ?? 0) !== desired ||
    (s.availableReplicas ?? 0) !== desired ||
    (s.replicas ?? 0) !== desired ||
    revisionLag
  ) {
    return `${name}: ${counts}${revisionLag ? ', update in progress' : ''}${failed ? ` (${failed.reason}: ${failed.message})` : ''}`;
  }
  return undefined;
}

export const workloadsWaiting = (workloads: readonly LiveWorkload[]): string[] =>
  workloads.map(workloadWaiting).filter((w): w is string => Boolean(w));

/** A label selector string for the API (k=v,k=v). */
export const selectorString = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/**
 * Why routing to a colour would not restore service right now (empty: it can serve at once).
 * Checked before every rollback write: traffic never goes to a colour that is gone or scaled down.
 */
export async function servingProblems(finder: Finder, color: Color): Promise<string[]> {
  const objects = await colorObjects(finder, color);
  if (!objects) return [`${color}'s release ${colorRelease(finder.release, color)} is gone (uninstalled)`];
  if (!objects.workloads.length) return [`${color}'s release renders no workload`];
  return workloadsWaiting(await readWorkloads(finder.api, finder.namespace, objects.workloads));
}
