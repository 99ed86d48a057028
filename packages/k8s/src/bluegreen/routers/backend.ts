import { FIELD_MANAGER, type KubeApi, type RouteKind, type RouteObject, type V1Service } from '../../api.ts';
import { ANNOTATIONS, type Color } from '../model.ts';
import type { ReadyColor } from '../wait-ready.ts';
import { serviceEndpointsWaiting } from './endpoints.ts';
import {
  backendRoute,
  changedOutside,
  discardPendingAnnotations,
  notOurs,
  otherOwners,
  pendingAnnotations,
  present,
  restoreAnnotations,
  stateFromObject,
  switchAnnotations,
  verifiedAnnotations,
  type Route,
  type RouteKeys,
  type Router,
  type RouterConfig,
  type RouterKind,
  type RouterState,
  type RouterWrite,
} from './router.ts';

/**
 * What the Ingress and HTTPRoute routers share: the router is an object of the cluster that routes
 * to one colour's own Service (`{ service, port }`), its state in its annotations; a switch or a
 * rollback is ONE JSON merge patch of the routing field and the annotations, conditional on the
 * resourceVersion read. Each kind says how it reads and writes its routing field.
 */

/** Where the Ingress and HTTPRoute routers record the backend they route to. */
export const BACKEND_KEYS: RouteKeys = { live: `pipeline-toolkit.dev/live-backend`, previous: `pipeline-toolkit.dev/previous-backend` };

export interface BackendKind {
  kind: RouterKind;
  resource: RouteKind;
  apiVersion: string;
  /** The field a switch writes (`rules`): another manager owning it is a problem. */
  field: string;
  /** What the object routes its live traffic to; `problems` says why that is ambiguous. */
  read(object: RouteObject): { route: Route | null; problems: string[] };
  /** The spec fields of a patch that routes live traffic to `to` (null: nothing), `from` being what it routes to now. */
  routeSpec(object: RouteObject | undefined, to: Route | null, from: Route | null): Record<string, unknown>;
  /** The spec of a new router object routing to `to` (null: nothing yet). */
  newSpec(to: Route | null): Record<string, unknown>;
  /** The preview: writes routing preview-host to `to` (the object read, or a separate one). */
  preview?(object: RouteObject | undefined, to: Route): Promise<RouterWrite[]>;
}

export function backendRouter(api: KubeApi, namespace: string, config: RouterConfig, k: BackendKind): Router {
  const name = config.name;
  const label = `${k.resource} ${name}`;
  const object = `${k.resource} ${namespace}/${name}`;
  const stateOf = (found: RouteObject | undefined): RouterState => {
    const { route } = found ? k.read(found) : { route: null };
    return stateFromObject(k.kind, name, found, route, BACKEND_KEYS);
  };
  const meta = (annotations: Record<string, string>) => ({
    name,
    namespace,
    labels: { 'app.kubernetes.io/managed-by': FIELD_MANAGER },
    annotations,
  });
  const create = (purpose: string, annotations: Record<string, string>, to: Route | null): RouterWrite => ({
    verb: 'create',
    object,
    name,
    purpose,
    body: { apiVersion: k.apiVersion, kind: k.resource, metadata: meta(annotations), spec: k.newSpec(to) },
  });
  const patch = (purpose: string, precondition: RouterState | undefined, annotations: object, spec?: object): RouterWrite => ({
    verb: 'patch',
    object,
    name,
    purpose,
    body: {
      metadata: { ...(precondition ? { resourceVersion: precondition.object?.metadata?.resourceVersion } : {}), annotations },
      ...(spec ? { spec } : {}),
    },
  });
  return {
    kind: k.kind,
    label,
    config,
    ...(config.previewHost ? { previewAddress: `http://${config.previewHost}/` } : {}),
    read: async () => stateOf(await api.readRoute(namespace, k.resource, name)),
    problems(state) {
      const mine = notOurs(
        state,
        label,
        `give another ${k.kind === 'ingress' ? 'ingress-name' : 'route-name'} or remove that ${k.resource}.`,
      );
      if (mine.length) return mine;
      return [
        ...(state.object ? k.read(state.object as RouteObject).problems.map((p) => `${label} ${p}`) : []),
        ...changedOutside(state, `the router ${label}`),
        ...otherOwners(state, `${k.resource} '${name}'`, k.field, `spec.${k.field}`),
      ];
    },
    routeTo: backendRoute,
    switchWrite(state, to, service, revision, run, at) {
      const route = backendRoute(service);
      const annotations = switchAnnotations(state, to, route, revision, run, at, BACKEND_KEYS);
      const purpose = `switch to ${to}`;
      if (!state.object) return create(purpose, present(annotations), route);
      return patch(purpose, state, annotations, k.routeSpec(state.object as RouteObject, route, state.route));
    },
    restoreWrite(state, reason, at) {
      return patch(
        `route back to ${state.previousColor ?? 'nothing'}`,
        state,
        restoreAnnotations(state, reason, at, BACKEND_KEYS),
        k.routeSpec(state.object as RouteObject | undefined, state.previousRoute, state.route),
      );
    },
    pendingWrite(state, target, revision) {
      const purpose = `record ${target} as pending`;
      if (!state.object) return create(purpose, pendingAnnotations(target, revision), null);
      return patch(purpose, state, pendingAnnotations(target, revision));
    },
    discardPendingWrite: () => patch('discard the pending colour', undefined, discardPendingAnnotations()),
    verifiedWrite: () => patch('mark the switch verified', undefined, verifiedAnnotations()),
    async previewWrites(state: RouterState, _color: Color, service: V1Service) {
      if (!config.previewHost || !k.preview) return [];
      const writes = await k.preview(state.object as RouteObject | undefined, backendRoute(service));
      // A preview in a router object not created yet creates it, routing nothing live.
      return writes.map((w) =>
        w.verb === 'create' && w.name === name
          ? { ...w, body: { ...w.body, metadata: meta({ [ANNOTATIONS.managedBy]: FIELD_MANAGER }) } }
          : w,
      );
    },
    async send(write) {
      const sent =
        write.verb === 'create'
          ? await api.createRoute(namespace, k.resource, write.body as RouteObject)
          : await api.patchRoute(namespace, k.resource, write.name, write.body);
      return write.name === name ? stateOf(sent) : stateOf(await api.readRoute(namespace, k.resource, name));
    },
    async waiting(ready: ReadyColor) {
      const found = await api.readRoute(namespace, k.resource, name);
      if (!found) return `the router ${label} is gone`;
      const want = backendRoute(ready.service);
      const { route } = k.read(found);
      if (JSON.stringify(route) !== JSON.stringify(want))
        return `the router ${label} routes to ${JSON.stringify(route)}, not ${JSON.stringify(want)}`;
      return serviceEndpointsWaiting(api, namespace, want['service'] ?? '', ready.objects);
    },
    productionService: (ready) => {
      const route = backendRoute(ready.service);
      return { name: route['service'] ?? '', port: Number(route['port']) };
    },
  };
}
