import { describe, it, expect } from '@jest/globals';
import type { CoreV1Event, KubeApi, V1Pod } from '../src/api.ts';
import { diagnose, diagnosisLines } from '../src/bluegreen/diagnose.ts';
import { parseManifest, quantityBytes } from '../src/bluegreen/release-objects.ts';
import type { LiveWorkload } from '../src/bluegreen/workloads.ts';

const labels = { app: 'web-green' };
const workload: LiveWorkload = {
  ref: { kind: 'Deployment', name: 'web-green', selector: labels, podLabels: labels, replicas: 1, immutable: {} },
  live: { metadata: { name: 'web-green' }, spec: { replicas: 1, selector: { matchLabels: labels }, template: {} } },
};

/** Only the two reads diagnose() makes. */
const api = (pods: V1Pod[], events: CoreV1Event[]) =>
  ({
    listPods: async (_ns: string, selector: string) => (selector === 'app=web-green' ? pods : []),
    listEvents: async () => events,
  }) as unknown as KubeApi;

// A pod as the kubelet reports a container that exits at start-up and is restarted with back-off.
const crashLooping: V1Pod = {
  metadata: { name: 'web-green-5f7c9-abcde', labels },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' },
    ],
    containerStatuses: [
      {
        name: 'web',
        image: 'registry.test/web:2.0.0',
        imageID: '',
        ready: false,
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container=web' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', message: 'panic: DATABASE_URL is not set\n' } },
      },
    ],
  },
};

describe('diagnose: why a colour is not ready, per pod, as Kubernetes reports it', () => {
  it('a crash-looping container: its waiting reason, its restarts and its last message, and the last events', async () => {
    const event = (reason: string, message: string, at: string): CoreV1Event => ({
      metadata: {},
      involvedObject: { kind: 'Pod', name: 'web-green-5f7c9-abcde' },
      type: 'Warning',
      reason,
      message,
      lastTimestamp: new Date(at),
    });
    const found = await diagnose(
      api([crashLooping], [event('BackOff', 'Back-off restarting failed container web', '2026-12-05T10:00:02Z')]),
      'shop',
      [workload],
    );
    expect(diagnosisLines(found)).toEqual([
      'pod web-green-5f7c9-abcde (Running): Ready=False ContainersNotReady: containers with unready status: [web]; container web waiting: CrashLoopBackOff (back-off 1m20s restarting failed container=web); container web restarted 4× (last: Error exit 1: panic: DATABASE_URL is not set); events: Warning BackOff: Back-off restarting failed container web',
    ]);
  });
});

describe('immutable StatefulSet fields as the API server returns them', () => {
  it('a claim template size is compared as a quantity: 1024Mi from the chart is the 1Gi the API server stores', async () => {
    expect(quantityBytes('1Gi')).toBe(quantityBytes('1024Mi'));
    expect(quantityBytes('500M')).toBe(500e6);
    expect(quantityBytes('2Gi')).not.toBe(quantityBytes('1Gi'));
    const manifest = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: web-blue-db }
spec:
  serviceName: web-blue-db
  selector: { matchLabels: { app: web-blue-db } }
  template: { metadata: { labels: { app: web-blue-db } } }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1024Mi } } }
`;
    const [db] = (await parseManifest('web-blue', manifest)).workloads;
    expect(db?.immutable).toEqual({
      serviceName: 'web-blue-db',
      podManagementPolicy: 'OrderedReady',
      volumeClaimTemplates: [{ name: 'data', accessModes: ['ReadWriteOnce'], storage: 2 ** 30 }],
    });
  });
});
