import { describe, it, expect } from '@jest/globals';
import type { CoreV1Event, KubeApi, V1Pod, V1Service, Workload } from '../src/api.ts';
import { immutableChanges, immutableRefusals } from '../src/bluegreen/preflight.ts';
import type { Run } from '../src/bluegreen/run.ts';
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

describe('immutable changes: what recreating the idle colour may fix, and what it may not', () => {
  const helmOwned = (release: string) => ({ annotations: { 'meta.helm.sh/release-name': release } });
  const run = (live: { services?: Record<string, V1Service>; workloads?: Record<string, Workload> }) =>
    ({
      spec: { namespace: 'shop' },
      deps: {
        api: {
          readService: async (_ns: string, name: string) => live.services?.[name],
          readWorkload: async (_ns: string, _kind: string, name: string) => live.workloads?.[name],
        },
      },
    }) as unknown as Run;
  const rendered = (release: string) =>
    parseManifest(
      release,
      `apiVersion: v1
kind: Service
metadata: { name: ${release}-db }
spec: { clusterIP: None, selector: { app: ${release}-db }, ports: [{ port: 5432 }] }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: ${release}-db }
spec:
  serviceName: ${release}-db
  selector: { matchLabels: { app: ${release}-db } }
  template: { metadata: { labels: { app: ${release}-db } } }
`,
    );

  it('a Service that becomes headless and an unchanged StatefulSet: one change, owned by the idle release, not refused', async () => {
    const changes = await immutableChanges(
      run({
        services: { 'web-blue-db': { metadata: { name: 'web-blue-db', ...helmOwned('web-blue') }, spec: { clusterIP: '10.96.0.7' } } },
        workloads: {
          'web-blue-db': {
            metadata: { name: 'web-blue-db', ...helmOwned('web-blue') },
            spec: { serviceName: 'web-blue-db', selector: { matchLabels: { app: 'web-blue-db' } }, template: {} },
          },
        },
      }),
      await rendered('web-blue'),
    );
    expect(changes).toEqual([
      {
        kind: 'Service',
        name: 'web-blue-db',
        changed: ['is not headless but the chart now renders it headless (clusterIP None)'],
        selector: {},
        owner: 'web-blue',
      },
    ]);
    expect(immutableRefusals(changes, 'web-blue', 'web-green')).toEqual([]);
  });

  it('the same change to an object of the live colour is refused, naming the owner', async () => {
    const changes = await immutableChanges(
      run({
        services: { 'web-blue-db': { metadata: { name: 'web-blue-db', ...helmOwned('web-green') }, spec: { clusterIP: '10.96.0.7' } } },
      }),
      await rendered('web-blue'),
    );
    expect(immutableRefusals(changes, 'web-blue', 'web-green')).toEqual([
      'Service web-blue-db is not headless but the chart now renders it headless (clusterIP None); these fields are immutable, and web-blue-db belongs to release web-green, the live colour, not to web-blue, so it cannot be recreated safely. Nothing was changed; rename the object in the chart (build its name from {{ .Release.Name }}).',
    ]);
  });
});
