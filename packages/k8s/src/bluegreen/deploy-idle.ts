import { ExternalError } from '@pipeline-toolkit/core';
import { colorRelease, type Color } from './model.ts';
import { restoreReplicas } from './scale-down.ts';
import type { Run } from './run.ts';

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
  const setString = [...(spec.image ? [`image.repository=${spec.image}`] : []), ...(spec.tag ? [`image.tag=${spec.tag}`] : [])];
  const status = await helm.upgrade({
    release,
    namespace: spec.namespace,
    chart: spec.chart,
    ...(spec.chartVersion ? { chartVersion: spec.chartVersion } : {}),
    valuesFiles: spec.valuesFiles,
    set: spec.set,
    setString,
    timeoutMs: spec.timeoutMs,
  });
  if (status.status !== 'deployed')
    throw new ExternalError(`Helm left ${release} in status '${status.status}' (revision ${status.revision}).`);
  return status.revision;
}
