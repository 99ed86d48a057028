import { ExternalError, formatDuration, GateError } from '@pipeline-toolkit/core';
import type { HelmRelease } from '../helm.ts';
import { colorRelease, type Color, type DeploySpec } from './model.ts';
import type { ImmutableChange } from './preflight.ts';
import { restoreReplicas } from './scale-down.ts';
import { checkCancelled, type Run } from './run.ts';
import { selectorString } from './workloads.ts';

/** The colour's Helm release: the same chart and values for both colours; image and tag as strings. */
export function helmRelease(spec: DeploySpec, color: Color): HelmRelease {
  const setString = [...(spec.image ? [`image.repository=${spec.image}`] : []), ...(spec.tag ? [`image.tag=${spec.tag}`] : [])];
  return {
    release: colorRelease(spec.release, color),
    namespace: spec.namespace,
    chart: spec.chart,
    ...(spec.chartVersion ? { chartVersion: spec.chartVersion } : {}),
    valuesFiles: spec.valuesFiles,
    set: spec.set,
    setString,
    timeoutMs: spec.timeoutMs,
  };
}

/**
 * `helm upgrade --install <release>-<colour>`: first recovers a release left pending by a killed
 * Helm, and scales back Deployments this toolkit scaled to 0 (so Helm and the toolkit never disagree
 * about replicas). Returns the new Helm revision.
 */
export async function deployIdle(run: Run, color: Color): Promise<number> {
  const { helm, log } = run.deps;
  const { spec } = run;
  const release = colorRelease(spec.release, color);
  const recovered = await helm.recoverPending(release, spec.namespace, spec.timeoutMs);
  if (recovered) log.warning(`Recovered a stuck Helm release: ${recovered}.`);
  const restored = await restoreReplicas(run, color);
  if (restored.length) log.info(`Scaled back up before the upgrade: ${restored.join(', ')}`);
  const status = await helm.upgrade(helmRelease(spec, color));
  if (status.status !== 'deployed')
    throw new ExternalError(`Helm left ${release} in status '${status.status}' (revision ${status.revision}).`);
  return status.revision;
}

/**
 * The chart changes immutable fields of the idle colour's workloads (preflight proved they all
 * belong to the idle release): `helm uninstall` the idle release, then wait until those workloads
 * and their pods are gone, so that the install that follows creates them afresh and no old pod is
 * adopted. The router is read again first: the colour it routes to is never uninstalled.
 * PersistentVolumeClaims made from claim templates are kept (Helm never deletes them).
 */
export async function recreateIdle(run: Run, color: Color, changes: readonly ImmutableChange[]): Promise<string> {
  const { api, helm, clock } = run.deps;
  const { namespace, release } = run.spec;
  const name = colorRelease(release, color);
  const router = await run.router.read();
  if (router.liveColor === color)
    throw new GateError(`Refusing to uninstall ${name}: the router (${run.router.label}) routes traffic to it.`);
  await helm.uninstall(name, namespace, run.spec.timeoutMs);
  const deadline = clock.now() + run.spec.timeoutMs;
  for (;;) {
    const left: string[] = [];
    for (const c of changes) {
      const exists = c.kind === 'Service' ? await api.readService(namespace, c.name) : await api.readWorkload(namespace, c.kind, c.name);
      if (exists) left.push(`${c.kind} ${c.name}`);
      else if (Object.keys(c.selector).length) {
        const pods = await api.listPods(namespace, selectorString(c.selector));
        if (pods.length) left.push(`${pods.length} pod(s) of ${c.kind} ${c.name}`);
      }
    }
    if (!left.length) break;
    if (clock.now() >= deadline)
      throw new ExternalError(
        `${name} was uninstalled, but within ${formatDuration(run.spec.timeoutMs)} these are not gone: ${left.join(', ')}.`,
      );
    checkCancelled(run);
    await clock.sleep(run.deps.pollMs ?? 1000, run.deps.signal);
  }
  return `${name} uninstalled to be installed afresh (${changes.map((c) => `${c.kind} ${c.name}`).join(', ')} change immutable fields)`;
}
