import type { KubeApi, V1Service, V1ServicePort } from '../api.ts';
import { FIELD_MANAGER } from '../api.ts';
import { ANNOTATIONS, INSTANCE_LABEL, colorRelease, isColor, type Color } from './model.ts';

/** The deploy state as the router Service records it. Every phase starts from this, so any job can resume. */
export interface RouterState {
  name: string;
  service?: V1Service;
  selector: Record<string, string> | null;
  liveColor?: Color;
  liveRevision?: number;
  previousColor?: Color;
  previousRevision?: number;
  previousSelector: Record<string, string> | null;
  /** The selector the last switch or rollback wrote (null on routers written before it was recorded). */
  liveSelector: Record<string, string> | null;
  /** False between a switch and its passed post-switch gate. */
  verified: boolean;
  runId?: string;
  pending?: { color: Color; revision?: number };
  ports: V1ServicePort[];
}

const revision = (value: string | undefined): number | undefined => (value && /^\d+$/.test(value) ? Number(value) : undefined);

function parseSelector(value: string | undefined): Record<string, string> | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : null;
  } catch {
    return null;
  }
}

export function routerState(name: string, service: V1Service | undefined): RouterState {
  const a = service?.metadata?.annotations ?? {};
  const pendingColor = a[ANNOTATIONS.pendingColor];
  const selector = service?.spec?.selector;
  return {
    name,
    ...(service ? { service } : {}),
    selector: selector && Object.keys(selector).length ? selector : null,
    ...(isColor(a[ANNOTATIONS.liveColor]) ? { liveColor: a[ANNOTATIONS.liveColor] as Color } : {}),
    ...(revision(a[ANNOTATIONS.liveRevision]) !== undefined ? { liveRevision: revision(a[ANNOTATIONS.liveRevision]) } : {}),
    ...(isColor(a[ANNOTATIONS.previousColor]) ? { previousColor: a[ANNOTATIONS.previousColor] as Color } : {}),
    ...(revision(a[ANNOTATIONS.previousRevision]) !== undefined ? { previousRevision: revision(a[ANNOTATIONS.previousRevision]) } : {}),
    previousSelector: parseSelector(a[ANNOTATIONS.previousSelector]),
    liveSelector: parseSelector(a[ANNOTATIONS.liveSelector]),
    verified: a[ANNOTATIONS.verified] !== 'false',
    ...(a[ANNOTATIONS.runId] ? { runId: a[ANNOTATIONS.runId] } : {}),
    ...(isColor(pendingColor)
      ? {
          pending: {
            color: pendingColor,
            ...(revision(a[ANNOTATIONS.pendingRevision]) !== undefined ? { revision: revision(a[ANNOTATIONS.pendingRevision]) } : {}),
          },
        }
      : {}),
    ports: service?.spec?.ports ?? [],
  };
}

/** Reads the release's router Service (GET only) and its deploy state. */
export async function readRouter(api: Pick<KubeApi, 'readService'>, namespace: string, release: string): Promise<RouterState> {
  return routerState(release, await api.readService(namespace, release));
}

/** The colour the selector actually routes to, from its instance label. */
export function selectedColor(selector: Record<string, string> | null, release: string): Color | undefined {
  const instance = selector?.[INSTANCE_LABEL];
  if (instance === colorRelease(release, 'blue')) return 'blue';
  if (instance === colorRelease(release, 'green')) return 'green';
  return undefined;
}

/**
 * Reasons the router cannot be switched safely: not ours, a selector that disagrees with the
 * recorded state or could select both colours, or spec.selector owned by another field manager
 * (someone else would fight over it — e.g. Helm server-side apply, or a kubectl edit).
 */
export function routerProblems(state: RouterState, release: string): string[] {
  const service = state.service;
  if (!service) return [];
  const problems: string[] = [];
  if (service.metadata?.annotations?.[ANNOTATIONS.managedBy] !== FIELD_MANAGER) {
    problems.push(
      `Service '${state.name}' exists but is not a router managed by pipeline-toolkit (annotation ${ANNOTATIONS.managedBy} missing); rename the release or remove that Service.`,
    );
    return problems;
  }
  if (state.selector && state.liveSelector) {
    if (JSON.stringify(sortedLabels(state.selector)) !== JSON.stringify(sortedLabels(state.liveSelector)))
      problems.push(
        `the router selects ${JSON.stringify(state.selector)} but pipeline-toolkit last set ${JSON.stringify(state.liveSelector)} (${state.liveColor ?? 'no colour'}): it was changed outside pipeline-toolkit.`,
      );
  } else if (state.selector) {
    // A router written before the selector was recorded: it selected by Helm's instance label.
    const selected = selectedColor(state.selector, release);
    if (!selected) {
      problems.push(
        `the router selector ${JSON.stringify(state.selector)} does not name one colour by ${INSTANCE_LABEL}, so it could select the pods of both colours.`,
      );
    } else if (selected !== state.liveColor) {
      problems.push(
        `the router selects ${selected} but its recorded live colour is ${state.liveColor ?? 'none'}: it was changed outside pipeline-toolkit.`,
      );
    }
  }
  for (const entry of service.metadata?.managedFields ?? []) {
    const spec = (entry.fieldsV1 as Record<string, Record<string, unknown>> | undefined)?.['f:spec'];
    if (entry.manager !== FIELD_MANAGER && spec && 'f:selector' in spec) {
      problems.push(
        `spec.selector of Service '${state.name}' is also owned by field manager '${entry.manager}' (${entry.operation ?? 'unknown'}).`,
      );
    }
  }
  return problems;
}

const sortedLabels = (labels: Record<string, string>) => Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));

/**
 * A JSON merge patch that turns `from` into exactly `to`: merge patch merges maps, so labels that
 * must disappear are sent as null, and a null `to` removes the selector (route to nothing).
 */
export function selectorPatch(
  from: Record<string, string> | null,
  to: Record<string, string> | null,
): Record<string, string | null> | null {
  if (to === null) return null;
  const patch: Record<string, string | null> = { ...to };
  for (const key of Object.keys(from ?? {})) if (!(key in to)) patch[key] = null;
  return patch;
}

/**
 * The router Service a first deploy creates: named after the release, labelled as managed by the
 * toolkit, with the colour Service's ports. Without a selector it routes to nothing.
 */
export function newRouterService(
  namespace: string,
  release: string,
  colorService: V1Service,
  annotations: Record<string, string>,
  selector?: Record<string, string>,
): V1Service {
  return {
    metadata: { name: release, namespace, labels: { 'app.kubernetes.io/managed-by': FIELD_MANAGER }, annotations },
    spec: {
      type: 'ClusterIP',
      ...(selector ? { selector } : {}),
      ports: (colorService.spec?.ports ?? []).map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.targetPort ?? p.port,
        protocol: p.protocol ?? 'TCP',
      })),
    },
  };
}
