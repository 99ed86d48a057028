import { errorMessage, type Logger } from '@pipeline-toolkit/core';
import { KubeError, type KubeApi, type V2HorizontalPodAutoscaler } from '../api.ts';
import { isColor, type Color } from './model.ts';
import type { WorkloadRef } from './release-objects.ts';
import type { LiveWorkload } from './workloads.ts';

/**
 * Colours whose workloads a HorizontalPodAutoscaler (autoscaling/v2) scales are scaled THROUGH it,
 * never by a replicas patch it would undo (ADR-029):
 *
 * - `minimum`: the idle colour's HPA is pinned, minReplicas = maxReplicas = its minimum (at least 1);
 *   the HPA itself brings the workload there and keeps it. The original bounds are remembered in an
 *   annotation on the HPA, written in the same patch, and restored before the colour is used again.
 * - `zero`: the workload's replicas are set to 0, which the HPA controller documents as implicit
 *   maintenance-mode deactivation: with the target at 0 it stops scaling it (ScalingActive False,
 *   ScalingDisabled) until the replicas are set again. Failed and discarded colours always go to 0.
 *
 * Readiness waits for the HPA's count: replicas within its bounds, the HPA resumed, and equal to
 * status.desiredReplicas whenever the HPA computes one (ScalingActive True).
 */
export type AutoscaledIdle = 'minimum' | 'zero';
export const AUTOSCALED_IDLE = ['minimum', 'zero'] as const satisfies readonly AutoscaledIdle[];

/** On an HPA this toolkit pinned: JSON of the bounds to restore, with the release and colour it belongs to. */
export const PINNED = 'pipeline-toolkit.dev/pinned';

export interface Pin {
  release: string;
  color: Color;
  /** null: the HPA had none (Kubernetes' default, 1). */
  minReplicas: number | null;
  maxReplicas: number;
}

export interface Autoscaled {
  ref: WorkloadRef;
  hpa: V2HorizontalPodAutoscaler;
}

export const hpaName = (hpa: V2HorizontalPodAutoscaler): string => hpa.metadata?.name ?? '';
const minOf = (hpa: V2HorizontalPodAutoscaler): number => hpa.spec?.minReplicas ?? 1;
const maxOf = (hpa: V2HorizontalPodAutoscaler): number => hpa.spec?.maxReplicas ?? 1;

/** Whether the HPA scales this workload (its scaleTargetRef names it, in the apps group). */
export function targets(hpa: V2HorizontalPodAutoscaler, ref: { kind: string; name: string }): boolean {
  const target = hpa.spec?.scaleTargetRef;
  return Boolean(target && target.kind === ref.kind && target.name === ref.name && (target.apiVersion ?? 'apps/v1').startsWith('apps/'));
}

/** The bounds an earlier write of this toolkit pinned away, if this HPA carries them. */
export function pinOf(hpa: V2HorizontalPodAutoscaler): Pin | undefined {
  const text = hpa.metadata?.annotations?.[PINNED];
  if (!text) return undefined;
  try {
    const pin = JSON.parse(text) as Partial<Pin>;
    const min = pin.minReplicas;
    if (
      typeof pin.release === 'string' &&
      isColor(pin.color) &&
      (min === null || (Number.isSafeInteger(min) && (min as number) >= 0)) &&
      Number.isSafeInteger(pin.maxReplicas) &&
      (pin.maxReplicas as number) >= 1
    )
      return pin as Pin;
  } catch {
    // Not ours, or damaged: treated as not pinned (nothing to restore from it).
  }
  return undefined;
}

/**
 * The HPAs that scale the given workloads. Without permission to list HPAs the colour is treated
 * as not autoscaled, with a warning that says what to grant (as before HPAs were honoured).
 */
export async function autoscaledWorkloads(
  api: KubeApi,
  namespace: string,
  refs: readonly WorkloadRef[],
  log?: Pick<Logger, 'warning'>,
): Promise<Autoscaled[]> {
  if (!refs.length) return [];
  let hpas: V2HorizontalPodAutoscaler[];
  try {
    hpas = await api.listAutoscalers(namespace);
  } catch (error) {
    if (error instanceof KubeError && error.status === 403) {
      log?.warning(
        `Cannot list HorizontalPodAutoscalers in ${namespace} (${errorMessage(error)}): an HPA scaling the colour would not be honoured. Grant list and patch on horizontalpodautoscalers (autoscaling).`,
      );
      return [];
    }
    throw error;
  }
  return refs.flatMap((ref) => {
    const hpa = hpas.find((h) => targets(h, ref));
    return hpa ? [{ ref, hpa }] : [];
  });
}

/** The patch that pins an HPA to its minimum, remembering its bounds in the same write. */
export function pinPatch(hpa: V2HorizontalPodAutoscaler, release: string, color: Color): object {
  const floor = Math.max(1, minOf(hpa));
  const pin: Pin = { release, color, minReplicas: hpa.spec?.minReplicas ?? null, maxReplicas: maxOf(hpa) };
  return { metadata: { annotations: { [PINNED]: JSON.stringify(pin) } }, spec: { minReplicas: floor, maxReplicas: floor } };
}

/** The patch that gives a pinned HPA its bounds back (undefined when it is not pinned). */
export function unpinPatch(hpa: V2HorizontalPodAutoscaler): object | undefined {
  const pin = pinOf(hpa);
  if (!pin) return undefined;
  return { metadata: { annotations: { [PINNED]: null } }, spec: { minReplicas: pin.minReplicas, maxReplicas: pin.maxReplicas } };
}

