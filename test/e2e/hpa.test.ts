/**
 * hpa: colours whose Deployment a HorizontalPodAutoscaler (autoscaling/v2) scales, through deploy,
 * rollback and resume on the REAL control plane (test/cluster) with real Helm 4. The cluster's
 * kube-controller-manager runs the HPA controller (every 2 s). There is no metrics server, so the
 * HPA cannot compute a CPU recommendation (ScalingActive False, FailedGetResourceMetric) and does
 * what Kubernetes' controller does then: it holds the target within its bounds — it scales the
 * chart's Deployment, which renders no replicas (Kubernetes' default 1), up to minReplicas. That is
 * what these tests rely on and assert: every count comes from the HPA, none from a replicas patch.
 */
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec, MemoryLogger } from '@pipeline-toolkit/core';
import { requireTool } from '@pipeline-toolkit/testing';
import {
  connect,
  Helm,
  PINNED,
  recoverInterrupted,
  runDeploy,
  systemClock,
  type DeploySpec,
  type EngineDeps,
  type Journal,
  type Mode,
} from '@pipeline-toolkit/k8s';
import { startCluster, createNamespace, type Cluster } from '../cluster/cluster.ts';
import { api, waitFor } from '../cluster/api.ts';

jest.setTimeout(240_000);

let cluster: Cluster;
let chart: string;

// The HPA's bounds, read by the assertions below from these values (never from a run).
const MIN = 2;
const MAX = 4;

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "1"\n',
  'values.yaml': `image:\n  repository: registry.test/web\n  tag: "1.0.0"\nautoscaling:\n  minReplicas: ${MIN}\n  maxReplicas: ${MAX}\n`,
  // As Kubernetes recommends for autoscaled workloads (and `helm create` does): no spec.replicas.
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  selector:
    matchLabels: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }} }
  template:
    metadata:
      labels: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }} }
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports: [{ name: http, containerPort: 8080 }]
          resources: { requests: { cpu: 100m } }
`,
  'templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }} }
  ports: [{ name: http, port: 80, targetPort: http }]
`,
  'templates/hpa.yaml': `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .Release.Name }}
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: {{ .Release.Name }} }
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API objects as JSON
const get = async (apiPath: string): Promise<any> => (await api<any>(cluster, 'GET', apiPath)).body;
const hpa = (ns: string, name: string) => get(`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/${name}`);
const deployment = (ns: string, name: string) => get(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
const liveColor = async (ns: string) =>
  (await get(`/api/v1/namespaces/${ns}/services/web`)).metadata.annotations['pipeline-toolkit.dev/live-color'];

beforeAll(async () => {
  cluster = await startCluster();
  chart = await mkdtemp(path.join(tmpdir(), 'ptk-hpa-chart-'));
  await mkdir(path.join(chart, 'templates'));
  for (const [file, text] of Object.entries(CHART)) await writeFile(path.join(chart, file), text);
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

async function engine(journals: Journal[] = []) {
  const log = new MemoryLogger();
  const connection = await connect({ kind: 'kubeconfig-file', path: cluster.kubeconfigPath }, log);
  const helm = new Helm({ binary: requireTool('helm4').path, exec, kubeconfig: () => connection.helmKubeconfig(), log });
  const deps: EngineDeps = {
    api: connection.api,
    helm,
    log,
    clock: systemClock,
    previewUrl: () => 'http://127.0.0.1:9/unused',
    productionUrl: () => 'http://127.0.0.1:9/unused',
    saveJournal: async (j) => void journals.push(j),
    signal: new AbortController().signal,
    pollMs: 250,
  };
  return { deps, log, connection, helm };
}

const spec = (namespace: string, overrides: Partial<DeploySpec> = {}): DeploySpec => ({
  namespace,
  release: 'web',
  chart,
  valuesFiles: [],
  set: [],
  tag: '1.0.0',
  timeoutMs: 60_000,
  drainMs: 500,
  keepPrevious: 'scaled-down',
  lockTimeoutMs: 0,
  runId: `acme/shop#${Math.random().toString(36).slice(2, 8)}`,
  ...overrides,
});

async function run(ns: string, mode: Mode, overrides: Partial<DeploySpec> = {}) {
  const { deps, log } = await engine();
  const outcome = await runDeploy(spec(ns, overrides), deps, mode);
  return { outcome, log };
}

