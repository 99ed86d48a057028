import { ExternalError } from '@pipeline-toolkit/core';
import { FIELD_MANAGER, type V1Service } from '../api.ts';
import { ANNOTATIONS, INSTANCE_LABEL, colorRelease, type Color } from './model.ts';
import type { Plan } from './preflight.ts';
import { newRouterService, selectorPatch } from './router.ts';
import { saveJournal, type Run } from './run.ts';

/**
 * Routes traffic to `to` with ONE write to the router Service: its selector and the state
 * annotations together, conditional on the resourceVersion preflight read (409 if anyone changed the
 * router since). The first deploy creates the router instead, copying the colour Service's ports.
 * The journal records the switch before it is sent, so a cancelled run's post step can undo it.
 */
export async function switchTraffic(run: Run, plan: Plan, to: Color, preview: V1Service, revision: number): Promise<string> {
  const { api, clock } = run.deps;
  const { namespace, release } = run.spec;
  const selector = preview.spec?.selector ?? {};
  if (selector[INSTANCE_LABEL] !== colorRelease(release, to)) {
    throw new ExternalError(
      `Service ${preview.metadata?.name} does not select by ${INSTANCE_LABEL}=${colorRelease(release, to)}; the chart must carry Helm's standard labels.`,
    );
  }
  const router = plan.router;
  const annotations: Record<string, string | null> = {
    [ANNOTATIONS.managedBy]: FIELD_MANAGER,
    [ANNOTATIONS.liveColor]: to,
    [ANNOTATIONS.liveRevision]: String(revision),
    [ANNOTATIONS.previousColor]: plan.live ?? null,
    [ANNOTATIONS.previousRevision]: router.liveRevision === undefined ? null : String(router.liveRevision),
    [ANNOTATIONS.previousSelector]: router.selector ? JSON.stringify(router.selector) : null,
    [ANNOTATIONS.verified]: 'false',
    [ANNOTATIONS.runId]: run.spec.runId,
    [ANNOTATIONS.runUrl]: run.spec.runUrl ?? null,
    [ANNOTATIONS.switchedAt]: new Date(clock.now()).toISOString(),
    [ANNOTATIONS.pendingColor]: null,
    [ANNOTATIONS.pendingRevision]: null,
  };
  await saveJournal(run, { switchInFlight: { to, ...(plan.live ? { from: plan.live } : {}), previousSelector: router.selector } });
  if (!router.service) {
    await api.createService(namespace, newRouterService(namespace, release, preview, present(annotations), selector));
    return `router ${release} created, selecting ${to}`;
  }
  await api.patchService(namespace, release, {
    metadata: { resourceVersion: router.service.metadata?.resourceVersion, annotations },
    spec: { selector: selectorPatch(router.selector, selector) },
  });
  return `router ${release}: ${plan.live ?? 'nothing'} → ${to}`;
}

const present = (values: Record<string, string | null>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== null));
