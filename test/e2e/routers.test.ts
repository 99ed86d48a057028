/**
 * The Ingress and Gateway API routers against a REAL control plane (etcd, kube-apiserver,
 * controllers, kwok nodes — test/cluster) with real Helm 4, the Gateway API standard CRDs installed
 * from their Go module (`npm run tools`: gateway-api-crds). No ingress or gateway controller runs
 * here, so the gates act as one: they resolve the host they are given through the Ingress rules or
 * the HTTPRoutes as the API server holds them (weight > 0), then that Service's EndpointSlices to a
 * ready pod, and read the pod's image tag. Images tagged broken-after-switch fail on the live host only.
 *
 * Every scenario watches the router object (a real watch stream) and asserts that no version of it
 * ever routed the live host to one colour while its annotations said another: each switch and each
 * rollback is one write.
 */
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { request } from 'node:https';
import { mkdtemp, writeFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConsoleLogger, exec, MemoryLogger } from '@pipeline-toolkit/core';
import { main } from '../../packages/cli/src/main.ts';
import { requireTool } from '@pipeline-toolkit/testing';
import {
  ANNOTATIONS,
  connect,
  Helm,
  recoverInterrupted,
  runDeploy,
  systemClock,
  type DeploySpec,
  type EngineDeps,
  type Gate,
  type Journal,
  type Mode,
  type RouterConfig,
} from '@pipeline-toolkit/k8s';
import { startCluster, createNamespace, type Cluster } from '../cluster/cluster.ts';
import { api, waitFor } from '../cluster/api.ts';

jest.setTimeout(180_000);

let cluster: Cluster;
let chart: string;

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "1"\n',
  'values.yaml': 'replicaCount: 2\nimage:\n  repository: registry.test/web\n  tag: "1.0.0"\n',
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicaCount }}
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
`,
  'templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }} }
  ports: [{ name: http, port: 80, targetPort: http }]
`,
};

const LIVE = 'shop.test';
const PREVIEW = 'preview.shop.test';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API objects as JSON
const get = (apiPath: string) => api<any>(cluster, 'GET', apiPath);

type Backend = { service: string; port: number } | null;
type RouterJson = {
  metadata: { name: string; resourceVersion: string; annotations?: Record<string, string> };
  spec?: {
    parentRefs?: { name?: string; namespace?: string }[];
    hostnames?: string[];
    rules?: {
      host?: string;
      http?: { paths?: { backend?: { service?: { name?: string; port?: { number?: number } } } }[] };
      backendRefs?: { name?: string; port?: number; weight?: number }[];
    }[];
  };
};

/** Where an Ingress sends a host: the first path's backend of the host's rule. */
function ingressBackend(ingress: RouterJson, host: string): Backend {
  const service = ingress.spec?.rules?.find((r) => r.host === host)?.http?.paths?.[0]?.backend?.service;
  return service?.name ? { service: service.name, port: service.port?.number ?? 0 } : null;
}
/** Where an HTTPRoute sends its traffic: its backendRef with a weight above 0 (weight defaults to 1). */
function routeBackend(route: RouterJson): Backend {
  const live = (route.spec?.rules ?? []).flatMap((r) => r.backendRefs ?? []).filter((b) => (b.weight ?? 1) > 0);
  return live.length === 1 ? { service: live[0]!.name ?? '', port: live[0]!.port ?? 0 } : null;
}

/** What an ingress or gateway controller would do with a request for `host` in the namespace. */
async function resolve(kind: 'ingress' | 'gateway', namespace: string, host: string): Promise<Backend> {
  if (kind === 'ingress') {
    const list = (await get(`/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses`)).body.items as RouterJson[];
    for (const ingress of list) if (ingress.spec?.rules?.some((r) => r.host === host)) return ingressBackend(ingress, host);
    return null;
  }
  const list = (await get(`/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes`)).body.items as RouterJson[];
  const route = list.find((r) => r.spec?.hostnames?.includes(host));
  return route ? routeBackend(route) : null;
}

type Endpoint = { conditions?: { ready?: boolean }; targetRef?: { name?: string } };
/** A ready endpoint of the Service, then that pod's image tag (as kube-proxy and the kubelet would serve it). */
async function serve(namespace: string, service: string): Promise<string | undefined> {
  const slices = await get(
    `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices?labelSelector=kubernetes.io/service-name=${service}`,
  );
  const ready = (slices.body.items ?? [])
    .flatMap((s: { endpoints?: Endpoint[] }) => s.endpoints ?? [])
    .filter((e: Endpoint) => e.conditions?.ready !== false && e.targetRef?.name);
  if (!ready.length) return undefined;
  const pod = await get(`/api/v1/namespaces/${namespace}/pods/${ready[0].targetRef.name}`);
  const image: string = pod.body.spec?.containers?.[0]?.image ?? '';
  return image.slice(image.lastIndexOf(':') + 1);
}

