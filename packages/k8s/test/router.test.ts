import { describe, it, expect } from '@jest/globals';
import { InputError } from '@pipeline-toolkit/core';
import { selectorPatch, routerState, selectedColor } from '../src/bluegreen/routers/service.ts';
import { endpointsWaiting } from '../src/bluegreen/readiness.ts';
import { workloadWaiting } from '../src/bluegreen/workloads.ts';
import { decodeKubeconfig } from '../src/source.ts';
import type { V1Deployment, V1DeploymentStatus } from '@kubernetes/client-node';

describe('router state', () => {
  it('builds a merge patch that removes labels the new selector does not have', () => {
    expect(selectorPatch({ a: '1', b: '2' }, { a: '3' })).toEqual({ a: '3', b: null });
    expect(selectorPatch(null, { a: '1' })).toEqual({ a: '1' });
    expect(selectorPatch({ a: '1' }, null)).toBeNull();
  });

  it('reads the colour from the instance label and the state from annotations', () => {
    expect(selectedColor({ 'app.kubernetes.io/instance': 'web-green' }, 'web')).toBe('green');
    expect(selectedColor({ 'app.kubernetes.io/instance': 'other-green' }, 'web')).toBeUndefined();
    const state = routerState('web', {
      metadata: {
        annotations: {
          'pipeline-toolkit.dev/live-color': 'green',
          'pipeline-toolkit.dev/verified': 'false',
          'pipeline-toolkit.dev/pending-color': 'purple',
        },
      },
      spec: { selector: {} },
    });
    expect(state).toMatchObject({ liveColor: 'green', verified: false, route: null });
    expect(state.pending).toBeUndefined();
  });
});

describe('readiness', () => {
  const ref = {
    kind: 'Deployment' as const,
    name: 'web-blue',
    selector: { app: 'web' },
    podLabels: { app: 'web' },
    replicas: 2,
    immutable: {},
  };
  const live = (status: V1DeploymentStatus, replicas = 2): V1Deployment => ({
    metadata: { name: 'web-blue', generation: 3 },
    spec: { replicas, selector: {}, template: { metadata: { labels: { app: 'web' } } } },
    status,
  });
  const deployment = (status: V1DeploymentStatus, replicas = 2) => ({ ref, live: live(status, replicas) });
  const deploymentWaiting = workloadWaiting;
  it('needs the latest generation observed and every replica updated, ready and available', () => {
    expect(
      deploymentWaiting(deployment({ observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })),
    ).toBeUndefined();
    expect(
      deploymentWaiting(deployment({ observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })),
    ).toMatch(/not observed generation 3/);
    expect(
      deploymentWaiting(deployment({ observedGeneration: 3, replicas: 3, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })),
    ).toBe('deployment web-blue: 2/2 ready, 2 updated, 2 available, 3 total');
    expect(
      deploymentWaiting(
        deployment({
          observedGeneration: 3,
          replicas: 2,
          updatedReplicas: 2,
          readyReplicas: 0,
          conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' }],
        }),
      ),
    ).toMatch(/\(ProgressDeadlineExceeded: timed out\)$/);
  });

  it('needs EndpointSlices listing exactly the ready pods of the colour', () => {
    const service = 'web';
    const d = deployment({});
    const pods = new Set(['web-blue-1-a', 'web-blue-1-b']);
    const slice = (endpoints: { pod: string; ready: boolean }[]) => [
      {
        addressType: 'IPv4',
        endpoints: endpoints.map((e) => ({ addresses: ['10.0.0.1'], conditions: { ready: e.ready }, targetRef: { name: e.pod } })),
      },
    ];
    expect(
      endpointsWaiting(
        service,
        [d],
        pods,
        slice([
          { pod: 'web-blue-1-a', ready: true },
          { pod: 'web-blue-1-b', ready: true },
        ]),
      ),
    ).toBeUndefined();
    expect(
      endpointsWaiting(
        service,
        [d],
        pods,
        slice([
          { pod: 'web-blue-1-a', ready: true },
          { pod: 'web-blue-1-b', ready: false },
        ]),
      ),
    ).toBe('service web: 1/2 ready endpoints');
    expect(
      endpointsWaiting(
        service,
        [d],
        pods,
        slice([
          { pod: 'web-blue-1-a', ready: true },
          { pod: 'web-blue-1-b', ready: true },
          { pod: 'web-green-1-a', ready: true },
        ]),
      ),
    ).toMatch(/still list pods of another colour or release \(web-green-1-a\)/);
  });
});

describe('decodeKubeconfig', () => {
  const yaml = 'apiVersion: v1\nclusters:\n- name: c\ncontexts: []\nusers: []\n';
  it('accepts raw YAML and base64 of it', () => {
    expect(decodeKubeconfig(yaml)).toBe(yaml.trim());
    expect(decodeKubeconfig(Buffer.from(yaml).toString('base64'))).toBe(yaml);
  });
  it('refuses anything else without echoing it', () => {
    const secret = 'not-a-kubeconfig-s3cr3t';
    let error: unknown;
    try {
      decodeKubeconfig(secret);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).not.toContain(secret);
  });
});
