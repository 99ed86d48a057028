/**
 * The blue-green engine against a REAL control plane (etcd, kube-apiserver, controller-manager,
 * scheduler, kwok nodes — test/cluster) with real Helm 3 and Helm 4. No container runs on kwok
 * nodes, so a loopback "ingress" stands in for kube-proxy: it follows the router's (or a colour
 * Service's) EndpointSlices to a ready pod, reads that pod's image tag from the API server, and
 * answers 500 for images tagged as broken. The smoke gates are the real smoke package against it.
 *
 * Every scenario watches the router Service and the Deployments (real watch streams) while it runs
 * and asserts that the router never selected a colour that was not fully ready, and that the
 * previous colour stayed at full scale until the post-switch gate passed.
 */
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { request } from 'node:https';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import path from 'node:path';
import { exec, MemoryLogger } from '@pipeline-toolkit/core';
import { json, requireTool, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { loadSuite, runSuite, type Suite } from '@pipeline-toolkit/smoke';
import {
  ANNOTATIONS,
  connect,
  Helm,
  recoverInterrupted,
  runDeploy,
  systemClock,
  type Color,
  type DeploySpec,
  type EngineDeps,
  type Gate,
  type Journal,
  type Mode,
} from '@pipeline-toolkit/k8s';
import { startCluster, createNamespace, type Cluster } from '../cluster/cluster.ts';
import { api, waitFor } from '../cluster/api.ts';

jest.setTimeout(180_000);

let cluster: Cluster;
let ingress: LoopbackServer;
let chart: string;
let suite: Suite;

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "1"\n',
  'values.yaml': 'replicaCount: 2\nimage:\n  repository: registry.test/web\n  tag: "1.0.0"\n',
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }}, app.kubernetes.io/managed-by: {{ .Release.Service }} }
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app.kubernetes.io/name: web
      app.kubernetes.io/instance: {{ .Release.Name }}
      {{- with .Values.extraSelector }}
      extra: {{ . | quote }}
      {{- end }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
        app.kubernetes.io/instance: {{ .Release.Name }}
        {{- with .Values.extraSelector }}
        extra: {{ . | quote }}
        {{- end }}
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports: [{ name: http, containerPort: 8080 }]
`,
  'templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
  labels: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }}, app.kubernetes.io/managed-by: {{ .Release.Service }} }
spec:
  selector: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }} }
  ports: [{ name: http, port: 80, targetPort: http }]
`,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API objects as JSON
const get = (apiPath: string) => api<any>(cluster, 'GET', apiPath);

/** The fields of Services and Deployments these tests read, as JSON from the API server. */
type K8sObject = {
  metadata: {
    name: string;
    resourceVersion: string;
    generation?: number;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec?: { replicas?: number; selector?: Record<string, string> };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number };
};
type Endpoint = { conditions?: { ready?: boolean }; targetRef?: { name?: string } };

/** What kube-proxy would do: a ready endpoint of the Service, then that pod's image. */
async function serve(namespace: string, service: string, broken: RegExp): Promise<{ status: number; body: unknown }> {
  const slices = await get(
    `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices?labelSelector=kubernetes.io/service-name=${service}`,
  );
  const ready = (slices.body.items ?? [])
    .flatMap((s: { endpoints?: Endpoint[] }) => s.endpoints ?? [])
    .filter((e: Endpoint) => e.conditions?.ready !== false && e.targetRef?.name);
  if (!ready.length) return { status: 503, body: { error: 'no ready endpoint' } };
  const pod = await get(`/api/v1/namespaces/${namespace}/pods/${ready[0].targetRef.name}`);
  const image: string = pod.body.spec?.containers?.[0]?.image ?? '';
  const tag = image.slice(image.lastIndexOf(':') + 1);
  return {
    status: broken.test(tag) ? 500 : 200,
    body: { status: broken.test(tag) ? 'error' : 'ok', version: tag, pod: pod.body.metadata?.name },
  };
}

beforeAll(async () => {
  cluster = await startCluster();
  chart = await mkdtemp(path.join(tmpdir(), 'ptk-chart-'));
  await mkdir(path.join(chart, 'templates'));
  for (const [file, text] of Object.entries(CHART)) await writeFile(path.join(chart, file), text);
  // /prod/<ns>/… goes through the router Service `web`; /preview/<ns>/<colour>/… through the colour's own Service.
  ingress = await startServer(async (req, res) => {
    const [, kind, namespace, color] = req.url.split('/');
    // Images tagged broken fail everywhere; broken-after-switch only behind the router (production).
    const answer = kind === 'prod' ? await serve(namespace!, 'web', /^broken/) : await serve(namespace!, `web-${color}`, /^broken$/);
    json(res, answer.status, answer.body);
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'ptk-smoke-'));
  await writeFile(
    path.join(dir, 'smoke.yml'),
    'defaults: { retries: 0, timeout: 5s }\nchecks:\n  - name: health\n    tags: [critical]\n    http: { path: /health, expect: { status: 200, json: { "$.status": ok } } }\n',
  );
  suite = await loadSuite({ config: 'smoke.yml', cwd: dir, env: {} });
}, 180_000);

afterAll(async () => {
  await ingress?.close();
  await cluster?.stop();
});

/** A real watch stream (?watch=1) recording every version of the matching objects. */
function watch(apiPath: string): { events: K8sObject[]; stop(): void } {
  const events: K8sObject[] = [];
  const url = new URL(`${cluster.server}${apiPath}${apiPath.includes('?') ? '&' : '?'}watch=1`);
  let buffer = '';
  const req = request(url, { headers: { authorization: `Bearer ${cluster.token}` }, ca: cluster.ca }, (res) => {
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim()) events.push((JSON.parse(line) as { object: K8sObject }).object);
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { events, stop: () => req.destroy() };
}

/** Watches the router and the Deployments of a namespace during a run; checks() asserts the two invariants. */
function observe(namespace: string) {
  const router = watch(`/api/v1/namespaces/${namespace}/services?fieldSelector=metadata.name%3Dweb`);
  const deployments = watch(`/apis/apps/v1/namespaces/${namespace}/deployments`);
  const rv = (o: K8sObject) => Number(o.metadata.resourceVersion);
  const fullyReady = (d: K8sObject | undefined) => {
    const s = d?.status ?? {};
    const want = d?.spec?.replicas ?? 1;
    return (
      want > 0 &&
      (s.observedGeneration ?? 0) >= (d?.metadata.generation ?? 0) &&
      s.updatedReplicas === want &&
      s.readyReplicas === want &&
      s.availableReplicas === want &&
      s.replicas === want
    );
  };
  const stateAt = (name: string, version: number) => deployments.events.filter((d) => d.metadata.name === name && rv(d) < version).at(-1);
  return {
    router,
    deployments,
    async settle() {
      await new Promise((r) => setTimeout(r, 300));
      router.stop();
      deployments.stop();
    },
    /** Colours the router selected, in order (null: none). */
    selections(): (string | null)[] {
      const seen: (string | null)[] = [];
      for (const s of router.events) {
        const colour = s.spec?.selector?.['app.kubernetes.io/instance'] ?? null;
        if (seen.at(-1) !== colour) seen.push(colour);
      }
      return seen;
    },
    /** The router never selected a colour whose Deployment was not fully ready at that moment (by resourceVersion order). */
    assertNeverRoutedToUnready(): void {
      for (const s of router.events) {
        const instance = s.spec?.selector?.['app.kubernetes.io/instance'];
        if (!instance) continue;
        const at = stateAt(instance, rv(s));
        if (!fullyReady(at))
          throw new Error(`router selected ${instance} at resourceVersion ${rv(s)} while it was ${JSON.stringify(at?.status)}`);
      }
    },
    /**
     * For every switch A → B the router made: A's Deployment stayed at full scale and ready from the
     * switch until B was recorded as verified, or until traffic went back to A.
     */
    assertPreviousKeptUntilVerified(): void {
      const instance = (s: K8sObject) => s.spec?.selector?.['app.kubernetes.io/instance'];
      router.events.forEach((event, i) => {
        const from = i > 0 ? instance(router.events[i - 1]!) : undefined;
        const to = instance(event);
        if (!from || !to || from === to) return;
        // A rollback write restores a verified colour and says so itself; the failed colour may go at once.
        if (event.metadata.annotations?.[ANNOTATIONS.verified] === 'true') return;
        const end = router.events.slice(i + 1).find((e) => instance(e) !== to || e.metadata.annotations?.[ANNOTATIONS.verified] === 'true');
        const until = end ? rv(end) : Infinity;
        const atSwitch = stateAt(from, rv(event));
        if (!fullyReady(atSwitch)) throw new Error(`${from} was not at full scale when the router switched to ${to}`);
        for (const d of deployments.events.filter((e) => e.metadata.name === from && rv(e) > rv(event) && rv(e) < until)) {
          if (d.spec?.replicas !== atSwitch?.spec?.replicas) {
            throw new Error(
              `${from} was scaled to ${d.spec?.replicas} at resourceVersion ${rv(d)}, before the switch to ${to} was verified`,
            );
          }
        }
      });
    },
    /** Stops watching and asserts both invariants. */
    async check(): Promise<void> {
      await this.settle();
      this.assertNeverRoutedToUnready();
      this.assertPreviousKeptUntilVerified();
    },
  };
}

const smokeGate: Gate = async ({ url }) => {
  const result = await runSuite(suite, { target: url, log: new MemoryLogger() });
  const failed = result.checks.filter((c) => c.status === 'failed');
  return {
    passed: result.result === 'passed',
    summary: failed.length
      ? failed.map((c) => `${c.name}: ${c.message}`).join('; ')
      : `${result.summary.passed}/${result.summary.total} passed`,
  };
};

async function engine(namespace: string, helmTool: 'helm3' | 'helm4', overrides: Partial<EngineDeps> = {}) {
  const log = new MemoryLogger();
  const connection = await connect({ kind: 'kubeconfig-file', path: cluster.kubeconfigPath }, log);
  const helm = new Helm({ binary: requireTool(helmTool).path, exec, kubeconfig: () => connection.helmKubeconfig(), log });
  const journals: Journal[] = [];
  const deps: EngineDeps = {
    api: connection.api,
    helm,
    log,
    clock: systemClock,
    preSwitchGate: smokeGate,
    postSwitchGate: smokeGate,
    previewUrl: (color: Color) => `${ingress.url}/preview/${namespace}/${color}`,
    productionUrl: () => `${ingress.url}/prod/${namespace}`,
    saveJournal: async (j) => void journals.push(j),
    signal: new AbortController().signal,
    pollMs: 250,
    ...overrides,
  };
  return { deps, log, journals, helm, connection };
}

const spec = (namespace: string, overrides: Partial<DeploySpec> = {}): DeploySpec => ({
  namespace,
  release: 'web',
  chart,
  valuesFiles: [],
  set: [],
  tag: '1.0.0',
  timeoutMs: 30_000,
  drainMs: 1_000,
  keepPrevious: 'scaled-down',
  lockTimeoutMs: 0,
  runId: `acme/shop#${Math.random().toString(36).slice(2, 8)}`,
  ...overrides,
});

async function deploy(
  namespace: string,
  helmTool: 'helm3' | 'helm4',
  mode: Mode,
  overrides: Partial<DeploySpec> = {},
  deps: Partial<EngineDeps> = {},
) {
  const { deps: d } = await engine(namespace, helmTool, deps);
  return runDeploy(spec(namespace, overrides), d, mode);
}

async function router(namespace: string): Promise<K8sObject> {
  return (await get(`/api/v1/namespaces/${namespace}/services/web`)).body;
}
async function replicas(namespace: string, name: string): Promise<number> {
  return (await get(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`)).body.spec.replicas;
}
const prod = async (namespace: string) => (await fetch(`${ingress.url}/prod/${namespace}/health`)).json() as Promise<{ version: string }>;

/** Leaves a release as a SIGKILLed Helm would: its latest revision's record says pending-upgrade. */
async function markPending(namespace: string, release: string, revision: number): Promise<void> {
  const name = `sh.helm.release.v1.${release}.v${revision}`;
  const secret = (await get(`/api/v1/namespaces/${namespace}/secrets/${name}`)).body;
  const record = JSON.parse(gunzipSync(Buffer.from(Buffer.from(secret.data.release, 'base64').toString(), 'base64')).toString());
  record.info.status = 'pending-upgrade';
  const encoded = Buffer.from(gzipSync(JSON.stringify(record)).toString('base64')).toString('base64');
  const patch = { metadata: { labels: { status: 'pending-upgrade' } }, data: { release: encoded } };
  const res = await api(cluster, 'PATCH', `/api/v1/namespaces/${namespace}/secrets/${name}`, patch, {
    contentType: 'application/merge-patch+json',
  });
  if (res.status !== 200) throw new Error(`marking ${name} pending: HTTP ${res.status} ${res.text}`);
}

describe.each(['helm3', 'helm4'] as const)('blue-green on a real control plane with %s', (helmTool) => {
  it('first deploy ever bootstraps the router; a second deploy flips colours and scales the previous one down after the drain', async () => {
    const ns = await createNamespace(cluster);
    const watcher = observe(ns);
    const first = await deploy(ns, helmTool, 'full');
    expect(first.error).toBeUndefined();
    expect(first).toMatchObject({ result: 'deployed', liveColor: 'blue', revision: 1 });
    expect((await prod(ns)).version).toBe('1.0.0');

    const second = await deploy(ns, helmTool, 'full', { tag: '1.1.0' });
    expect(second.error).toBeUndefined();
    expect(second).toMatchObject({ result: 'deployed', liveColor: 'green', previousColor: 'blue' });
    expect(second.gates.map((g) => `${g.phase}:${g.passed}`)).toEqual(['pre-switch:true', 'post-switch:true']);
    expect((await prod(ns)).version).toBe('1.1.0');
    expect(await replicas(ns, 'web-blue')).toBe(0);
    const annotations = (await router(ns)).metadata.annotations!;
    expect(annotations).toMatchObject({
      [ANNOTATIONS.liveColor]: 'green',
      [ANNOTATIONS.previousColor]: 'blue',
      [ANNOTATIONS.verified]: 'true',
    });
    // The previous colour was scaled down with the toolkit's field manager, not Helm's.
    expect((await get(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/web-deploy`)).status).toBe(404);

    // The colour scaled down by the toolkit comes back with new values (Helm 4 takes replicas back).
    const third = await deploy(ns, helmTool, 'full', { tag: '1.2.0', set: ['replicaCount=3'] });
    expect(third.error).toBeUndefined();
    expect(third).toMatchObject({ result: 'deployed', liveColor: 'blue', previousColor: 'green' });
    expect((await prod(ns)).version).toBe('1.2.0');
    expect(await replicas(ns, 'web-blue')).toBe(3);

    await watcher.settle();
    expect(watcher.selections()).toEqual(['web-blue', 'web-green', 'web-blue']);
    watcher.assertNeverRoutedToUnready();
    watcher.assertPreviousKeptUntilVerified();
  });

  it('post-switch smoke fails → one patch back to the previous colour, which never left full scale', async () => {
    const ns = await createNamespace(cluster);
    await deploy(ns, helmTool, 'full');
    const watcher = observe(ns);
    const outcome = await deploy(ns, helmTool, 'full', { tag: 'broken-after-switch' });
    await watcher.settle();
    expect(outcome).toMatchObject({ result: 'rolled-back', liveColor: 'blue', previousColor: 'green' });
    expect(outcome.rollback).toMatchObject({ restored: true });
    expect(outcome.rollback?.reason).toMatch(/^post-switch smoke failed on green: health: /);
    expect((await prod(ns)).version).toBe('1.0.0');
    expect(watcher.selections()).toEqual(['web-blue', 'web-green', 'web-blue']);
    watcher.assertNeverRoutedToUnready();
    watcher.assertPreviousKeptUntilVerified();
    expect(watcher.deployments.events.filter((d) => d.metadata.name === 'web-blue').every((d) => d.spec?.replicas === 2)).toBe(true);
    expect(await replicas(ns, 'web-green')).toBe(0);
    // The rollback is ONE write: the router's selector changed exactly once after the switch.
    const rollbackPhase = outcome.phases.find((p) => p.name === 'rollback')!;
    expect(rollbackPhase.outcome).toBe('ok');
  });
});

