import { errorMessage } from '@pipeline-toolkit/core';
import type { WorkloadKind } from '../api.ts';
import { ANNOTATIONS, colorRelease, type Color, type KeepPrevious } from './model.ts';
import { markReleaseFailed } from './helm-record.ts';
import { finder, saveJournal, type Run } from './run.ts';
import { colorObjects, readWorkloads } from './workloads.ts';
import { autoscaledWorkloads, hpaName, pin, unpinPatch, withinBounds, type AutoscaledIdle } from './autoscale.ts';

/**
 * Takes a colour out of service after it stopped taking traffic: scale every workload its release
 * owns to 0 (remembering the replicas in an annotation, in the same write), keep it running, or
 * uninstall it. A workload that a HorizontalPodAutoscaler scales goes through its HPA: pinned to the
 * HPA's minimum (`autoscaled: minimum`), or set to 0, which disables the HPA until it is set again
 * (`zero`; failed and discarded colours always). The message says exactly what was done.
 */
export async function scaleDown(run: Run, color: Color, how: KeepPrevious, autoscaled: AutoscaledIdle = 'zero'): Promise<string> {
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
  const hpas = await autoscaledWorkloads(api, namespace, objects.workloads, run.deps.log);
  if (hpas.length)
    await saveJournal(run, {
      autoscaling: { color, change: autoscaled === 'minimum' ? 'pin' : 'zero', hpas: hpas.map((a) => hpaName(a.hpa)) },
    });
  for (const w of await readWorkloads(api, namespace, objects.workloads)) {
    if (!w.live) continue;
    const hpa = hpas.find((a) => a.ref === w.ref);
    if (hpa && autoscaled === 'minimum') {
      scaled.push(await pin(api, namespace, hpa, release, color));
      continue;
    }
    const replicas = w.live.spec?.replicas ?? 1;
    if (replicas === 0) {
      already.push(w.ref.name);
      continue;
    }
    await api.patchWorkload(namespace, w.ref.kind, w.ref.name, {
      metadata: { annotations: { [ANNOTATIONS.replicas]: String(replicas) } },
      spec: { replicas: 0 },
    });
    scaled.push(
      `${w.ref.kind} ${w.ref.name} ${replicas}→0${hpa ? ` (HorizontalPodAutoscaler ${hpaName(hpa.hpa)} disabled while it is at 0)` : ''}`,
    );
  }
  if (hpas.length) await saveJournal(run, { autoscaling: undefined });
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
    notes.push(await scaleDown(run, color, run.spec.keepPrevious === 'uninstall' ? 'uninstall' : 'scaled-down', 'zero'));
  } catch (error) {
    notes.push(`could not take ${name} down: ${errorMessage(error)}`);
  }
  run.outcome.cleanup = [...(run.outcome.cleanup ?? []), ...notes];
  return notes;
}

/**
 * The writes restoreReplicas() makes: each HPA of the colour that scaleDown() pinned (its bounds
 * back), and each workload it scaled to 0 with the patch that scales it back (within its HPA's
 * bounds, which re-enables the HPA).
 */
export async function replicasToRestore(
  run: Run,
  color: Color,
): Promise<{ kind: WorkloadKind | 'HorizontalPodAutoscaler'; name: string; replicas: number; patch: object }[]> {
  const objects = await colorObjects(finder(run), color);
  const found: { kind: WorkloadKind | 'HorizontalPodAutoscaler'; name: string; replicas: number; patch: object }[] = [];
  const hpas = await autoscaledWorkloads(run.deps.api, run.spec.namespace, objects?.workloads ?? [], run.deps.log);
  for (const a of hpas) {
    const patch = unpinPatch(a.hpa);
    if (patch) found.push({ kind: 'HorizontalPodAutoscaler', name: hpaName(a.hpa), replicas: -1, patch });
  }
  for (const w of await readWorkloads(run.deps.api, run.spec.namespace, objects?.workloads ?? [])) {
    const saved = w.live?.metadata?.annotations?.[ANNOTATIONS.replicas];
    if (!saved || !/^\d+$/.test(saved) || (w.live?.spec?.replicas ?? 1) !== 0) continue;
    const replicas = withinBounds(Number(saved), hpas.find((a) => a.ref === w.ref)?.hpa);
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
  const writes = await replicasToRestore(run, color);
  const hpas = writes.filter((w) => w.kind === 'HorizontalPodAutoscaler').map((w) => w.name);
  if (hpas.length) await saveJournal(run, { autoscaling: { color, change: 'unpin', hpas } });
  for (const w of writes) {
    if (w.kind === 'HorizontalPodAutoscaler') {
      await run.deps.api.patchAutoscaler(run.spec.namespace, w.name, w.patch);
      restored.push(`HorizontalPodAutoscaler ${w.name} unpinned`);
    } else {
      await run.deps.api.patchWorkload(run.spec.namespace, w.kind, w.name, w.patch);
      restored.push(`${w.name} 0→${w.replicas}`);
    }
  }
  if (hpas.length) await saveJournal(run, { autoscaling: undefined });
  return restored;
}