/** The version a request for `host` reaches, through the router object: what the gates and the assertions read. */
async function reached(kind: 'ingress' | 'gateway', namespace: string, host: string): Promise<{ service?: string; version?: string }> {
  const backend = await resolve(kind, namespace, host);
  if (!backend) return {};
  return { service: backend.service, version: await serve(namespace, backend.service) };
}

beforeAll(async () => {
  cluster = await startCluster();
  chart = await mkdtemp(path.join(tmpdir(), 'ptk-router-chart-'));
  await mkdir(path.join(chart, 'templates'));
  for (const [file, text] of Object.entries(CHART)) await writeFile(path.join(chart, file), text);
  // The Gateway API CRDs, from the pinned Go module `npm run tools` put in the cache (never the internet).
  const crds = path.join(path.dirname(path.dirname(requireTool('gateway-api-crds').path)), 'crds');
  const { loadAllYaml } = await import('@kubernetes/client-node');
  for (const file of await readdir(crds)) {
    for (const doc of loadAllYaml(await readFile(path.join(crds, file), 'utf8')) as { kind?: string; metadata?: { name?: string } }[]) {
      if (doc?.kind !== 'CustomResourceDefinition') continue;
      const res = await api(cluster, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', doc);
      if (res.status !== 201) throw new Error(`installing CRD ${doc.metadata?.name}: HTTP ${res.status} ${res.text}`);
    }
  }
  await waitFor('the HTTPRoute CRD to be established', async () => {
    const crd = await get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/httproutes.gateway.networking.k8s.io');
    const established = (crd.body.status?.conditions ?? []).some(
      (c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True',
    );
    return established ? true : undefined;
  });
  await waitFor('the HTTPRoute API to be served', async () =>
    (await get('/apis/gateway.networking.k8s.io/v1')).status === 200 ? true : undefined,
  );
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

/** A real watch stream of one router object, every version of it. */
function watchRouter(kind: 'ingress' | 'gateway', namespace: string, name: string): { events: RouterJson[]; stop(): void } {
  const events: RouterJson[] = [];
  const base =
    kind === 'ingress'
      ? `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses`
      : `/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes`;
  const url = new URL(`${cluster.server}${base}?fieldSelector=metadata.name%3D${name}&watch=1`);
  let buffer = '';
  const req = request(url, { headers: { authorization: `Bearer ${cluster.token}` }, ca: cluster.ca }, (res) => {
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim()) events.push((JSON.parse(line) as { object: RouterJson }).object);
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { events, stop: () => req.destroy() };
}

/** Every version of the router: the live host goes to exactly the colour its annotations name (or nowhere before any). */
function assertOneWritePerSwitch(kind: 'ingress' | 'gateway', events: RouterJson[]): string[] {
  const colours: string[] = [];
  for (const e of events) {
    const backend = kind === 'ingress' ? ingressBackend(e, LIVE) : routeBackend(e);
    const live = e.metadata.annotations?.[ANNOTATIONS.liveColor];
    expect(backend?.service).toBe(live ? `web-${live}` : undefined);
    if (backend && colours.at(-1) !== backend.service) colours.push(backend.service);
  }
  return colours;
}

function routerConfig(kind: 'ingress' | 'gateway', preview = true): RouterConfig {
  return kind === 'ingress'
    ? { kind, name: 'web-ingress', host: LIVE, ...(preview ? { previewHost: PREVIEW } : {}) }
    : {
        kind,
        name: 'web-route',
        gateway: { name: 'shared', namespace: 'infra' },
        host: LIVE,
        ...(preview ? { previewHost: PREVIEW } : {}),
      };
}

/** The gate a controller-less test can run: the host the engine hands it, resolved through the router objects. */
function hostGate(
  kind: 'ingress' | 'gateway',
  namespace: string,
  seen: { phase: string; host: string; service?: string; version?: string }[],
): Gate {
  return async ({ phase, url }) => {
    const host = new URL(url).hostname;
    const got = await reached(kind, namespace, host);
    seen.push({ phase, host, ...got });
    const broken = got.version === 'broken-after-switch' && host === LIVE;
    return got.version && !broken
      ? { passed: true, summary: `${host} → ${got.service} serves ${got.version}` }
      : { passed: false, summary: `${host} → ${got.service ?? 'nothing'}: ${got.version ?? 'no ready endpoint'}${broken ? ' (500)' : ''}` };
  };
}

async function engine(
  kind: 'ingress' | 'gateway',
  namespace: string,
  seen: Parameters<typeof hostGate>[2],
  overrides: Partial<EngineDeps> = {},
) {
  const log = new MemoryLogger();
  const connection = await connect({ kind: 'kubeconfig-file', path: cluster.kubeconfigPath }, log);
  const helm = new Helm({ binary: requireTool('helm4').path, exec, kubeconfig: () => connection.helmKubeconfig(), log });
  const journals: Journal[] = [];
  const gate = hostGate(kind, namespace, seen);
  const deps: EngineDeps = {
    api: connection.api,
    helm,
    log,
    clock: systemClock,
    preSwitchGate: gate,
    postSwitchGate: gate,
    // As the action does with preview-url / production-url set to the router's hosts.
    previewUrl: () => `http://${PREVIEW}/`,
    productionUrl: () => `http://${LIVE}/`,
    saveJournal: async (j) => void journals.push(j),
    signal: new AbortController().signal,
    pollMs: 250,
    ...overrides,
  };
  return { deps, journals };
}

const spec = (namespace: string, router: RouterConfig, overrides: Partial<DeploySpec> = {}): DeploySpec => ({
  namespace,
  release: 'web',
  chart,
  valuesFiles: [],
  set: [],
  tag: '1.0.0',
  timeoutMs: 30_000,
  drainMs: 500,
  keepPrevious: 'scaled-down',
  lockTimeoutMs: 0,
  runId: `acme/shop#${Math.random().toString(36).slice(2, 8)}`,
  router,
  ...overrides,
});

async function deploy(
  kind: 'ingress' | 'gateway',
  ns: string,
  mode: Mode,
  overrides: Partial<DeploySpec> = {},
  seen: Parameters<typeof hostGate>[2] = [],
) {
  const { deps } = await engine(kind, ns, seen);
  return runDeploy(spec(ns, routerConfig(kind), overrides), deps, mode);
}

const routerPath = (kind: 'ingress' | 'gateway', ns: string) =>
  kind === 'ingress'
    ? `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/web-ingress`
    : `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes/web-route`;

describe.each(['ingress', 'gateway'] as const)('router %s on a real control plane', (kind) => {
  it(`router ${kind}: the first deploy creates it; the next switches to green in one write, after the preview host reached green`, async () => {
    const ns = await createNamespace(cluster);
    const watcher = watchRouter(kind, ns, kind === 'ingress' ? 'web-ingress' : 'web-route');
    const first = await deploy(kind, ns, 'full');
    expect(first.error).toBeUndefined();
    expect(first).toMatchObject({ result: 'deployed', liveColor: 'blue', previewUrl: `http://${PREVIEW}/` });
    expect(await reached(kind, ns, LIVE)).toEqual({ service: 'web-blue', version: '1.0.0' });

    const seen: Parameters<typeof hostGate>[2] = [];
    const second = await deploy(kind, ns, 'full', { tag: '1.1.0' }, seen);
    expect(second.error).toBeUndefined();
    expect(second).toMatchObject({ result: 'deployed', liveColor: 'green', previousColor: 'blue' });
    // Before the switch the preview host reached the new colour while the live host stayed on the old one.
    expect(seen).toEqual([
      { phase: 'pre-switch', host: PREVIEW, service: 'web-green', version: '1.1.0' },
      { phase: 'post-switch', host: LIVE, service: 'web-green', version: '1.1.0' },
    ]);
    expect(second.phases.find((p) => p.name === 'preview')?.detail).toBe(`http://${PREVIEW}/ → green`);
    expect(await reached(kind, ns, LIVE)).toEqual({ service: 'web-green', version: '1.1.0' });
    expect(await reached(kind, ns, PREVIEW)).toMatchObject({ service: 'web-green' });
    if (kind === 'gateway') {
      const route = (await get(routerPath(kind, ns))).body as RouterJson;
      expect(route.spec?.rules?.[0]?.backendRefs).toEqual([
        { group: '', kind: 'Service', name: 'web-blue', port: 80, weight: 0 },
        { group: '', kind: 'Service', name: 'web-green', port: 80, weight: 100 },
      ]);
      expect(route.spec?.parentRefs).toEqual([expect.objectContaining({ name: 'shared', namespace: 'infra' })]);
    }
    await new Promise((r) => setTimeout(r, 300));
    watcher.stop();
    expect(assertOneWritePerSwitch(kind, watcher.events)).toEqual(['web-blue', 'web-green']);
    expect((await get(`/apis/apps/v1/namespaces/${ns}/deployments/web-blue`)).body.spec.replicas).toBe(0);
  });

  it(`router ${kind}: a failing post-switch gate rolls back in one write; rollback mode routes back the same way`, async () => {
    const ns = await createNamespace(cluster);
    const watcher = watchRouter(kind, ns, kind === 'ingress' ? 'web-ingress' : 'web-route');
    await deploy(kind, ns, 'full');
    const failed = await deploy(kind, ns, 'full', { tag: 'broken-after-switch' });
    expect(failed).toMatchObject({ result: 'rolled-back', liveColor: 'blue' });
    expect(failed.failure).toMatchObject({ kind: 'gate', phase: 'verify' });
    expect(await reached(kind, ns, LIVE)).toEqual({ service: 'web-blue', version: '1.0.0' });

    const next = await deploy(kind, ns, 'full', { tag: '1.2.0' });
    expect(next).toMatchObject({ result: 'deployed', liveColor: 'green' });
    const back = await deploy(kind, ns, 'rollback');
    expect(back.error).toBeUndefined();
    expect(back).toMatchObject({ result: 'rolled-back', liveColor: 'blue', previousColor: 'green' });
    expect(await reached(kind, ns, LIVE)).toEqual({ service: 'web-blue', version: '1.0.0' });
    const annotations = ((await get(routerPath(kind, ns))).body as RouterJson).metadata.annotations ?? {};
    expect(annotations[ANNOTATIONS.verified]).toBe('true');
    expect(annotations[ANNOTATIONS.previousColor]).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    watcher.stop();
    expect(assertOneWritePerSwitch(kind, watcher.events)).toEqual(['web-blue', 'web-green', 'web-blue', 'web-green', 'web-blue']);
  });

  it(`router ${kind}: resume after a crash between writes — after the preview (a re-run converges) and after the switch (the post step restores)`, async () => {
    const ns = await createNamespace(cluster);
    await deploy(kind, ns, 'full');

    // 1. The run dies after routing the preview host, before the switch: its pre-switch gate never answers.
    const runId = `acme/shop#${Math.random().toString(36).slice(2, 8)}`;
    const hung = await engine(kind, ns, [], { preSwitchGate: () => new Promise(() => undefined) });
    void runDeploy(spec(ns, routerConfig(kind), { tag: '1.1.0', runId }), hung.deps, 'full');
    await waitFor('the preview write of the dead run', async () =>
      hung.journals.at(-1)?.routerWrites?.some((w) => w.endsWith(`route ${PREVIEW} to web-green`)) ? true : undefined,
    );
    expect(hung.journals.at(-1)).toMatchObject({ router: routerConfig(kind), lockHeld: true, finished: false });
    expect(hung.journals.at(-1)?.switchInFlight).toBeUndefined();
    expect(await reached(kind, ns, LIVE)).toEqual({ service: 'web-blue', version: '1.0.0' });
    // The re-run of the same run takes its lock back and carries on to a verified switch.
    const rerun = await deploy(kind, ns, 'full', { tag: '1.1.0', runId });
    expect(rerun.error).toBeUndefined();
    expect(rerun.phases.find((p) => p.name === 'lock')?.detail).toBe('Lease web-deploy taken back from an earlier attempt of this run');
    expect(rerun).toMatchObject({ result: 'deployed', liveColor: 'green' });
    expect(await reached(kind, ns, LIVE)).toEqual({ service: 'web-green', version: '1.1.0' });

    // 2. The run dies right after its switch write: the post step restores from the journal alone.
    const killed = await engine(kind, ns, [], { postSwitchGate: () => new Promise(() => undefined) });
    void runDeploy(spec(ns, routerConfig(kind), { tag: '1.2.0' }), killed.deps, 'full');
    const journal = await waitFor('the switch of the dead run', async () => {
      const j = killed.journals.at(-1);
      return j?.switchInFlight && j.routerWrites?.some((w) => w.endsWith('switch to blue')) ? { ...j } : undefined;
    });
    expect(journal.router).toEqual(routerConfig(kind));
    expect(journal.routerWrites).toEqual([
      expect.stringMatching(new RegExp(`^patch .+: route ${PREVIEW.replaceAll('.', '\\.')} to web-blue$`)),
      expect.stringMatching(/^patch .+: switch to blue$/),
    ]);
    expect(await reached(kind, ns, LIVE)).toEqual({ service: 'web-blue', version: '1.2.0' });
    const notes = await recoverInterrupted(killed.deps.api, killed.deps.helm, journal, new MemoryLogger());
    const label = kind === 'ingress' ? 'Ingress web-ingress' : 'HTTPRoute web-route';
    expect(notes).toEqual([`restored the router (${label}) to green (the switch to blue was never verified)`, 'Lease web-deploy released']);
    expect(await reached(kind, ns, LIVE)).toEqual({ service: 'web-green', version: '1.1.0' });
    expect(((await get(routerPath(kind, ns))).body as RouterJson).metadata.annotations?.[ANNOTATIONS.verified]).toBe('true');
  });

  it(`router ${kind}: the CLI dry run prints the router's exact writes and changes nothing; the CLI then deploys through it`, async () => {
    const ns = await createNamespace(cluster);
    const lines: string[] = [];
    const io = {
      log: new ConsoleLogger({ out: (l) => lines.push(l), err: (l) => lines.push(l) }),
      out: (t: string) => lines.push(t),
      env: { PATH: process.env['PATH'] },
      cwd: chart,
    };
    const routerFlags =
      kind === 'ingress'
        ? ['--router', 'ingress', '--ingress-name', 'web-ingress', '--ingress-class', 'nginx']
        : ['--router', 'gateway', '--route-name', 'web-route', '--gateway', 'infra/shared'];
    const flags = [
      ...['--release', 'web', '--namespace', ns, '--chart', chart, '--kubeconfig', cluster.kubeconfigPath],
      ...['--helm', requireTool('helm4').path, '--tag', '1.0.0', '--drain', '0s'],
      ...routerFlags,
      ...['--host', LIVE, '--preview-host', PREVIEW],
    ];
    expect(await main(['deploy', ...flags, '--dry-run'], io)).toBe(0);
    const plan = lines.join('\n');
    const object = kind === 'ingress' ? `Ingress ${ns}/web-ingress` : `HTTPRoute ${ns}/web-route`;
    // The plan's table: label, padding, value.
    const row = (label: string) =>
      plan
        .split('\n')
        .find((l) => l.startsWith(`${label} `))
        ?.slice(label.length)
        .trim();
    expect(row('Router')).toBe(`none yet: the first deploy creates ${kind === 'ingress' ? 'Ingress web-ingress' : 'HTTPRoute web-route'}`);
    expect(row('Preview')).toBe(`http://${PREVIEW}/ → blue before the pre-switch gate`);
    const writes = plan.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(writes).toEqual([
      `1. create Lease ${ns}/web-deploy (the deploy lock)`,
      `2. replace Lease ${ns}/web-deploy (renewed before the Helm upgrade)`,
      kind === 'ingress'
        ? `3. create ${object} (the router: route ${PREVIEW} to web-blue)`
        : `3. create HTTPRoute ${ns}/web-route-preview (the router: route ${PREVIEW} to web-blue)`,
      `4. replace Lease ${ns}/web-deploy (renewed before the switch)`,
      kind === 'ingress'
        ? `5. patch ${object} (the router: switch to blue; merge patch, one request)`
        : `5. create ${object} (the router: switch to blue)`,
      `6. patch ${object} (the router: mark the switch verified, after the post-switch gate)`,
      `7. delete Lease ${ns}/web-deploy (at the end, if still this run's)`,
    ]);
    // The bodies are the objects as sent: the live host to web-blue's Service port 80.
    expect(plan).toContain('"name": "web-blue"');
    expect(plan).toContain(kind === 'ingress' ? '"ingressClassName": "nginx"' : '"weight": 100');
    expect((await get(routerPath(kind, ns))).status).toBe(404);
    expect((await get(`/apis/apps/v1/namespaces/${ns}/deployments`)).body.items).toEqual([]);

    lines.length = 0;
    expect(await main(['deploy', ...flags], io)).toBe(0);
    expect(lines.join('\n')).toMatch(/result: deployed, live colour: blue, revision 1/);
    expect(lines.join('\n')).toContain(`preview: http://${PREVIEW}/`);
    expect(await reached(kind, ns, LIVE)).toEqual({ service: 'web-blue', version: '1.0.0' });
    expect(await reached(kind, ns, PREVIEW)).toEqual({ service: 'web-blue', version: '1.0.0' });
  });
});
