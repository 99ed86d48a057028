import type { KubeApi, RouteObject } from '../../api.ts';
import { backendRouter } from './backend.ts';
import type { Route, Router, RouterConfig } from './router.ts';

/**
 * The Ingress router: an Ingress (`ingress-name`) owned by the action. The rule of the live host
 * sends every path to the live colour's own Service; a switch rewrites that rule's backends in ONE
 * merge patch of spec.rules (arrays are replaced whole, so the patch carries every rule, the others
 * unchanged) with the state annotations, conditional on the resourceVersion. With `preview-host`, a
 * second rule of the same Ingress routes that host to the colour being deployed.
 */

interface Path {
  path?: string;
  pathType?: string;
  backend?: { service?: { name?: string; port?: { number?: number; name?: string } } };
}
interface Rule {
  host?: string;
  http?: { paths?: Path[] };
}

const rulesOf = (object: RouteObject | undefined): Rule[] => ((object?.spec?.['rules'] as Rule[] | undefined) ?? []).map((r) => ({ ...r }));
const backendOf = (path: Path): string => JSON.stringify([path.backend?.service?.name, path.backend?.service?.port?.number]);
const routeOfRule = (rule: Rule | undefined): Route | null => {
  const first = rule?.http?.paths?.[0]?.backend?.service;
  return first?.name ? { service: first.name, port: String(first.port?.number ?? '') } : null;
};

/** The rule of `host` routing to `to` (null: a rule with the host only, which routes nothing); its paths kept, their backends replaced. */
function ruleFor(host: string, current: Rule | undefined, to: Route | null): Rule {
  if (!to) return { host };
  const backend = { service: { name: to['service'] ?? '', port: { number: Number(to['port']) } } };
  const paths = current?.http?.paths?.length ? current.http.paths : [{ path: '/', pathType: 'Prefix' }];
  return { ...current, host, http: { paths: paths.map((p) => ({ ...p, backend })) } };
}

/** The rules with `host`'s rule replaced (or added). */
function withRule(rules: Rule[], host: string, to: Route | null): Rule[] {
  const index = rules.findIndex((r) => r.host === host);
  if (index < 0) return [...rules, ruleFor(host, undefined, to)];
  return rules.map((r, i) => (i === index ? ruleFor(host, r, to) : r));
}

export function ingressRouter(api: KubeApi, namespace: string, _release: string, config: RouterConfig): Router {
  const host = config.host ?? '';
  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    resource: 'Ingress' as const,
    kind: 'ingress' as const,
    field: 'rules',
  };
  const newSpec = (rules: Rule[]) => ({ ...(config.ingressClass ? { ingressClassName: config.ingressClass } : {}), rules });
  return backendRouter(api, namespace, config, {
    ...ingress,
    read(object) {
      const rule = rulesOf(object).find((r) => r.host === host);
      const backends = new Set((rule?.http?.paths ?? []).map(backendOf));
      return {
        route: routeOfRule(rule),
        problems: backends.size > 1 ? [`sends the paths of ${host} to different backends; the router switches one backend per host.`] : [],
      };
    },
    routeSpec: (object, to) => ({ rules: withRule(rulesOf(object), host, to) }),
    newSpec: (to) => newSpec([ruleFor(host, undefined, to)]),
    async preview(object, to) {
      const previewHost = config.previewHost ?? '';
      const object_ = `Ingress ${namespace}/${config.name}`;
      const purpose = `route ${previewHost} to ${to['service']}`;
      if (!object)
        return [
          {
            verb: 'create',
            object: object_,
            name: config.name,
            purpose,
            body: {
              apiVersion: ingress.apiVersion,
              kind: 'Ingress',
              spec: newSpec([ruleFor(host, undefined, null), ruleFor(previewHost, undefined, to)]),
            },
          },
        ];
      return [
        {
          verb: 'patch',
          object: object_,
          name: config.name,
          purpose,
          body: {
            metadata: { resourceVersion: object.metadata?.resourceVersion },
            spec: { rules: withRule(rulesOf(object), previewHost, to) },
          },
        },
      ];
    },
  });
}
