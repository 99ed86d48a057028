import { FIELD_MANAGER, type V1Service } from '../api.ts';
import { ANNOTATIONS, type Color } from './model.ts';
import type { RouterState } from './router.ts';
import { newRouterService, selectorPatch } from './router.ts';
import { saveJournal, type Run } from './run.ts';

/** The router write of a switch: a Service to create (first deploy) or one conditional merge patch. */
export type RouterWrite = { create: V1Service } | { patch: object };

/**
 * The one write that routes traffic to `to`: the colour Service's selector (exactly what its
 * release renders, whatever its labels) and the state annotations, conditional on the
 * resourceVersion preflight read. A dry run shows the same value the run sends.
 */
export function switchWrite(
  spec: { namespace: string; release: string; runId: string; runUrl?: string },
  router: RouterState,
  to: Color,
  preview: V1Service,
  revision: number,
  at: Date,
): RouterWrite {
  const selector = preview.spec?.selector ?? {};
  const annotations: Record<string, string | null> = {
    [ANNOTATIONS.managedBy]: FIELD_MANAGER,
    [ANNOTATIONS.liveColor]: to,
    [ANNOTATIONS.liveRevision]: String(revision),
    [ANNOTATIONS.liveSelector]: JSON.stringify(selector),
    [ANNOTATIONS.previousColor]: router.liveColor ?? null,
    [ANNOTATIONS.previousRevision]: router.liveRevision === undefined ? null : String(router.liveRevision),
    [ANNOTATIONS.previousSelector]: router.selector ? JSON.stringify(router.selector) : null,
    [ANNOTATIONS.verified]: 'false',
    [ANNOTATIONS.runId]: spec.runId,
    [ANNOTATIONS.runUrl]: spec.runUrl ?? null,
    [ANNOTATIONS.switchedAt]: at.toISOString(),
    [ANNOTATIONS.pendingColor]: null,
    [ANNOTATIONS.pendingRevision]: null,
  };
  if (!router.service) return { create: newRouterService(spec.namespace, spec.release, preview, present(annotations), selector) };
  return {
    patch: {
      metadata: { resourceVersion: router.service.metadata?.resourceVersion, annotations },
      spec: { selector: selectorPatch(router.selector, selector) },
    },
  };
}

/**
 * Routes traffic to `to` with ONE write to the router Service (409 if anyone changed the router
 * since preflight read it). The first deploy creates the router instead, copying the colour
 * Service's ports. The journal records the switch before it is sent, so a cancelled run's post step can undo it.
 */
export async function switchTraffic(run: Run, router: RouterState, to: Color, preview: V1Service, revision: number): Promise<string> {
  const { api, clock } = run.deps;
  const { namespace, release } = run.spec;
  const write = switchWrite(run.spec, router, to, preview, revision, new Date(clock.now()));
  await saveJournal(run, {
    switchInFlight: { to, ...(router.liveColor ? { from: router.liveColor } : {}), previousSelector: router.selector },
  });
  if ('create' in write) {
    await api.createService(namespace, write.create);
    return `router ${release} created, selecting ${to} ${JSON.stringify(preview.spec?.selector ?? {})}`;
  }
  await api.patchService(namespace, release, write.patch);
  return `router ${release}: ${router.liveColor ?? 'nothing'} → ${to} ${JSON.stringify(preview.spec?.selector ?? {})}`;
}

const present = (values: Record<string, string | null>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== null));
