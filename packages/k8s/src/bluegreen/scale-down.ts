import { ANNOTATIONS, colorRelease, type Color, type KeepPrevious } from './model.ts';
import { colorDeployments, type Run } from './run.ts';

/**
 * Takes a colour out of service after it stopped taking traffic: scale its Deployments to 0
 * (remembering their replicas in an annotation, in the same write), keep it running, or uninstall it.
 */
export async function scaleDown(run: Run, color: Color, how: KeepPrevious): Promise<string> {
  const { api, helm } = run.deps;
  const { namespace, release } = run.spec;
  if (how === 'running') return `${colorRelease(release, color)} kept running`;
  if (how === 'uninstall') {
    await helm.uninstall(colorRelease(release, color), namespace, run.spec.timeoutMs);
    return `${colorRelease(release, color)} uninstalled`;
  }
  const scaled: string[] = [];
  for (const d of await colorDeployments(run, color)) {
    const replicas = d.spec?.replicas ?? 1;
    if (replicas === 0) continue;
    await api.patchDeployment(namespace, d.metadata?.name ?? '', {
      metadata: { annotations: { [ANNOTATIONS.replicas]: String(replicas) } },
      spec: { replicas: 0 },
    });
    scaled.push(`${d.metadata?.name} ${replicas}→0`);
  }
  return scaled.length ? `scaled down ${scaled.join(', ')}` : `${colorRelease(release, color)} already at 0`;
}

/** Scales back up the Deployments of a colour that scaleDown() scaled to 0 (before Helm or a rollback uses them again). */
export async function restoreReplicas(run: Run, color: Color): Promise<string[]> {
  const restored: string[] = [];
  for (const d of await colorDeployments(run, color)) {
    const saved = d.metadata?.annotations?.[ANNOTATIONS.replicas];
    if (!saved || !/^\d+$/.test(saved) || (d.spec?.replicas ?? 1) !== 0) continue;
    await run.deps.api.patchDeployment(run.spec.namespace, d.metadata?.name ?? '', {
      metadata: { annotations: { [ANNOTATIONS.replicas]: null } },
      spec: { replicas: Number(saved) },
    });
    restored.push(`${d.metadata?.name} 0→${saved}`);
  }
  return restored;
}
