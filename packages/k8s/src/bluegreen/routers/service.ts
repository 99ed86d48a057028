import { FIELD_MANAGER, type KubeApi, type V1Service } from '../../api.ts';
import { ANNOTATIONS, INSTANCE_LABEL, colorRelease, type Color } from '../model.ts';
import type { ReadyColor } from '../wait-ready.ts';
import { serviceEndpointsWaiting } from './endpoints.ts';
import {
  changedOutside,
  discardPendingAnnotations,
  notOurs,
  otherOwners,
  pendingAnnotations,
  present,
  restoreAnnotations,
  servicePort,
  stateFromObject,
  switchAnnotations,
  verifiedAnnotations,
  type Route,
  type RouteKeys,
  type Router,
  type RouterConfig,
  type RouterState,
  type RouterWrite,
} from './router.ts';

/**
 * The Service router (ADR-008): a Service `<release>` owned by the action whose selector is the live
 * colour's pod selector, copied from the colour's own Service. A switch is one merge patch of the
 * selector and the state annotations.
 */

const KEYS: RouteKeys = { live: ANNOTATIONS.liveSelector, previous: ANNOTATIONS.previousSelector };

export function routerState(name: string, service: V1Service | undefined): RouterState {
  const selector = service?.spec?.selector;
  return stateFromObject('service', name, service, selector && Object.keys(selector).length ? selector : null, KEYS);
}

/** The colour a selector routes to by Helm's instance label (routers written before selectors were recorded). */
export function selectedColor(selector: Record<string, string> | null, release: string): Color | undefined {
  const instance = selector?.[INSTANCE_LABEL];
  if (instance === colorRelease(release, 'blue')) return 'blue';
  if (instance === colorRelease(release, 'green')) return 'green';
  return undefined;
}

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

/** The router Service a first deploy creates: named after the release, with the colour Service's ports. Without a selector it routes to nothing. */
export function newRouterService(
  namespace: string,
  release: string,
  colorService: V1Service,
  annotations: Record<string, string>,
  selector?: Route,
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

export function serviceRouter(api: KubeApi, namespace: string, release: string, config: RouterConfig): Router {
  const name = config.name;
  const label = `Service ${name}`;
  const object = `Service ${namespace}/${name}`;
  // The verified mark and the discard of a pending colour change annotations only and go without the precondition.
  const patch = (purpose: string, state: RouterState | undefined, body: object): RouterWrite => ({
    verb: 'patch',
    object,
    name,
    purpose,
    body: { metadata: state ? { resourceVersion: state.object?.metadata?.resourceVersion } : {}, ...body },
  });
  const withAnnotations = (w: RouterWrite, annotations: object): RouterWrite => {
    const body = w.body as { metadata: object };
    return { ...w, body: { ...body, metadata: { ...body.metadata, annotations } } };
  };
  return {
    kind: 'service',
    label,
    config,
    read: async () => routerState(name, await api.readService(namespace, name)),
    problems(state) {
      const mine = notOurs(state, label, 'rename the release or remove that Service.');
      if (mine.length) return mine;
      const problems = changedOutside(state, `the router ${label}`);
      if (state.object && state.route && !state.liveRoute) {
        // A router written before the selector was recorded: it selected by Helm's instance label.
        const selected = selectedColor(state.route, release);
        if (!selected)
          problems.push(
            `the router selector ${JSON.stringify(state.route)} does not name one colour by ${INSTANCE_LABEL}, so it could select the pods of both colours.`,
          );
        else if (selected !== state.liveColor)
          problems.push(
            `the router selects ${selected} but its recorded live colour is ${state.liveColor ?? 'none'}: it was changed outside pipeline-toolkit.`,
          );
      }
      return [...problems, ...otherOwners(state, `Service '${name}'`, 'selector', 'spec.selector')];
    },
    routeTo: (service) => service.spec?.selector ?? {},
    switchWrite(state, to, service, revision, run, at) {
      const selector = service.spec?.selector ?? {};
      const annotations = switchAnnotations(state, to, selector, revision, run, at, KEYS);
      const purpose = `switch to ${to}`;
      if (!state.object)
        return { verb: 'create', object, name, purpose, body: newRouterService(namespace, name, service, present(annotations), selector) };
      return withAnnotations(patch(purpose, state, { spec: { selector: selectorPatch(state.route, selector) } }), annotations);
    },
    restoreWrite(state, reason, at) {
      return withAnnotations(
        patch(`route back to ${state.previousColor ?? 'nothing'}`, state, {
          spec: { selector: selectorPatch(state.route, state.previousRoute) },
        }),
        restoreAnnotations(state, reason, at, KEYS),
      );
    },
    pendingWrite(state, target, revision, service) {
      const annotations = pendingAnnotations(target, revision);
      const purpose = `record ${target} as pending`;
      if (!state.object) return { verb: 'create', object, name, purpose, body: newRouterService(namespace, name, service, annotations) };
      return withAnnotations(patch(purpose, state, {}), annotations);
    },
    discardPendingWrite: () => withAnnotations(patch('discard the pending colour', undefined, {}), discardPendingAnnotations()),
    verifiedWrite: () => withAnnotations(patch('mark the switch verified', undefined, {}), verifiedAnnotations()),
    previewWrites: async () => [],
    async send(write) {
      if (write.verb === 'create') return routerState(name, await api.createService(namespace, write.body as V1Service));
      return routerState(name, await api.patchService(namespace, name, write.body));
    },
    waiting: (ready: ReadyColor) => serviceEndpointsWaiting(api, namespace, name, ready.objects),
    productionService: (ready) => ({ name, port: servicePort(ready.service) }),
  };
}
