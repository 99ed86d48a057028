import { ExternalError, formatDuration, type Logger } from '@pipeline-toolkit/core';
import { autoscaledWorkloads, autoscalerLine, autoscalerWaiting } from './autoscale.ts';
import type { V1Service } from '../api.ts';
import { colorRelease, DeployFailure, type Color } from './model.ts';
import { diagnose, diagnosisLines } from './diagnose.ts';
import { endpointsWaiting, readiness } from './readiness.ts';
import { chartProblems, routedService, servedWorkloads, type ReleaseObjects } from './release-objects.ts';
import { checkCancelled, finder, type Run } from './run.ts';
import { colorObjects, readWorkloads, selectorString, type LiveWorkload } from './workloads.ts';

export interface ReadyColor {
  objects: ReleaseObjects;
  workloads: LiveWorkload[];
  /** The HPAs that scale the colour's workloads, as they were when it became ready (one line each). */
  autoscalers: string[];
  /** The colour's own Service as its release renders it (the preview, and the model of the router). */
  service: V1Service;
}

async function poll<T>(
  run: Run,
  what: string,
  check: () => Promise<{ value?: T; waiting: string[] }>,
  explain?: () => Promise<string[]>,
): Promise<T> {
  const { clock } = run.deps;
  const deadline = clock.now() + run.spec.timeoutMs;
  for (;;) {
    checkCancelled(run);
    const { value, waiting } = await check();
    if (value !== undefined) return value;
    if (clock.now() >= deadline) {
      const why = (await explain?.()) ?? [];
      throw new DeployFailure(
        'not-ready',
        `${what} within ${formatDuration(run.spec.timeoutMs)}: ${waiting.join('; ')}${why.length ? `\n${why.map((l) => `  ${l}`).join('\n')}` : ''}`,
      );
    }
    await clock.sleep(run.deps.pollMs ?? 1000, run.deps.signal);
  }
}

/** What the colour's release owns now, checked again against the other colour: what preflight predicted, as Helm actually recorded it. */
export async function releasedObjects(
  run: Run,
  color: Color,
  other?: ReleaseObjects,
): Promise<{ objects: ReleaseObjects; service: V1Service }> {
  const objects = await colorObjects(finder(run), color);
  if (!objects) throw new ExternalError(`Helm has no release ${colorRelease(run.spec.release, color)} in namespace ${run.spec.namespace}.`);
  const problems = chartProblems(objects, other ?? { release: '', workloads: [], services: [] });
  const service = routedService(objects);
  if (problems.length || !service) throw new ExternalError(`The chart cannot be deployed blue-green: ${problems.join(' ')}`);
  return { objects, service };
}

async function podNames(run: Run, workloads: readonly LiveWorkload[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const w of workloads) {
    if (!Object.keys(w.ref.selector).length) continue;
    for (const pod of await run.deps.api.listPods(run.spec.namespace, selectorString(w.ref.selector))) names.add(pod.metadata?.name ?? '');
  }
  return names;
}

/**
 * Waits until every workload the colour's release owns is fully rolled out and its Service's
 * EndpointSlices list exactly its ready pods. On timeout, says per pod why it is not ready
 * (conditions, container states, last events) before anything is cleaned up.
 */
export async function waitReady(run: Run, color: Color, other?: ReleaseObjects): Promise<ReadyColor> {
  const { api } = run.deps;
  const { namespace } = run.spec;
  const { objects, service } = await releasedObjects(run, color, other);
  const name = service.metadata?.name ?? '';
  let last: LiveWorkload[] = [];
  let warned = false;
  const warnOnce: Pick<Logger, 'warning'> = {
    warning: (message) => {
      if (!warned) run.deps.log.warning(message);
      warned = true;
    },
  };
  return poll(
    run,
    `${colorRelease(run.spec.release, color)} did not become ready`,
    async () => {
      // The HPAs first: a workload is read after its HPA, so a count the HPA just set is seen.
      const autoscaled = await autoscaledWorkloads(api, namespace, objects.workloads, warnOnce);
      const workloads = await readWorkloads(api, namespace, objects.workloads);
      last = workloads;
      const served = workloads.filter((w) => servedWorkloads(objects, service.spec?.selector ?? {}).includes(w.ref));
      const pods = await podNames(run, served);
      const endpoints = endpointsWaiting(name, served, pods, await api.listEndpointSlices(namespace, name));
      const state = readiness(workloads, endpoints);
      const scaling = autoscaled
        .map((a) =>
          autoscalerWaiting(
            a,
            workloads.find((w) => w.ref === a.ref),
          ),
        )
        .filter((l): l is string => Boolean(l));
      if (state.ready && !scaling.length) {
        const autoscalers = autoscaled.map((a) =>
          autoscalerLine(
            a,
            workloads.find((w) => w.ref === a.ref),
          ),
        );
        return { value: { objects, workloads, service, autoscalers }, waiting: [] };
      }
      return { waiting: [...scaling, ...state.waiting] };
    },
    async () => {
      const found = await diagnose(api, namespace, last).catch(() => []);
      run.outcome.diagnosis = { color, pods: found };
      const lines = diagnosisLines(found);
      if (lines.length)
        run.deps.log.error(`Why ${colorRelease(run.spec.release, color)} is not ready:\n${lines.map((l) => `  ${l}`).join('\n')}`);
      return lines;
    },
  );
}

/** After a switch: waits until the router routes only to the new colour's ready pods. */
export function waitRouted(run: Run, ready: ReadyColor): Promise<true> {
  return poll(run, `the router (${run.router.label}) did not route only to ${ready.objects.release}`, async () => {
    const waiting = await run.router.waiting(ready);
    return waiting ? { waiting: [waiting] } : { value: true, waiting: [] };
  });
}
