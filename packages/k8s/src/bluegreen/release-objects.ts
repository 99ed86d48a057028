import type { V1Service, WorkloadKind } from '../api.ts';

/**
 * What a colour's Helm release owns, read from its rendered manifest (`helm get manifest` after an
 * install, `helm template` before one): its workloads and its Services. Nothing here assumes a label
 * convention; the labels are whatever the chart renders.
 */

export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet'];

export interface WorkloadRef {
  kind: WorkloadKind;
  name: string;
  /** spec.selector.matchLabels (a workload selecting by matchExpressions only has {}). */
  selector: Record<string, string>;
  /** spec.template.metadata.labels: the labels its pods carry. */
  podLabels: Record<string, string>;
  replicas: number;
  /** StatefulSet only: fields Kubernetes refuses to change after creation. */
  immutable: Record<string, unknown>;
}

export interface ReleaseObjects {
  release: string;
  workloads: WorkloadRef[];
  /** Services with a selector (headless included). */
  services: V1Service[];
}

type Doc = {
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> } };
    serviceName?: string;
    podManagementPolicy?: string;
    volumeClaimTemplates?: { metadata?: { name?: string }; spec?: unknown }[];
  };
};

const strings = (value: unknown): Record<string, string> =>
  value && typeof value === 'object'
    ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
    : {};

const SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity as a number (the API server rewrites 1024Mi as 1Gi); the text itself when it is not one. */
export function quantityBytes(value: unknown): number | string {
  const text = String(value ?? '');
  const match = /^([0-9.]+(?:[eE][-+]?[0-9]+)?)([a-zA-Z]*)$/.exec(text.trim());
  const factor = match ? SUFFIXES[match[2] ?? ''] : undefined;
  return match && factor !== undefined ? Number(match[1]) * factor : text;
}

/** Each claim template's name, access modes, size and class (what a chart changes between versions). */
export const claimTemplates = (templates: { metadata?: { name?: string }; spec?: unknown }[] | undefined) =>
  (templates ?? []).map((v) => {
    const spec = (v.spec ?? {}) as { accessModes?: string[]; resources?: { requests?: { storage?: unknown } }; storageClassName?: string };
    return {
      name: v.metadata?.name ?? '',
      accessModes: spec.accessModes ?? [],
      storage: quantityBytes(spec.resources?.requests?.storage),
      ...(spec.storageClassName !== undefined ? { storageClassName: spec.storageClassName } : {}),
    };
  });

/** Parses a rendered manifest (a multi-document YAML stream). */
export async function parseManifest(release: string, text: string): Promise<ReleaseObjects> {
  const { loadAllYaml } = await import('@kubernetes/client-node');
  const documents = (loadAllYaml(text) as (Doc | null | undefined)[]).filter((d): d is Doc => Boolean(d?.kind && d.metadata?.name));
  const workloads: WorkloadRef[] = documents
    .filter((d) => (WORKLOAD_KINDS as readonly string[]).includes(d.kind ?? ''))
    .map((d) => ({
      kind: d.kind as WorkloadKind,
      name: d.metadata?.name ?? '',
      selector: strings(d.spec?.selector?.matchLabels),
      podLabels: strings(d.spec?.template?.metadata?.labels),
      replicas: d.spec?.replicas ?? 1,
      immutable:
        d.kind === 'StatefulSet'
          ? {
              serviceName: d.spec?.serviceName ?? '',
              podManagementPolicy: d.spec?.podManagementPolicy ?? 'OrderedReady',
              volumeClaimTemplates: claimTemplates(d.spec?.volumeClaimTemplates),
            }
          : {},
    }));
  const services = documents
    .filter((d) => d.kind === 'Service')
    .map((d) => d as V1Service)
    .filter((s) => Object.keys(s.spec?.selector ?? {}).length > 0);
  return { release, workloads, services };
}

export const matchesLabels = (selector: Record<string, string>, labels: Record<string, string> | undefined): boolean =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

const isHeadless = (s: V1Service) => s.spec?.clusterIP === 'None';
const describe = (labels: Record<string, string>) => JSON.stringify(labels);

