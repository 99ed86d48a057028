import { GateError } from '@pipeline-toolkit/core';
import { FIELD_MANAGER, type KubeApi, type RouteObject } from '../../api.ts';
import { ANNOTATIONS } from '../model.ts';
import { backendRouter } from './backend.ts';
import type { Route, Router, RouterConfig, RouterWrite } from './router.ts';

/**
 * The Gateway API router: an HTTPRoute (`route-name`) owned by the action, attached to the given
 * Gateway. Its rules' backendRefs name both colours' Services with weights 100 and 0; a switch
 * swaps the weights (and names the new colour's Service) in ONE merge patch of spec.rules with the
 * state annotations, conditional on the resourceVersion. HTTPRoute hostnames apply to every rule,
 * so `preview-host` is a second HTTPRoute `<route-name>-preview` with that hostname, routing to the
 * colour being deployed.
 */

interface BackendRef {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  port?: number;
  weight?: number;
}
interface HttpRule {
  backendRefs?: BackendRef[];
  [field: string]: unknown;
}

const API_VERSION = 'gateway.networking.k8s.io/v1';
const rulesOf = (object: RouteObject | undefined): HttpRule[] =>
  ((object?.spec?.['rules'] as HttpRule[] | undefined) ?? []).map((r) => ({ ...r }));
/** A backendRef without a weight has weight 1 (Gateway API default). */
const weightOf = (ref: BackendRef) => ref.weight ?? 1;
const isService = (ref: BackendRef) => (ref.kind ?? 'Service') === 'Service' && !ref.group;
const ref = (route: Route, weight: number): BackendRef => ({ name: route['service'] ?? '', port: Number(route['port']), weight });

/** backendRefs routing everything to `to` and nothing (weight 0) to `from`, when it is another Service; `to` null routes nothing. */
function backendRefs(to: Route | null, from: Route | null): BackendRef[] {
  const refs: BackendRef[] = [];
  if (to) refs.push(ref(to, 100));
  if (from && from['service'] !== to?.['service']) refs.push(ref(from, 0));
  // Stable order (by Service name): a switch changes weights, not positions.
  return refs.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
}

export const previewRouteName = (name: string) => `${name}-preview`;

export function gatewayRouter(api: KubeApi, namespace: string, _release: string, config: RouterConfig): Router {
  const parentRefs = config.gateway
    ? [{ name: config.gateway.name, ...(config.gateway.namespace ? { namespace: config.gateway.namespace } : {}) }]
    : [];
  const hostnames = (host: string | undefined) => (host ? { hostnames: [host] } : {});
  const rules = (refs: BackendRef[]) => [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: refs }];
  return backendRouter(api, namespace, config, {
    kind: 'gateway',
    resource: 'HTTPRoute',
    apiVersion: API_VERSION,
    field: 'rules',
    read(object) {
      const problems: string[] = [];
      const live = new Set<string>();
      for (const rule of rulesOf(object))
        for (const r of rule.backendRefs ?? []) {
          if (!isService(r)) problems.push(`has a backendRef to ${r.kind} ${r.name}; the router routes to Services only.`);
          else if (weightOf(r) > 0) live.add(JSON.stringify({ service: r.name ?? '', port: String(r.port ?? '') }));
        }
      if (live.size > 1) problems.push(`splits traffic between ${[...live].join(' and ')}; the router routes all of it to one colour.`);
      const [only] = [...live];
      return { route: only && live.size === 1 ? (JSON.parse(only) as Route) : null, problems };
    },
    routeSpec(object, to, from) {
      const current = rulesOf(object);
      const refs = backendRefs(to, from);
      return { rules: current.length ? current.map((r) => ({ ...r, backendRefs: refs })) : rules(refs) };
    },
    newSpec: (to) => ({ parentRefs, ...hostnames(config.host), rules: rules(backendRefs(to, null)) }),
    async preview(_object, to) {
      const name = previewRouteName(config.name);
      const found = await api.readRoute(namespace, 'HTTPRoute', name);
      // Never take over someone else's HTTPRoute of that name: the preview would route their hostname.
      if (found && found.metadata?.annotations?.[ANNOTATIONS.managedBy] !== FIELD_MANAGER)
        throw new GateError(
          `HTTPRoute ${name} exists but is not a preview route managed by pipeline-toolkit (annotation ${ANNOTATIONS.managedBy} missing); give another route-name or remove that HTTPRoute.`,
        );
      const object = `HTTPRoute ${namespace}/${name}`;
      const purpose = `route ${config.previewHost} to ${to['service']}`;
      const spec = { rules: rules([ref(to, 100)]) };
      const write: RouterWrite = found
        ? { verb: 'patch', object, name, purpose, body: { metadata: { resourceVersion: found.metadata?.resourceVersion }, spec } }
        : {
            verb: 'create',
            object,
            name,
            purpose,
            body: {
              apiVersion: API_VERSION,
              kind: 'HTTPRoute',
              metadata: {
                name,
                namespace,
                labels: { 'app.kubernetes.io/managed-by': FIELD_MANAGER },
                annotations: { [ANNOTATIONS.managedBy]: FIELD_MANAGER },
              },
              spec: { parentRefs, ...hostnames(config.previewHost), ...spec },
            },
          };
      return [write];
    },
  });
}
