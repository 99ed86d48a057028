import { errorMessage } from '@pipeline-toolkit/core';
import type { WorkloadKind } from '../api.ts';
import { ANNOTATIONS, colorRelease, type Color, type KeepPrevious } from './model.ts';
import { markReleaseFailed } from './helm-record.ts';
import { finder, type Run } from './run.ts';
import { colorObjects, readWorkloads } from './workloads.ts';

/**
 * Takes a colour out of service after it stopped taking traffic: scale every workload its release
 * owns to 0 (remembering the replicas in an annotation, in the same write), keep it running, or
 * uninstall it. The message says exactly what was done.
 */
export async function scaleDown(run: Run, color: Color, how: KeepPrevious): Promise<string> {
  const { api, helm } = run.deps;
  const { namespace, release } = run.spec;
  const name = colorRelease(release, color);
  if (how === 'running') return `${name} kept running`;
  const objects = await colorObjects(finder(run), color);
  if (!objects) return `${name} is not installed; nothing to scale down`;
  if (how === 'uninstall') {
    await helm.uninstall(name, namespace, run.spec.timeoutMs);
    return `${name} uninstalled`;
  }
  const scaled: string[] = [];
  const already: string[] = [];
  for (const w of await readWorkloads(api, namespace, objects.workloads)) {
    if (!w.live) continue;
    const replicas = w.live.spec?.replicas ?? 1;
    if (replicas === 0) {
      already.push(w.ref.name);
      continue;
    }
    await api.patchWorkload(namespace, w.ref.kind, w.ref.name, {
      metadata: { annotations: { [ANNOTATIONS.replicas]: String(replicas) } },
      spec: { replicas: 0 },
    });
    scaled.push(`${w.ref.kind} ${w.ref.name} ${replicas}→0`);
  }
  if (scaled.length) return `scaled down ${scaled.join(', ')}${already.length ? ` (${already.join(', ')} already at 0)` : ''}`;
  return already.length ? `${name}: ${already.join(', ')} already at 0` : `${name} owns no workload to scale down`;
}

/**
 * A colour that failed (never ready, failed its gate, rolled back) is taken out per keep-previous
 * (`running` still scales it down: a failed colour must not keep running) and its Helm revision is
 * marked failed, so `helm list` shows which colour failed. Never throws: clean-up must not hide the
 * failure it follows. Returns what was done, also recorded in the outcome.
 */
export async function retireFailed(run: Run, color: Color, reason: string): Promise<string[]> {
  const notes: string[] = [];
  const name = colorRelease(run.spec.release, color);
  try {
    const status = await run.deps.helm.status(name, run.spec.namespace);
    if (status && run.spec.keepPrevious !== 'uninstall')
      notes.push(await markReleaseFailed(run.deps.api, run.spec.namespace, name, status.revision, `pipeline-toolkit: ${reason}`));
  } catch (error) {
    notes.push(`could not mark ${name} failed in Helm: ${errorMessage(error)}`);
  }
  try {
    notes.push(await scaleDown(run, color, run.spec.keepPrevious === 'uninstall' ? 'uninstall' : 'scaled-down'));
  } catch (error) {
    notes.push(`could not take ${name} down: ${errorMessage(error)}`);
  }
  run.outcome.cleanup = [...(run.outcome.cleanup ?? []), ...notes];
  return notes;
}

/** The writes restoreReplicas() makes: each workload of the colour that scaleDown() scaled to 0, and the patch that scales it back. */
export async function replicasToRestore(
  run: Run,
  color: Color,
): Promise<{ kind: WorkloadKind; name: string; replicas: number; patch: object }[]> {
  const objects = await colorObjects(finder(run), color);
  const found: { kind: WorkloadKind; name: string; replicas: number; patch: object }[] = [];
  for (const w of await readWorkloads(run.deps.api, run.spec.namespace, objects?.workloads ?? [])) {
    const saved = w.live?.metadata?.annotations?.[ANNOTATIONS.replicas];
    if (!saved || !/^\d+$/.test(saved) || (w.live?.spec?.replicas ?? 1) !== 0) continue;
    const replicas = Number(saved);
    found.push({
      kind: w.ref.kind,
      name: w.ref.name,
      replicas,
      patch: { metadata: { annotations: { [ANNOTATIONS.replicas]: null } }, spec: { replicas } },
    });
  }
  return found;
}

/** Scales back up the workloads of a colour that scaleDown() scaled to 0 (before Helm or a rollback uses them again). */
export async function restoreReplicas(run: Run, color: Color): Promise<string[]> {
  const restored: string[] = [];
  for (const w of await replicasToRestore(run, color)) {
    await run.deps.api.patchWorkload(run.spec.namespace, w.kind, w.name, w.patch);
    restored.push(`${w.name} 0→${w.replicas}`);
  }
  return restored;
}
