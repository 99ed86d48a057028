import type { KubeApi } from '../../api.ts';
import type { Router, RouterConfig, RouterKind } from './router.ts';
import { gatewayRouter } from './gateway.ts';
import { ingressRouter } from './ingress.ts';
import { serviceRouter } from './service.ts';

/** One module per kind of router; the engine picks one here and never looks at which. */
const ROUTERS: Record<RouterKind, (api: KubeApi, namespace: string, release: string, config: RouterConfig) => Router> = {
  service: serviceRouter,
  ingress: ingressRouter,
  gateway: gatewayRouter,
};

/** The router of a deploy (the Service router `<release>` when none is configured: what every deploy used before routers had kinds). */
export function routerFor(api: KubeApi, namespace: string, release: string, config?: RouterConfig): Router {
  const chosen = config ?? { kind: 'service', name: release };
  return ROUTERS[chosen.kind](api, namespace, release, chosen);
}

export type { Route, Router, RouterConfig, RouterKind, RouterState, RouterWrite } from './router.ts';
export { ROUTER_KINDS } from './router.ts';
