import { FIELD_MANAGER, type KubeApi } from '../api.ts';
import { ANNOTATIONS } from './model.ts';
import { routerState, selectorPatch, type RouterState } from './router.ts';

/**
 * Puts traffic back where it was before the last switch with ONE conditional write to the router:
 * the recorded previous selector (or none, after a first deploy) and the matching state. The
 * previous colour was never scaled down before verification, so it serves at once.
 */
export async function restoreTraffic(api: KubeApi, namespace: string, router: RouterState, reason: string, at: Date): Promise<RouterState> {
  return routerState(router.name, await api.patchService(namespace, router.name, restorePatch(router, reason, at)));
}

/** The one write restoreTraffic() sends (also shown by a dry run). */
export function restorePatch(router: RouterState, reason: string, at: Date): object {
  const failed = router.liveColor;
  return {
    metadata: {
      resourceVersion: router.service?.metadata?.resourceVersion,
      annotations: {
        [ANNOTATIONS.managedBy]: FIELD_MANAGER,
        [ANNOTATIONS.liveColor]: router.previousColor ?? null,
        [ANNOTATIONS.liveRevision]: router.previousRevision === undefined ? null : String(router.previousRevision),
        [ANNOTATIONS.previousColor]: null,
        [ANNOTATIONS.previousRevision]: null,
        [ANNOTATIONS.previousSelector]: null,
        [ANNOTATIONS.liveSelector]: router.previousSelector ? JSON.stringify(router.previousSelector) : null,
        [ANNOTATIONS.verified]: 'true',
        [ANNOTATIONS.rolledBack]: `${failed ?? 'unknown'} at ${at.toISOString()}: ${reason}`.slice(0, 1000),
      },
    },
    spec: { selector: selectorPatch(router.selector, router.previousSelector) },
  };
}
