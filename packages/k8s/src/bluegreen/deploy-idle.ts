import { ExternalError } from '@pipeline-toolkit/core';
import type { HelmRelease } from '../helm.ts';
import { colorRelease, type Color, type DeploySpec } from './model.ts';
import { restoreReplicas } from './scale-down.ts';
import type { Run } from './run.ts';

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
