/**
 * hpa: the rules that decide when an autoscaled workload is at its HPA's count, and the pin and
 * restore patches, on HPA objects written as the controller writes them (conditions, desiredReplicas).
 * The branch with working metrics (ScalingActive True) is only here: the e2e cluster has no metrics server.
 */
import { describe, it, expect } from '@jest/globals';
import type { V2HorizontalPodAutoscaler } from '../src/api.ts';
import {
  autoscalerWaiting,
  pinOf,
  pinPatch,
  PINNED,
  targets,
  unpinPatch,
  withinBounds,
  type Autoscaled,
} from '../src/bluegreen/autoscale.ts';
import type { LiveWorkload } from '../src/bluegreen/workloads.ts';
import type { WorkloadRef } from '../src/bluegreen/release-objects.ts';

const ref = { kind: 'Deployment', name: 'web-green', selector: { app: 'web-green' }, replicas: 1 } as unknown as WorkloadRef;

function hpa(
  min: number | undefined,
  max: number,
  status?: Partial<NonNullable<V2HorizontalPodAutoscaler['status']>>,
  annotations?: Record<string, string>,
) {
  return {
    metadata: { name: 'web-green', ...(annotations ? { annotations } : {}) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-green' },
      ...(min !== undefined ? { minReplicas: min } : {}),
      maxReplicas: max,
    },
    ...(status ? { status } : {}),
  } as V2HorizontalPodAutoscaler;
}
const workload = (replicas: number): LiveWorkload => ({ ref, live: { spec: { replicas } } as LiveWorkload['live'] });
const active = (status: 'True' | 'False', reason: string) => ({ type: 'ScalingActive', status, reason });
const waiting = (h: V2HorizontalPodAutoscaler, replicas: number) => autoscalerWaiting({ ref, hpa: h } as Autoscaled, workload(replicas));

describe('hpa readiness: the HPA count', () => {
  it('waits for the HPA to move a workload that is outside its bounds', () => {
    const h = hpa(2, 4, { desiredReplicas: 0, conditions: [active('False', 'FailedGetResourceMetric')] });
    expect(waiting(h, 1)).toBe(
      "deployment web-green: 1 replicas, outside HorizontalPodAutoscaler web-green's 2–4; waiting for the HPA to scale it",
    );
    expect(waiting(h, 5)).toMatch(/5 replicas, outside/);
  });

  it('without metrics, accepts the count the HPA holds within its bounds (desiredReplicas is stale then)', () => {
    expect(waiting(hpa(2, 4, { desiredReplicas: 0, conditions: [active('False', 'FailedGetResourceMetric')] }), 3)).toBeUndefined();
  });

  it('with metrics, waits until the workload has the HPA’s desiredReplicas', () => {
    const h = hpa(2, 6, { desiredReplicas: 5, conditions: [active('True', 'ValidMetricFound')] });
    expect(waiting(h, 2)).toBe('deployment web-green: HorizontalPodAutoscaler web-green wants 5 replicas, the workload has 2');
    expect(waiting(h, 5)).toBeUndefined();
  });

  it('waits for an HPA that never reconciled, one still disabled after a restore from 0, and one still pinned', () => {
    expect(waiting(hpa(2, 4), 2)).toBe('HorizontalPodAutoscaler web-green has not reconciled deployment web-green yet');
    expect(waiting(hpa(2, 4, { desiredReplicas: 0, conditions: [active('False', 'ScalingDisabled')] }), 2)).toMatch(
      /has not resumed since deployment web-green was scaled back from 0/,
    );
    const pinned = hpa(
      2,
      2,
      { desiredReplicas: 2, conditions: [active('True', 'ValidMetricFound')] },
      {
        [PINNED]: JSON.stringify({ release: 'web', color: 'green', minReplicas: 2, maxReplicas: 4 }),
      },
    );
    expect(waiting(pinned, 2)).toBe('HorizontalPodAutoscaler web-green is still pinned to 2');
    expect(waiting(hpa(2, 4, { conditions: [active('False', 'ScalingDisabled')] }), 0)).toMatch(/at 0 replicas, so .* is disabled/);
  });
});

describe('hpa pin and restore', () => {
  it('pins to the minimum (at least 1) and remembers the bounds in the same patch; restore gives them back', () => {
    const h = hpa(3, 8);
    const patch = pinPatch(h, 'web', 'green') as { metadata: { annotations: Record<string, string> }; spec: object };
    expect(patch.spec).toEqual({ minReplicas: 3, maxReplicas: 3 });
    const pinned = { ...h, metadata: { ...h.metadata, annotations: patch.metadata.annotations } } as V2HorizontalPodAutoscaler;
    expect(pinOf(pinned)).toEqual({ release: 'web', color: 'green', minReplicas: 3, maxReplicas: 8 });
    expect(unpinPatch(pinned)).toEqual({ metadata: { annotations: { [PINNED]: null } }, spec: { minReplicas: 3, maxReplicas: 8 } });
    expect(unpinPatch(h)).toBeUndefined();
  });

  it('an HPA without minReplicas (default 1) or with 0 (HPAScaleToZero) is pinned to 1 and restored as it was', () => {
    expect((pinPatch(hpa(undefined, 5), 'web', 'blue') as { spec: object }).spec).toEqual({ minReplicas: 1, maxReplicas: 1 });
    const zero = pinPatch(hpa(0, 5), 'web', 'blue') as { metadata: { annotations: Record<string, string> }; spec: object };
    expect(zero.spec).toEqual({ minReplicas: 1, maxReplicas: 1 });
    expect(JSON.parse(zero.metadata.annotations[PINNED]!)).toMatchObject({ minReplicas: 0, maxReplicas: 5 });
    const none = pinPatch(hpa(undefined, 5), 'web', 'blue') as { metadata: { annotations: Record<string, string> } };
    expect(JSON.parse(none.metadata.annotations[PINNED]!)).toMatchObject({ minReplicas: null });
  });

  it('restores replicas from 0 within the HPA’s (original) bounds, and ignores an annotation it did not write', () => {
    expect(withinBounds(9, hpa(2, 4))).toBe(4);
    expect(withinBounds(1, hpa(2, 4))).toBe(2);
    expect(withinBounds(3, undefined)).toBe(3);
    expect(pinOf(hpa(2, 4, undefined, { [PINNED]: 'not json' }))).toBeUndefined();
    expect(pinOf(hpa(2, 4, undefined, { [PINNED]: '{"release":"web","color":"red","minReplicas":1,"maxReplicas":2}' }))).toBeUndefined();
  });

  it('matches the HPA to the workload by kind and name in the apps group', () => {
    expect(targets(hpa(1, 2), { kind: 'Deployment', name: 'web-green' })).toBe(true);
    expect(targets(hpa(1, 2), { kind: 'StatefulSet', name: 'web-green' })).toBe(false);
    expect(targets(hpa(1, 2), { kind: 'Deployment', name: 'web-blue' })).toBe(false);
  });
});