export async function pin(api: KubeApi, namespace: string, a: Autoscaled, release: string, color: Color): Promise<string> {
  const name = hpaName(a.hpa);
  if (pinOf(a.hpa)) return `HorizontalPodAutoscaler ${name} already pinned to ${minOf(a.hpa)}`;
  await api.patchAutoscaler(namespace, name, pinPatch(a.hpa, release, color));
  const floor = Math.max(1, minOf(a.hpa));
  return `HorizontalPodAutoscaler ${name} pinned to ${floor} (was ${minOf(a.hpa)}–${maxOf(a.hpa)}); it scales ${a.ref.kind} ${a.ref.name} there`;
}

/** Restores a pinned HPA's bounds; returns what it did, or undefined when it was not pinned. */
export async function unpin(api: KubeApi, namespace: string, hpa: V2HorizontalPodAutoscaler): Promise<string | undefined> {
  const patch = unpinPatch(hpa);
  const pinned = pinOf(hpa);
  if (!patch || !pinned) return undefined;
  await api.patchAutoscaler(namespace, hpaName(hpa), patch);
  return `HorizontalPodAutoscaler ${hpaName(hpa)} restored to ${pinned.minReplicas ?? 1}–${pinned.maxReplicas}`;
}

/** The replicas to give back to a workload the toolkit set to 0: the saved count, within its HPA's bounds (so the HPA has nothing to undo). */
export function withinBounds(replicas: number, hpa: V2HorizontalPodAutoscaler | undefined): number {
  if (!hpa) return replicas;
  const pinned = pinOf(hpa);
  const min = Math.max(1, pinned ? (pinned.minReplicas ?? 1) : minOf(hpa));
  const max = pinned ? pinned.maxReplicas : maxOf(hpa);
  return Math.min(Math.max(replicas, min), max);
}

/**
 * The one safety net for every path that may have been interrupted (resume, post step): the colour
 * that takes traffic never stays pinned. Unpins every HPA this toolkit pinned for that colour of the
 * release, found by the annotation alone (the post step has no Helm).
 */
export async function unpinLive(
  api: KubeApi,
  namespace: string,
  release: string,
  live: Color | undefined,
  log?: Logger,
): Promise<string[]> {
  if (!live) return [];
  let hpas: V2HorizontalPodAutoscaler[];
  try {
    hpas = await api.listAutoscalers(namespace);
  } catch (error) {
    if (error instanceof KubeError && error.status === 403) return [];
    throw error;
  }
  const notes: string[] = [];
  for (const hpa of hpas) {
    const pinned = pinOf(hpa);
    if (pinned?.release !== release || pinned.color !== live) continue;
    const note = await unpin(api, namespace, hpa);
    if (note) notes.push(`${note} (${live} takes traffic)`);
  }
  if (notes.length) log?.warning(`The live colour ${live} was left pinned by an interrupted run: ${notes.join('; ')}.`);
  return notes;
}

/**
 * What an autoscaled workload still waits for (undefined: at the HPA's count). The HPA must have
 * resumed (after the replicas were restored from 0 its ScalingActive condition still says
 * ScalingDisabled until it reconciles), the replicas must be within its bounds, and equal to its
 * status.desiredReplicas when it computes one from metrics (ScalingActive True). Without metrics
 * (no metrics server) the HPA only holds its bounds, and so does this check.
 */
export function autoscalerWaiting(a: Autoscaled, workload: LiveWorkload | undefined): string | undefined {
  const w = workload?.live;
  if (!w) return undefined; // workloadWaiting() says it is missing
  const name = `HorizontalPodAutoscaler ${hpaName(a.hpa)}`;
  const what = `${a.ref.kind.toLowerCase()} ${a.ref.name}`;
  if (pinOf(a.hpa)) return `${name} is still pinned to ${minOf(a.hpa)}`;
  const replicas = w.spec?.replicas ?? 1;
  if (replicas === 0) return `${what}: at 0 replicas, so ${name} is disabled until its replicas are set again`;
  const min = minOf(a.hpa);
  const max = maxOf(a.hpa);
  if (replicas < min || replicas > max)
    return `${what}: ${replicas} replicas, outside ${name}'s ${min}–${max}; waiting for the HPA to scale it`;
  const conditions = a.hpa.status?.conditions ?? [];
  if (!conditions.length) return `${name} has not reconciled ${what} yet`;
  const active = conditions.find((c) => c.type === 'ScalingActive');
  if (active?.status === 'False' && active.reason === 'ScalingDisabled')
    return `${name} has not resumed since ${what} was scaled back from 0 (ScalingActive: ScalingDisabled)`;
  const desired = a.hpa.status?.desiredReplicas;
  if (active?.status === 'True' && desired !== undefined && desired !== replicas)
    return `${what}: ${name} wants ${desired} replicas, the workload has ${replicas}`;
  return undefined;
}

/** One line per autoscaled workload for the phase detail: the HPA's bounds and the count it settled on. */
export function autoscalerLine(a: Autoscaled, workload: LiveWorkload | undefined): string {
  const active = a.hpa.status?.conditions?.find((c) => c.type === 'ScalingActive');
  const metrics =
    active?.status === 'True'
      ? `desired ${a.hpa.status?.desiredReplicas}`
      : `no metrics (${active?.reason ?? 'unknown'}), holding its bounds`;
  return `HPA ${hpaName(a.hpa)} ${minOf(a.hpa)}–${maxOf(a.hpa)}: ${workload?.live?.spec?.replicas ?? '?'} replicas, ${metrics}`;
}