describe.each(['helm3', 'helm4'] as const)('failure scenarios on a real control plane with %s', (helmTool) => {
  it('idle colour never ready → timeout, idle scaled down, router untouched', async () => {
    const ns = await createNamespace(cluster);
    await deploy(ns, helmTool, 'full');
    const watcher = observe(ns);
    const outcome = await deploy(ns, helmTool, 'full', { tag: 'never-ready', timeoutMs: 8_000 });
    await watcher.settle();
    expect(outcome.result).toBe('failed');
    expect(outcome.error).toMatch(/web-green did not become ready within 8s: deployment web-green: 0\/2 ready/);
    expect(watcher.router.events.every((s) => s.spec?.selector?.['app.kubernetes.io/instance'] === 'web-blue')).toBe(true);
    expect(await replicas(ns, 'web-green')).toBe(0);
    expect((await prod(ns)).version).toBe('1.0.0');
  });

  it('pre-switch smoke fails → no switch, idle scaled down', async () => {
    const ns = await createNamespace(cluster);
    const watcher = observe(ns);
    await deploy(ns, helmTool, 'full');
    const before = (await router(ns)).metadata.resourceVersion;
    const outcome = await deploy(ns, helmTool, 'full', { tag: 'broken' });
    expect(outcome.result).toBe('failed');
    expect(outcome.error).toMatch(/^Pre-switch smoke failed on green: health: /);
    expect((await router(ns)).metadata.resourceVersion).toBe(before);
    expect(await replicas(ns, 'web-green')).toBe(0);
    await watcher.check();
  });

  it('two deploys race → the second is refused by the Lease; nothing changed', async () => {
    const ns = await createNamespace(cluster);
    const watcher = observe(ns);
    await deploy(ns, helmTool, 'full');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inGate = new Promise<void>((r) => (entered = r));
    const slowGate: Gate = async (request, signal) => {
      entered();
      await held;
      return smokeGate(request, signal);
    };
    const first = deploy(
      ns,
      helmTool,
      'full',
      { tag: '1.1.0', runUrl: 'https://github.com/acme/shop/actions/runs/1' },
      { preSwitchGate: slowGate },
    );
    await inGate;
    const before = (await router(ns)).metadata.resourceVersion;
    const second = await deploy(ns, helmTool, 'full', { tag: '1.2.0' });
    expect(second.result).toBe('failed');
    expect(second.error).toMatch(
      /^Another deploy of 'web' holds the lock \(Lease .*\/web-deploy, held by https:\/\/github.com\/acme\/shop\/actions\/runs\/1 until .*\); nothing was changed/,
    );
    expect((await router(ns)).metadata.resourceVersion).toBe(before);
    release();
    expect((await first).result).toBe('deployed');
    await watcher.check();
  });

  it('cancelled mid-switch → the unverified switch is undone and the lock released; a killed main is repaired by the post step', async () => {
    const ns = await createNamespace(cluster);
    const watcher = observe(ns);
    await deploy(ns, helmTool, 'full');
    // 1. Cancel (SIGINT) while the post-switch gate runs: the engine undoes the switch itself.
    const controller = new AbortController();
    const cancelling: Gate = async () => {
      controller.abort();
      return { passed: true, summary: 'cancelled meanwhile' };
    };
    const cancelled = await deploy(ns, helmTool, 'full', { tag: '1.1.0' }, { signal: controller.signal, postSwitchGate: cancelling });
    expect(cancelled.error).toBe('The deploy was cancelled.');
    expect(cancelled.result).toBe('rolled-back');
    expect((await router(ns)).spec?.selector?.['app.kubernetes.io/instance']).toBe('web-blue');
    expect((await get(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/web-deploy`)).status).toBe(404);

    // 2. Main killed outright after the switch (no code of it runs): the post step restores from its journal.
    const { deps, journals } = await engine(ns, helmTool, {
      postSwitchGate: async () => {
        throw Object.assign(new Error('SIGKILL'), { kill: true });
      },
    });
    const runSpec = spec(ns, { tag: '1.2.0' });
    let journalAtKill: Journal | undefined;
    deps.saveJournal = async (j) => {
      journals.push(j);
      if (j.switchInFlight && !journalAtKill) journalAtKill = { ...j };
    };
    // Simulate the kill: stop the run right after the switch was sent by aborting every later write.
    const killed = runDeploy(runSpec, { ...deps, postSwitchGate: async () => new Promise(() => undefined) }, 'full');
    void killed;
    for (let i = 0; i < 200 && (await router(ns)).spec?.selector?.['app.kubernetes.io/instance'] !== 'web-green'; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect((await router(ns)).metadata.annotations![ANNOTATIONS.verified]).toBe('false');
    const notes = await recoverInterrupted(deps.api, deps.helm, journalAtKill, new MemoryLogger());
    expect(notes).toEqual([
      'restored the router (Service web) to blue (the switch to green was never verified)',
      'Lease web-deploy released',
    ]);
    expect((await router(ns)).spec?.selector?.['app.kubernetes.io/instance']).toBe('web-blue');
    expect((await prod(ns)).version).toBe('1.0.0');
    await watcher.check();
  });

  it('selector owned by another field manager → refused in preflight with the reason', async () => {
    const ns = await createNamespace(cluster);
    const watcher = observe(ns);
    await deploy(ns, helmTool, 'full');
    // Someone applies the router's selector with server-side apply (as Helm 4 would if it owned the Service).
    const applied = await api(
      cluster,
      'PATCH',
      `/api/v1/namespaces/${ns}/services/web?fieldManager=helm&force=true`,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web-blue' } },
      },
      { contentType: 'application/apply-patch+yaml' },
    );
    expect(applied.status).toBe(200);
    const outcome = await deploy(ns, helmTool, 'full', { tag: '1.1.0' });
    expect(outcome.error).toBe(
      "Preflight refused the deploy: spec.selector of Service 'web' is also owned by field manager 'helm' (Apply).",
    );
    expect(outcome.phases.map((p) => p.name)).toEqual(['preflight']);
    await watcher.check();
  });

  it('deploy, then promote and rollback as separate invocations resume from cluster state', async () => {
    const ns = await createNamespace(cluster);
    const watcher = observe(ns);
    const deployed = await deploy(ns, helmTool, 'deploy');
    expect(deployed).toMatchObject({ result: 'deployed' });
    // Nothing is live yet, so no live revision; the deployed one awaits promote.
    expect(deployed.revision).toBeUndefined();
    expect(deployed.phases.find((p) => p.name === 'record pending')?.detail).toBe('blue revision 1 awaits promote');
    expect((await router(ns)).spec?.selector).toBeUndefined();
    const promoted = await deploy(ns, helmTool, 'promote');
    expect(promoted.error).toBeUndefined();
    expect(promoted).toMatchObject({ result: 'deployed', liveColor: 'blue' });
    await deploy(ns, helmTool, 'full', { tag: '2.0.0' });
    expect(await replicas(ns, 'web-blue')).toBe(0);
    const rolledBack = await deploy(ns, helmTool, 'rollback');
    expect(rolledBack.error).toBeUndefined();
    expect(rolledBack).toMatchObject({ result: 'rolled-back', liveColor: 'blue', previousColor: 'green' });
    expect((await prod(ns)).version).toBe('1.0.0');
    expect(await replicas(ns, 'web-green')).toBe(0);
    // Approval rejected: deploy, then the cleanup path (rollback mode) scales the idle colour down.
    await deploy(ns, helmTool, 'deploy', { tag: '3.0.0' });
    expect(await replicas(ns, 'web-green')).toBe(2);
    const discarded = await deploy(ns, helmTool, 'rollback');
    expect(discarded).toMatchObject({ result: 'unchanged', liveColor: 'blue' });
    expect(await replicas(ns, 'web-green')).toBe(0);
    await watcher.settle();
    expect(watcher.selections()).toEqual([null, 'web-blue', 'web-green', 'web-blue']);
    watcher.assertNeverRoutedToUnready();
    watcher.assertPreviousKeptUntilVerified();
  });

  it('rollback target gone or drifted → detected, and the rollback says precisely what it can and cannot restore', async () => {
    const ns = await createNamespace(cluster);
    const watcher = observe(ns);
    await deploy(ns, helmTool, 'full');
    await deploy(ns, helmTool, 'full', { tag: '1.1.0' });
    // Drift: someone upgrades the previous colour's release by hand.
    const { helm } = await engine(ns, helmTool);
    await helm.upgrade({ release: 'web-blue', namespace: ns, chart, setString: ['image.tag=1.0.1'], timeoutMs: 30_000 });
    const drifted = await deploy(ns, helmTool, 'rollback');
    expect(drifted.error).toBeUndefined();
    expect(drifted).toMatchObject({ result: 'rolled-back', liveColor: 'blue', previousColor: 'green', revision: 2 });
    // (The manual upgrade already scaled blue back to the chart's replicas: Helm reconciles live state.)
    expect(drifted.rollback?.details).toEqual(['the router (Service web) routes to blue again', 'blue is at revision 2, recorded 1']);
    expect((await prod(ns)).version).toBe('1.0.1');

    // Gone: the previous colour (green, scaled down by the rollback) is uninstalled; a rollback cannot restore it.
    await helm.uninstall('web-green', ns, 30_000);
    const before = (await router(ns)).metadata.resourceVersion;
    await deploy(ns, helmTool, 'full', { tag: '1.2.0' });
    await helm.uninstall('web-blue', ns, 30_000);
    const gone = await deploy(ns, helmTool, 'rollback');
    expect(gone.result).toBe('failed');
    expect(gone.rollback).toEqual({ reason: 'requested', restored: false, details: ["blue's release web-blue is gone (uninstalled?)"] });
    expect((await router(ns)).metadata.resourceVersion).not.toBe(before);
    expect((await router(ns)).spec?.selector?.['app.kubernetes.io/instance']).toBe('web-green');
    await watcher.check();
  });

  it('a Helm release left pending-upgrade (Helm killed mid-upgrade) is recovered before the upgrade', async () => {
    const ns = await createNamespace(cluster);
    const watcher = observe(ns);
    await deploy(ns, helmTool, 'full');
    await deploy(ns, helmTool, 'full', { tag: '1.1.0' });
    const { helm } = await engine(ns, helmTool);
    await helm.upgrade({ release: 'web-blue', namespace: ns, chart, setString: ['image.tag=1.0.1'], timeoutMs: 30_000 });
    await markPending(ns, 'web-blue', 2);
    expect(await helm.status('web-blue', ns)).toEqual({ status: 'pending-upgrade', revision: 2 });
    const { deps, log } = await engine(ns, helmTool);
    const outcome = await runDeploy(spec(ns, { tag: '1.2.0' }), deps, 'full');
    expect(outcome.error).toBeUndefined();
    expect(log.text()).toContain(
      'Recovered a stuck Helm release: release web-blue was pending-upgrade at revision 2; rolled back to revision 1.',
    );
    expect(outcome).toMatchObject({ result: 'deployed', liveColor: 'blue', revision: 4 });
    expect((await prod(ns)).version).toBe('1.2.0');
    await watcher.check();
  });

  it('a re-run after a run died mid-switch without its post step converges: restores, then deploys', async () => {
    const ns = await createNamespace(cluster);
    const watcher = observe(ns);
    await deploy(ns, helmTool, 'full');
    const runId = `acme/shop#${Math.random().toString(36).slice(2, 8)}`;
    // The first attempt dies (runner lost) right after its switch: its gate never answers, nothing cleans up.
    const { deps } = await engine(ns, helmTool, { postSwitchGate: () => new Promise(() => undefined) });
    void runDeploy(spec(ns, { tag: '1.1.0', runId }), deps, 'full');
    await waitFor('the dead attempt to switch', async () =>
      (await router(ns)).spec?.selector?.['app.kubernetes.io/instance'] === 'web-green' ? true : undefined,
    );
    expect((await router(ns)).metadata.annotations?.[ANNOTATIONS.verified]).toBe('false');

    const rerun = await deploy(ns, helmTool, 'full', { tag: '1.1.0', runId });
    expect(rerun.error).toBeUndefined();
    expect(rerun.phases.find((p) => p.name === 'lock')?.detail).toBe('Lease web-deploy taken back from an earlier attempt of this run');
    expect(rerun.phases.find((p) => p.name === 'rollback')?.detail).toMatch(/switched to green but never verified it/);
    expect(rerun).toMatchObject({ result: 'deployed', liveColor: 'green', previousColor: 'blue' });
    expect((await prod(ns)).version).toBe('1.1.0');
    await watcher.settle();
    expect(watcher.selections()).toEqual(['web-blue', 'web-green', 'web-blue', 'web-green']);
    await watcher.check();
  });

  it('a chart that changes the immutable Deployment selector → the idle colour is uninstalled and installed afresh; the live colour serves until the verified switch', async () => {
    const ns = await createNamespace(cluster);
    await deploy(ns, helmTool, 'full');
    await deploy(ns, helmTool, 'full', { tag: '1.1.0' });
    const watcher = observe(ns);
    const oldBlue = (await get(`/apis/apps/v1/namespaces/${ns}/deployments/web-blue`)).body;
    const outcome = await deploy(ns, helmTool, 'full', { tag: '1.2.0', set: ['extraSelector=v2'] });
    expect(outcome.error).toBeUndefined();
    expect(outcome).toMatchObject({ result: 'deployed', liveColor: 'blue', previousColor: 'green', revision: 1 });
    expect(outcome.phases.map((p) => p.name).slice(0, 4)).toEqual(['preflight', 'lock', 'recreate-idle', 'deploy-idle']);
    const blue = (await get(`/apis/apps/v1/namespaces/${ns}/deployments/web-blue`)).body;
    expect(blue.metadata.uid).not.toBe(oldBlue.metadata.uid);
    expect(blue.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/instance': 'web-blue',
      extra: 'v2',
    });
    expect((await prod(ns)).version).toBe('1.2.0');
    const { helm } = await engine(ns, helmTool);
    expect((await helm.history('web-blue', ns)).map((h) => `${h.revision}:${h.status}`)).toEqual(['1:deployed']);
    // Green served until blue was verified, and blue was routed to only once fully ready.
    await watcher.check();
    expect(watcher.selections()).toEqual(['web-green', 'web-blue']);
  });
});