/** Services that can carry traffic to the release's pods: a selector that matches one of its workloads, at least one port, not headless. */
export function routableServices(objects: ReleaseObjects): V1Service[] {
  return objects.services.filter(
    (s) =>
      !isHeadless(s) &&
      (s.spec?.ports ?? []).length > 0 &&
      objects.workloads.some((w) => matchesLabels(s.spec?.selector ?? {}, w.podLabels)),
  );
}

/**
 * The Service the router copies (selector and ports): the only routable Service, or the one whose
 * name every other routable Service's name extends (web, web-metrics, web-redis: the chart's
 * fullname convention). Undefined when there is none or no such one.
 */
export function routedService(objects: ReleaseObjects): V1Service | undefined {
  const candidates = routableServices(objects);
  const name = (s: V1Service) => s.metadata?.name ?? '';
  return candidates.find((c) => candidates.every((o) => o === c || name(o).startsWith(`${name(c)}-`)));
}

/** The workloads whose pods a selector routes to. */
export const servedWorkloads = (objects: ReleaseObjects, selector: Record<string, string>): WorkloadRef[] =>
  objects.workloads.filter((w) => matchesLabels(selector, w.podLabels));

/**
 * Why blue-green cannot work with this chart, from the renders of both colours (empty: it can).
 * Each reason says what the chart lacks and how to fix it. Checked before anything is installed.
 */
export function chartProblems(own: ReleaseObjects, other: ReleaseObjects): string[] {
  const problems: string[] = [];
  const fix =
    'Make the pod labels and selectors include the release name, e.g. app.kubernetes.io/instance: {{ .Release.Name }} (as `helm create` does) or a name built from {{ .Release.Name }}.';
  if (!own.workloads.length) {
    return [`the chart renders no Deployment or StatefulSet for ${own.release}; blue-green switches between two sets of pods.`];
  }
  const otherNames = new Set(other.workloads.map((w) => `${w.kind}/${w.name}`));
  const shared = own.workloads.filter((w) => otherNames.has(`${w.kind}/${w.name}`)).map((w) => `${w.kind} ${w.name}`);
  if (shared.length) {
    problems.push(
      `both colour releases (${own.release}, ${other.release}) render ${shared.join(', ')} under the same name, so they would own the same object. Build names from {{ .Release.Name }} (do not set fullnameOverride).`,
    );
  }
  for (const w of own.workloads) {
    if (!Object.keys(w.selector).length) {
      problems.push(`${w.kind} ${w.name} selects its pods by matchExpressions only; the router needs matchLabels.`);
      continue;
    }
    const clash = other.workloads.find((o) => matchesLabels(w.selector, o.podLabels));
    if (clash) {
      problems.push(
        `${w.kind} ${w.name} selects ${describe(w.selector)}, which the pods of ${other.release} (${clash.kind} ${clash.name}) carry too: both colours would select the same pods. ${fix}`,
      );
    }
  }
  const routable = routableServices(own);
  const routed = routedService(own);
  if (!routable.length) {
    problems.push(
      own.services.some((s) => !isHeadless(s) && !(s.spec?.ports ?? []).length)
        ? `no Service of ${own.release} has a port; the router copies the ports of the chart's Service. Add a port to the Service.`
        : `no Service of ${own.release} (with a port, not headless) selects its pods; the router and the preview need one. Add a Service that selects the workload's pod labels.`,
    );
  } else if (!routed) {
    problems.push(
      `${own.release} has several Services that select its pods (${routable.map((s) => s.metadata?.name).join(', ')}) and none is the chart's main one (the others named <it>-<suffix>); the router can copy only one.`,
    );
  } else {
    const selector = routed.spec?.selector ?? {};
    const clash = other.workloads.find((o) => matchesLabels(selector, o.podLabels));
    if (clash) {
      problems.push(
        `Service ${routed.metadata?.name} selects ${describe(selector)}, which the pods of ${other.release} (${clash.kind} ${clash.name}) carry too: the router could not tell the colours apart. ${fix}`,
      );
    }
  }
  return problems;
}