describe('hpa: autoscaled colours on a real control plane', () => {
  it('hpa deploy waits for the HPA count, pins the previous colour to its minimum, rollback restores it', async () => {
    const ns = await createNamespace(cluster);

    const first = await run(ns, 'full');
    expect(first.outcome.error).toBeUndefined();
    // Ready only at the HPA's count: the chart renders no replicas (1), the HPA raised it to its minimum.
    expect((await deployment(ns, 'web-blue')).spec.replicas).toBe(MIN);
    expect(first.outcome.phases.find((p) => p.name === 'wait-ready')?.detail).toContain(`HPA web-blue ${MIN}–${MAX}: ${MIN} replicas`);

    const second = await run(ns, 'full', { tag: '1.1.0' });
    expect(second.outcome.error).toBeUndefined();
    expect(await liveColor(ns)).toBe('green');
    expect((await deployment(ns, 'web-green')).spec.replicas).toBe(MIN);
    // The previous colour went through its HPA: pinned min = max = its minimum, bounds remembered; no replicas patch.
    const pinned = await hpa(ns, 'web-blue');
    expect(pinned.spec).toMatchObject({ minReplicas: MIN, maxReplicas: MIN });
    expect(JSON.parse(pinned.metadata.annotations[PINNED])).toEqual({ release: 'web', color: 'blue', minReplicas: MIN, maxReplicas: MAX });
    expect((await deployment(ns, 'web-blue')).metadata.annotations?.['pipeline-toolkit.dev/replicas']).toBeUndefined();
    expect(second.outcome.phases.find((p) => p.name === 'scale-down')?.detail).toContain(
      `HorizontalPodAutoscaler web-blue pinned to ${MIN}`,
    );

    const back = await run(ns, 'rollback');
    expect(back.outcome.error).toBeUndefined();
    expect(back.outcome.result).toBe('rolled-back');
    expect(await liveColor(ns)).toBe('blue');
    const restored = await hpa(ns, 'web-blue');
    expect(restored.spec).toMatchObject({ minReplicas: MIN, maxReplicas: MAX });
    expect(restored.metadata.annotations?.[PINNED]).toBeUndefined();
    // The failed colour goes to 0, which the HPA controller answers by disabling itself (not by scaling it back).
    expect((await deployment(ns, 'web-green')).spec.replicas).toBe(0);
    const disabled = await waitFor('the HPA of green to say scaling is disabled', async () => {
      const h = await hpa(ns, 'web-green');
      return h.status?.conditions?.find(
        (c: { type: string; reason?: string }) => c.type === 'ScalingActive' && c.reason === 'ScalingDisabled',
      );
    });
    expect(disabled.status).toBe('False');
    expect((await deployment(ns, 'web-green')).spec.replicas).toBe(0);

    // The next deploy of green sets its replicas back within the HPA's bounds; the HPA resumes and the colour is ready at its count.
    const again = await run(ns, 'full', { tag: '1.2.0' });
    expect(again.outcome.error).toBeUndefined();
    expect(await liveColor(ns)).toBe('green');
    expect((await deployment(ns, 'web-green')).spec.replicas).toBe(MIN);
  });

  it('hpa zero: autoscaled-idle zero scales the previous colour to 0, which disables its HPA until it is used again', async () => {
    const ns = await createNamespace(cluster);
    expect((await run(ns, 'full')).outcome.error).toBeUndefined();
    const second = await run(ns, 'full', { tag: '1.1.0', autoscaledIdle: 'zero' });
    expect(second.outcome.error).toBeUndefined();
    expect((await deployment(ns, 'web-blue')).spec.replicas).toBe(0);
    expect((await hpa(ns, 'web-blue')).spec).toMatchObject({ minReplicas: MIN, maxReplicas: MAX });
    await waitFor('the HPA of blue to disable itself', async () => {
      const h = await hpa(ns, 'web-blue');
      return h.status?.conditions?.some((c: { type: string; reason?: string }) => c.reason === 'ScalingDisabled') || undefined;
    });
    // The HPA leaves it there (a later read, after the HPA reconciled, still sees 0).
    expect((await deployment(ns, 'web-blue')).spec.replicas).toBe(0);
  });

  it('hpa resume: a live colour left pinned by an interrupted run is unpinned by the post step and by the next run', async () => {
    const ns = await createNamespace(cluster);
    expect((await run(ns, 'full')).outcome.error).toBeUndefined();
    expect((await run(ns, 'full', { tag: '1.1.0' })).outcome.error).toBeUndefined();
    // As if a run had pinned green (now live) and died: the state an interrupted scale-down leaves.
    const pinGreen = async () => {
      const res = await api(
        cluster,
        'PATCH',
        `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/web-green`,
        {
          metadata: { annotations: { [PINNED]: JSON.stringify({ release: 'web', color: 'green', minReplicas: MIN, maxReplicas: MAX }) } },
          spec: { minReplicas: MIN, maxReplicas: MIN },
        },
        { contentType: 'application/merge-patch+json' },
      );
      expect(res.status).toBe(200);
    };
    await pinGreen();
    const { deps, helm } = await engine();
    const journal: Journal = {
      namespace: ns,
      release: 'web',
      runId: 'acme/shop#dead',
      lockHeld: false,
      finished: false,
      autoscaling: { color: 'green', change: 'pin', hpas: ['web-green'] },
    };
    const notes = await recoverInterrupted(deps.api, helm, journal, new MemoryLogger());
    expect(notes.join('\n')).toContain(`HorizontalPodAutoscaler web-green restored to ${MIN}–${MAX} (green takes traffic)`);
    expect((await hpa(ns, 'web-green')).spec).toMatchObject({ minReplicas: MIN, maxReplicas: MAX });

    // Resume: the next run finds it pinned again and unpins it before anything else.
    await pinGreen();
    const next = await run(ns, 'full', { tag: '1.2.0' });
    expect(next.outcome.error).toBeUndefined();
    expect(next.outcome.cleanup?.join('\n')).toContain('HorizontalPodAutoscaler web-green restored');
    const green = await hpa(ns, 'web-green');
    // green is the previous colour after that run: pinned again, by this run, from its real bounds.
    expect(JSON.parse(green.metadata.annotations[PINNED])).toMatchObject({ minReplicas: MIN, maxReplicas: MAX });
    expect(await liveColor(ns)).toBe('blue');
  });
});
