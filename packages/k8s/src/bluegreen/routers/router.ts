import { FIELD_MANAGER, type V1Service } from '../../api.ts';
import { ANNOTATIONS, isColor, type Color } from '../model.ts';
import type { ReadyColor } from '../wait-ready.ts';

/** The kinds of router a deploy can drive; each is one module in this folder. */
export const ROUTER_KINDS = ['service', 'ingress', 'gateway'] as const;
export type RouterKind = (typeof ROUTER_KINDS)[number];

/** Which router a deploy drives and the names it needs (validated inputs). Stored in the journal, so the post step drives the same one. */
export interface RouterConfig {
  kind: RouterKind;
  /** The object written: Service `<release>`, Ingress `ingress-name`, HTTPRoute `route-name`. */
  name: string;
  /** ingress: the live host (required); gateway: the HTTPRoute's hostname (optional). */
  host?: string;
  /** ingress: spec.ingressClassName of an Ingress the deploy creates. */
  ingressClass?: string;
  /** gateway: the parent Gateway of an HTTPRoute the deploy creates. */
  gateway?: { name: string; namespace?: string };
  /** ingress/gateway: a host routed to the colour being deployed (pre-switch checks, manual tries). */
  previewHost?: string;
}

/**
 * What a router routes to, as recorded in its annotations: the Service router's selector; the
 * Ingress and HTTPRoute routers' backend `{ service, port }` (the colour's own Service).
 */
export type Route = Record<string, string>;

/** The object a router writes, as read: enough for the state, the precondition and the checks. */
export interface RouterObject {
  kind?: string;
  apiVersion?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    managedFields?: { manager?: string; operation?: string; fieldsV1?: object }[];
  };
  spec?: object;
}

/** The deploy state as a router records it in its object's annotations. Every phase starts from this, so any job can resume. */
export interface RouterState {
  kind: RouterKind;
  name: string;
  /** The object as read; undefined before the first deploy created it. */
  object?: RouterObject;
  /** What the object routes to now (null: nothing). */
  route: Route | null;
  /** What the last switch or rollback wrote (null on routers written before it was recorded). */
  liveRoute: Route | null;
  /** What to restore on rollback: exactly what the router routed to before the switch. */
  previousRoute: Route | null;
  liveColor?: Color;
  liveRevision?: number;
  previousColor?: Color;
  previousRevision?: number;
  /** False between a switch and its passed post-switch gate. */
  verified: boolean;
  runId?: string;
  pending?: { color: Color; revision?: number };
}

/** One write of a router, exactly as it is sent (and as a dry run shows it). */
export interface RouterWrite {
  verb: 'create' | 'patch';
  /** The object written: `Service shop/web`, `Ingress shop/web`, `HTTPRoute shop/web-preview`. */
  object: string;
  /** The object's name (create: the body's). */
  name: string;
  /** What the write does, in words (`switch to green`). */
  purpose: string;
  /** The full object (create) or a JSON merge patch with a resourceVersion precondition (patch). */
  body: object;
}

/**
 * A router: the one object (or two, with a preview) that decides which colour takes traffic. The
 * engine reads its state, asks it for writes and sends them through it; it never knows which kind
 * it drives. A switch and a rollback are each ONE write, conditional on the resourceVersion read.
 */
export interface Router {
  readonly kind: RouterKind;
  /** `Service web`, `Ingress web`, `HTTPRoute web`: for messages. */
  readonly label: string;
  readonly config: RouterConfig;
  read(): Promise<RouterState>;
  /** Why the router cannot be switched safely (empty: it can). */
  problems(state: RouterState): string[];
  /** The route that sends traffic to a colour, from the colour's routed Service. */
  routeTo(service: V1Service): Route;
  switchWrite(state: RouterState, to: Color, service: V1Service, revision: number, run: RunIdentity, at: Date): RouterWrite;
  restoreWrite(state: RouterState, reason: string, at: Date): RouterWrite;
  pendingWrite(state: RouterState, target: Color, revision: number, service: V1Service): RouterWrite;
  discardPendingWrite(state: RouterState): RouterWrite;
  verifiedWrite(state: RouterState): RouterWrite;
  /** The writes that route `preview-host` to a colour (none without a preview host). */
  previewWrites(state: RouterState, color: Color, service: V1Service): Promise<RouterWrite[]>;
  /** The preview address (`http://<preview-host>/`), when there is a preview host. */
  readonly previewAddress?: string;
  /** Sends one write; returns the router's state after it. */
  send(write: RouterWrite): Promise<RouterState>;
  /** After a switch: what the router still waits for before it routes only to the ready colour (undefined: it does). */
  waiting(ready: ReadyColor): Promise<string | undefined>;
  /** The Service production traffic reaches through the API server when no production-url is given. */
  productionService(ready: ReadyColor): { name: string; port: number };
}

export interface RunIdentity {
  runId: string;
  runUrl?: string;
}

const revision = (value: string | undefined): number | undefined => (value && /^\d+$/.test(value) ? Number(value) : undefined);

export function parseRoute(value: string | undefined): Route | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Route) : null;
  } catch {
    return null;
  }
}

/** Where a kind records its routes: the Service router keeps the selector keys it always had. */
export interface RouteKeys {
  live: string;
  previous: string;
}

/** The state every kind records the same way, from its object's annotations; `route` is what the kind reads from its spec. */
export function stateFromObject(
  kind: RouterKind,
  name: string,
  object: RouterObject | undefined,
  route: Route | null,
  keys: RouteKeys,
): RouterState {
  const a = object?.metadata?.annotations ?? {};
  const pendingColor = a[ANNOTATIONS.pendingColor];
  const value = (key: string) => revision(a[key]);
  return {
    kind,
    name,
    ...(object ? { object } : {}),
    route,
    liveRoute: parseRoute(a[keys.live]),
    previousRoute: parseRoute(a[keys.previous]),
    ...(isColor(a[ANNOTATIONS.liveColor]) ? { liveColor: a[ANNOTATIONS.liveColor] as Color } : {}),
    ...(value(ANNOTATIONS.liveRevision) !== undefined ? { liveRevision: value(ANNOTATIONS.liveRevision) } : {}),
    ...(isColor(a[ANNOTATIONS.previousColor]) ? { previousColor: a[ANNOTATIONS.previousColor] as Color } : {}),
    ...(value(ANNOTATIONS.previousRevision) !== undefined ? { previousRevision: value(ANNOTATIONS.previousRevision) } : {}),
    verified: a[ANNOTATIONS.verified] !== 'false',
    ...(a[ANNOTATIONS.runId] ? { runId: a[ANNOTATIONS.runId] } : {}),
    ...(isColor(pendingColor)
      ? {
          pending: {
            color: pendingColor,
            ...(value(ANNOTATIONS.pendingRevision) !== undefined ? { revision: value(ANNOTATIONS.pendingRevision) } : {}),
          },
        }
      : {}),
  };
}

export const sameRoute = (a: Route | null, b: Route | null): boolean =>
  JSON.stringify(sortedEntries(a ?? {})) === JSON.stringify(sortedEntries(b ?? {})) && (a === null) === (b === null);
const sortedEntries = (route: Route) => Object.entries(route).sort(([x], [y]) => x.localeCompare(y));

/** The annotations of the switch write: the new live colour and route, and what to restore. */
export function switchAnnotations(
  state: RouterState,
  to: Color,
  route: Route,
  revision: number,
  run: RunIdentity,
  at: Date,
  keys: RouteKeys,
): Record<string, string | null> {
  return {
    [ANNOTATIONS.managedBy]: FIELD_MANAGER,
    [ANNOTATIONS.liveColor]: to,
    [ANNOTATIONS.liveRevision]: String(revision),
    [keys.live]: JSON.stringify(route),
    [ANNOTATIONS.previousColor]: state.liveColor ?? null,
    [ANNOTATIONS.previousRevision]: state.liveRevision === undefined ? null : String(state.liveRevision),
    [keys.previous]: state.route ? JSON.stringify(state.route) : null,
    [ANNOTATIONS.verified]: 'false',
    [ANNOTATIONS.runId]: run.runId,
    [ANNOTATIONS.runUrl]: run.runUrl ?? null,
    [ANNOTATIONS.switchedAt]: at.toISOString(),
    [ANNOTATIONS.pendingColor]: null,
    [ANNOTATIONS.pendingRevision]: null,
  };
}

/** The annotations of the rollback write: the previous colour live again, nothing left to restore. */
export function restoreAnnotations(state: RouterState, reason: string, at: Date, keys: RouteKeys): Record<string, string | null> {
  return {
    [ANNOTATIONS.managedBy]: FIELD_MANAGER,
    [ANNOTATIONS.liveColor]: state.previousColor ?? null,
    [ANNOTATIONS.liveRevision]: state.previousRevision === undefined ? null : String(state.previousRevision),
    [ANNOTATIONS.previousColor]: null,
    [ANNOTATIONS.previousRevision]: null,
    [keys.previous]: null,
    [keys.live]: state.previousRoute ? JSON.stringify(state.previousRoute) : null,
    [ANNOTATIONS.verified]: 'true',
    [ANNOTATIONS.rolledBack]: `${state.liveColor ?? 'unknown'} at ${at.toISOString()}: ${reason}`.slice(0, 1000),
  };
}

export const pendingAnnotations = (target: Color, revision: number) => ({
  [ANNOTATIONS.managedBy]: FIELD_MANAGER,
  [ANNOTATIONS.pendingColor]: target,
  [ANNOTATIONS.pendingRevision]: String(revision),
});
export const discardPendingAnnotations = () => ({ [ANNOTATIONS.pendingColor]: null, [ANNOTATIONS.pendingRevision]: null });
export const verifiedAnnotations = () => ({ [ANNOTATIONS.verified]: 'true' });

/** Annotations of a created object: the nulls (keys to remove) left out. */
export const present = (values: Record<string, string | null>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== null));

/** The problem every kind shares: the object exists but the deploy did not create it. */
export function notOurs(state: RouterState, label: string, remedy: string): string[] {
  if (!state.object || state.object.metadata?.annotations?.[ANNOTATIONS.managedBy] === FIELD_MANAGER) return [];
  return [`${label} exists but is not a router managed by pipeline-toolkit (annotation ${ANNOTATIONS.managedBy} missing); ${remedy}`];
}

/** The route disagrees with what the deploy last wrote: someone changed it outside pipeline-toolkit. */
export function changedOutside(state: RouterState, label: string): string[] {
  if (!state.object || !state.liveRoute || sameRoute(state.route, state.liveRoute)) return [];
  return [
    `${label} routes to ${JSON.stringify(state.route)} but pipeline-toolkit last set ${JSON.stringify(state.liveRoute)} (${state.liveColor ?? 'no colour'}): it was changed outside pipeline-toolkit.`,
  ];
}

/** Another field manager also owns the field the router switches (it would fight over it). */
export function otherOwners(state: RouterState, label: string, field: string, path: string): string[] {
  const problems: string[] = [];
  for (const entry of state.object?.metadata?.managedFields ?? []) {
    const spec = (entry.fieldsV1 as Record<string, Record<string, unknown>> | undefined)?.['f:spec'];
    if (entry.manager !== FIELD_MANAGER && spec && `f:${field}` in spec)
      problems.push(`${path} of ${label} is also owned by field manager '${entry.manager}' (${entry.operation ?? 'unknown'}).`);
  }
  return problems;
}

/** The port a colour's Service is reached on: its first. */
export const servicePort = (service: V1Service): number => service.spec?.ports?.[0]?.port ?? 80;

/** The backend route of the Ingress and HTTPRoute routers: a colour's own Service and port. */
export const backendRoute = (service: V1Service): Route => ({
  service: service.metadata?.name ?? '',
  port: String(servicePort(service)),
});
