/**
 * Blue-green with charts of several label conventions, none written for this toolkit's labels, on a
 * REAL control plane (test/cluster) with real Helm 3 and Helm 4:
 *   - the `helm create` scaffold (generated here by the Helm under test);
 *   - podinfo, a public chart (test/fixtures/charts/SOURCES.md) selecting by `app.kubernetes.io/name`
 *     = fullname only; with redis enabled it is also a two-Deployment chart whose second
 *     Deployment selects by `app` only;
 *   - a chart selecting by `app` = release name only;
 *   - a StatefulSet with a headless and a client Service.
 * Each goes through bootstrap, switch, a post-switch rollback, a pre-switch failure and a re-run
 * after the failures; `helm list` is read after each failure, and the dry-run's writes are compared
 * with what the run wrote. A loopback "ingress" stands in for kube-proxy: it follows a Service's
 * EndpointSlices to a ready pod and answers with that pod's image tag (500 for broken tags).
 */
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec, MemoryLogger } from '@pipeline-toolkit/core';
import { json, requireTool, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { loadSuite, runSuite, type Suite } from '@pipeline-toolkit/smoke';
import {
  ANNOTATIONS,
  connect,
  Helm,
  planDeploy,
  runDeploy,
  systemClock,
  type DeployOptions,
  type DeployPlan,
  type DeploySpec,
  type EngineDeps,
  type Gate,
  type Mode,
} from '@pipeline-toolkit/k8s';
import { startCluster, createNamespace, type Cluster } from '../cluster/cluster.ts';
import { api } from '../cluster/api.ts';

jest.setTimeout(300_000);

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/charts');
type HelmTool = 'helm3' | 'helm4';

let cluster: Cluster;
let ingress: LoopbackServer;
let suite: Suite;
let scaffold: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API objects as JSON
const get = (apiPath: string) => api<any>(cluster, 'GET', apiPath);
type Endpoint = { conditions?: { ready?: boolean }; targetRef?: { name?: string } };

/** What kube-proxy would do: a ready endpoint of the Service, then that pod's image tag. */
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
  return { status: broken.test(tag) ? 500 : 200, body: { status: broken.test(tag) ? 'error' : 'ok', version: tag } };
}

beforeAll(async () => {
  cluster = await startCluster();
  // The scaffold as Helm itself writes it (labels: app.kubernetes.io/name = chart name + instance).
  const dir = await mkdtemp(path.join(tmpdir(), 'ptk-scaffold-'));
  await exec(requireTool('helm3').path, ['create', path.join(dir, 'web')]);
  scaffold = path.join(dir, 'web');
  // /prod/<ns>/<service>/… and /preview/<ns>/<service>/…: images tagged broken fail everywhere, broken-after-switch only in production.
  ingress = await startServer(async (req, res) => {
    const [, kind, namespace, service] = req.url.split('/');
    const answer = await serve(namespace!, service!, kind === 'prod' ? /^broken/ : /^broken$/);
    json(res, answer.status, answer.body);
  });
  const smokeDir = await mkdtemp(path.join(tmpdir(), 'ptk-smoke-'));
  await writeFile(
    path.join(smokeDir, 'smoke.yml'),
    'defaults: { retries: 0, timeout: 5s }\nchecks:\n  - name: health\n    http: { path: /health, expect: { status: 200, json: { "$.status": ok } } }\n',
  );
  suite = await loadSuite({ config: 'smoke.yml', cwd: smokeDir, env: {} });
}, 180_000);

afterAll(async () => {
  await ingress?.close();
  await cluster?.stop();
});

const smokeGate: Gate = async ({ url }) => {
  const result = await runSuite(suite, { target: url, log: new MemoryLogger() });
  const failed = result.checks.filter((c) => c.status === 'failed');
  return {
    passed: result.result === 'passed',
    summary: failed.length ? failed.map((c) => `${c.name}: ${c.message}`).join('; ') : `${result.summary.passed} passed`,
  };
};

interface ChartCase {
  name: string;
  chart: () => string;
  set: string[];
  /** The workloads of web-<colour>, as the chart names them. */
  workloads: (color: string) => { kind: 'deployments' | 'statefulsets'; name: string }[];
}

const CHARTS: ChartCase[] = [
  {
    name: 'helm create scaffold',
    chart: () => scaffold,
    set: [],
    workloads: (c) => [{ kind: 'deployments', name: `web-${c}` }],
  },
  {
    name: 'podinfo (app.kubernetes.io/name = fullname only) with redis (a second Deployment selected by app only)',
    chart: () => path.join(FIXTURES, 'podinfo'),
    set: ['redis.enabled=true', 'replicaCount=2'],
    workloads: (c) => [
      { kind: 'deployments', name: `web-${c}-podinfo` },
      { kind: 'deployments', name: `web-${c}-podinfo-redis` },
    ],
  },
  {
    name: 'selector on app = release name only',
    chart: () => path.join(FIXTURES, 'app-label'),
    set: [],
    workloads: (c) => [{ kind: 'deployments', name: `web-${c}` }],
  },
  {
    name: 'a StatefulSet with headless and client Services',
    chart: () => path.join(FIXTURES, 'statefulset'),
    set: [],
    workloads: (c) => [{ kind: 'statefulsets', name: `web-${c}-store` }],
  },
];

function spec(namespace: string, chart: string, overrides: Partial<DeploySpec> = {}): DeploySpec {
  return {
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
    ...overrides,
  };
}

async function engine(namespace: string, helmTool: HelmTool, overrides: Partial<EngineDeps> = {}) {
  const log = new MemoryLogger();
  const connection = await connect({ kind: 'kubeconfig-file', path: cluster.kubeconfigPath }, log);
  const helm = new Helm({ binary: requireTool(helmTool).path, exec, kubeconfig: () => connection.helmKubeconfig(), log });
  const deps: EngineDeps = {
    api: connection.api,
    helm,
    log,
    clock: systemClock,
    preSwitchGate: smokeGate,
    postSwitchGate: smokeGate,
    previewUrl: (_color, service) => `${ingress.url}/preview/${namespace}/${service}`,
    productionUrl: (router) => `${ingress.url}/prod/${namespace}/${router}`,
    saveJournal: async () => undefined,
    signal: new AbortController().signal,
    pollMs: 250,
    ...overrides,
  };
  return { deps, log };
}

async function deploy(helmTool: HelmTool, mode: Mode, runSpec: DeploySpec) {
  const { deps, log } = await engine(runSpec.namespace, helmTool);
  const outcome = await runDeploy(runSpec, deps, mode);
  return { outcome, log };
}

const options = (helmTool: HelmTool, mode: Mode, runSpec: DeploySpec): DeployOptions => ({
  source: { kind: 'kubeconfig-file', path: cluster.kubeconfigPath },
  sourceLabel: 'test cluster',
  mode,
  spec: runSpec,
  helmBinary: requireTool(helmTool).path,
  dryRun: true,
});

/** `helm list` (deployed and failed releases, as a user sees them): release → status@revision. */
async function helmList(helmTool: HelmTool, namespace: string): Promise<Record<string, string>> {
  const { stdout } = await exec(requireTool(helmTool).path, [
    'list',
    '--namespace',
    namespace,
    '--output',
    'json',
    '--kubeconfig',
    cluster.kubeconfigPath,
  ]);
  const rows = JSON.parse(stdout) as { name: string; status: string; revision: string }[];
  return Object.fromEntries(rows.map((r) => [r.name, `${r.status}@${r.revision}`]));
}

/** The dry run's write of the router (create or patch of Service web). */
const routerWriteOf = (plan: DeployPlan) =>
  plan.writes.find((w) => /^(create|patch) Service \S+\/web \(/.test(w.what) && !/after the/.test(w.what))!;
const router = async (namespace: string) => (await get(`/api/v1/namespaces/${namespace}/services/web`)).body;
const prod = async (namespace: string) =>
  (await (await fetch(`${ingress.url}/prod/${namespace}/web/health`)).json()) as { version?: string; error?: string };
async function replicas(namespace: string, w: { kind: string; name: string }): Promise<number> {
  return (await get(`/apis/apps/v1/namespaces/${namespace}/${w.kind}/${w.name}`)).body.spec.replicas;
}

describe.each(['helm3', 'helm4'] as const)('charts of several label conventions with %s', (helmTool) => {
  it.each(CHARTS.map((c) => [c.name, c] as const))('%s: bootstrap, switch, rollback, pre-switch failure, re-run', async (_name, c) => {
    const ns = await createNamespace(cluster);
    const at = (overrides: Partial<DeploySpec>) => spec(ns, c.chart(), { set: c.set, ...overrides });

    // 1. Bootstrap: the dry run shows the router it will create; the run creates exactly that.
    const first = at({});
    const plan1 = await planDeploy(options(helmTool, 'full', first), new MemoryLogger());
    const created = routerWriteOf(plan1).body as { spec: { selector: Record<string, string>; ports: unknown[] } };
    expect(routerWriteOf(plan1).what).toBe(`create Service ${ns}/web (the router: switch to blue)`);
    const boot = await deploy(helmTool, 'full', first);
    expect(boot.outcome.error).toBeUndefined();
    expect(boot.outcome).toMatchObject({ result: 'deployed', liveColor: 'blue', revision: 1 });
    expect((await router(ns)).spec.selector).toEqual(created.spec.selector);
    expect((await router(ns)).spec.ports.map((p: { port: number }) => p.port)).toEqual(
      created.spec.ports.map((p) => (p as { port: number }).port),
    );
    expect((await prod(ns)).version).toBe('1.0.0');

    // 2. Switch: the dry run's patch is what the run sends (selector and state), bar the time.
    const second = at({ tag: '1.1.0' });
    const plan2 = await planDeploy(options(helmTool, 'full', second), new MemoryLogger());
    expect(plan2.writes.map((w) => w.what)).toEqual([
      `create Lease ${ns}/web-deploy (the deploy lock)`,
      `replace Lease ${ns}/web-deploy (renewed before the Helm upgrade)`,
      `replace Lease ${ns}/web-deploy (renewed before the switch)`,
      `patch Service ${ns}/web (the router: switch to green; merge patch, one request)`,
      `patch Service ${ns}/web (the router: mark the switch verified, after the post-switch gate)`,
      `scale web-blue to 0 (after the drain)`,
      `delete Lease ${ns}/web-deploy (at the end, if still this run's)`,
    ]);
    const patch = routerWriteOf(plan2).body as {
      metadata: { annotations: Record<string, string | null> };
      spec: { selector: Record<string, string | null> };
    };
    const switched = await deploy(helmTool, 'full', second);
    expect(switched.outcome.error).toBeUndefined();
    expect(switched.outcome).toMatchObject({ result: 'deployed', liveColor: 'green', previousColor: 'blue', revision: 1 });
    const live = await router(ns);
    const wanted = Object.fromEntries(Object.entries(patch.spec.selector).filter(([, v]) => v !== null));
    expect(live.spec.selector).toEqual(wanted);
    for (const key of [
      ANNOTATIONS.liveColor,
      ANNOTATIONS.liveRevision,
      ANNOTATIONS.liveSelector,
      ANNOTATIONS.previousColor,
      ANNOTATIONS.previousSelector,
    ])
      expect([key, live.metadata.annotations[key]]).toEqual([key, patch.metadata.annotations[key]]);
    expect((await prod(ns)).version).toBe('1.1.0');
    for (const w of c.workloads('blue')) expect(await replicas(ns, w)).toBe(0);

    // 3. Post-switch smoke fails: traffic back on green; blue down and failed in Helm's own record.
    const rolled = await deploy(helmTool, 'full', at({ tag: 'broken-after-switch' }));
    expect(rolled.outcome).toMatchObject({ result: 'rolled-back', liveColor: 'green', previousColor: 'blue', revision: 1 });
    expect((await prod(ns)).version).toBe('1.1.0');
    for (const w of c.workloads('blue')) expect(await replicas(ns, w)).toBe(0);
    expect(await helmList(helmTool, ns)).toEqual({ 'web-blue': 'failed@2', 'web-green': 'deployed@1' });
    expect(rolled.outcome.phases.find((p) => p.name === 'verify')?.outcome).toBe('failed');

    // 4. Pre-switch smoke fails: the router untouched, blue down and failed again, the live revision reported.
    const before = (await router(ns)).metadata.resourceVersion;
    const refused = await deploy(helmTool, 'full', at({ tag: 'broken' }));
    expect(refused.outcome).toMatchObject({ result: 'failed', liveColor: 'green', revision: 1 });
    expect(refused.outcome.error).toMatch(/^Pre-switch smoke failed on blue: health: /);
    expect(refused.outcome.phases.find((p) => p.name === 'pre-switch gate')?.outcome).toBe('failed');
    expect((await router(ns)).metadata.resourceVersion).toBe(before);
    for (const w of c.workloads('blue')) expect(await replicas(ns, w)).toBe(0);
    expect(await helmList(helmTool, ns)).toEqual({ 'web-blue': 'failed@3', 'web-green': 'deployed@1' });

    // 5. A re-run after the failures converges without any manual Helm command; first it scales blue back up, as its dry run says.
    const plan5 = await planDeploy(options(helmTool, 'full', at({ tag: '1.2.0' })), new MemoryLogger());
    const kinds = { deployments: 'Deployment', statefulsets: 'StatefulSet' };
    expect(
      plan5.writes
        .filter((w) => / scale 0→/.test(w.what))
        .map((w) => w.what.replace(/: scale .*/, ''))
        .sort(),
    ).toEqual(
      c
        .workloads('blue')
        .map((w) => `patch ${kinds[w.kind]} ${ns}/${w.name}`)
        .sort(),
    );
    const rerun = await deploy(helmTool, 'full', at({ tag: '1.2.0' }));
    for (const w of c.workloads('blue'))
      expect(rerun.log.text()).toMatch(new RegExp(`Scaled back up before the upgrade: .*\\b${w.name} 0→`));
    expect(rerun.outcome.error).toBeUndefined();
    expect(rerun.outcome).toMatchObject({ result: 'deployed', liveColor: 'blue', previousColor: 'green', revision: 4 });
    expect((await prod(ns)).version).toBe('1.2.0');
    expect(await helmList(helmTool, ns)).toEqual({ 'web-blue': 'deployed@4', 'web-green': 'deployed@1' });
    for (const w of c.workloads('green')) expect(await replicas(ns, w)).toBe(0);
  });

  it('a chart whose colours select the same pods is refused before anything is installed (dry run and run alike)', async () => {
    const ns = await createNamespace(cluster);
    const runSpec = spec(ns, path.join(FIXTURES, 'shared-labels'));
    const reason =
      /^Preflight refused the deploy: Deployment web-blue selects \{"app":"web"\}, which the pods of web-green \(Deployment web-green\) carry too: both colours would select the same pods\. Make the pod labels and selectors include the release name/;
    await expect(planDeploy(options(helmTool, 'full', runSpec), new MemoryLogger())).rejects.toThrow(reason);
    const { outcome } = await deploy(helmTool, 'full', runSpec);
    expect(outcome.error).toMatch(reason);
    expect(outcome.phases.map((p) => `${p.name}:${p.outcome}`)).toEqual(['preflight:failed']);
    expect(await helmList(helmTool, ns)).toEqual({});
    expect((await get(`/api/v1/namespaces/${ns}/services/web`)).status).toBe(404);
  });

  it('unschedulable and never-ready pods: the reason per pod is in the error and the outcome, taken before the clean-up', async () => {
    const ns = await createNamespace(cluster);
    const base = (overrides: Partial<DeploySpec>) => spec(ns, scaffold, { timeoutMs: 6_000, ...overrides });
    expect((await deploy(helmTool, 'full', base({ timeoutMs: 30_000 }))).outcome.error).toBeUndefined();

    const pending = await deploy(helmTool, 'full', base({ tag: '1.1.0', set: ['nodeSelector.pool=gpu'] }));
    expect(pending.outcome).toMatchObject({ result: 'failed', liveColor: 'blue', revision: 1 });
    expect(pending.outcome.error).toMatch(/^web-green did not become ready within 6s: deployment web-green: 0\/1 ready/);
    expect(pending.outcome.error).toMatch(
      /\n {2}pod web-green-[a-z0-9]+-[a-z0-9]+ \(Pending\): PodScheduled=False Unschedulable: 0\/2 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector\./,
    );
    expect(pending.outcome.error).toMatch(/events: Warning FailedScheduling: 0\/2 nodes are available/);
    expect(pending.outcome.diagnosis?.pods[0]).toMatchObject({ workload: 'deployment web-green', phase: 'Pending' });
    expect(pending.log.text()).toContain('Why web-green is not ready:');
    expect(await replicas(ns, { kind: 'deployments', name: 'web-green' })).toBe(0);
    expect(await helmList(helmTool, ns)).toEqual({ 'web-blue': 'deployed@1', 'web-green': 'failed@1' });

    const unready = await deploy(helmTool, 'full', base({ tag: 'never-ready' }));
    expect(unready.outcome.error).toMatch(/^web-green did not become ready within 6s/);
    expect(unready.outcome.error).toMatch(/pod web-green-\S+ \(Running\): Ready=False ContainersNotReady: containers with unready status/);
    expect(unready.outcome.error).toMatch(/container web running but not ready/);
    expect(unready.outcome.error).toMatch(
      /events: (?:.* \| )?Warning Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503/,
    );
    expect(await replicas(ns, { kind: 'deployments', name: 'web-green' })).toBe(0);
    expect(await helmList(helmTool, ns)).toEqual({ 'web-blue': 'deployed@1', 'web-green': 'failed@2' });
    expect((await prod(ns)).version).toBe('1.0.0');
  });

  it('a StatefulSet whose immutable podManagementPolicy changes: the idle colour is recreated, as the dry run says; the live colour untouched', async () => {
    const ns = await createNamespace(cluster);
    const at = (overrides: Partial<DeploySpec>) => spec(ns, path.join(FIXTURES, 'statefulset'), overrides);
    expect((await deploy(helmTool, 'full', at({}))).outcome.error).toBeUndefined();
    expect((await deploy(helmTool, 'full', at({ tag: '1.1.0' }))).outcome.error).toBeUndefined();
    const liveStore = `/apis/apps/v1/namespaces/${ns}/statefulsets/web-green-store`;
    const untouched = (o: { metadata: { generation: number; annotations?: object }; spec: { replicas: number } }) => [
      o.metadata.generation,
      o.metadata.annotations,
      o.spec.replicas,
    ];
    const green = untouched((await get(liveStore)).body);
    const oldBlue = (await get(`/apis/apps/v1/namespaces/${ns}/statefulsets/web-blue-store`)).body;
    expect(oldBlue.spec.podManagementPolicy).toBe('Parallel');

    const changed = at({ tag: '1.2.0', set: ['podManagementPolicy=OrderedReady'] });
    const plan = await planDeploy(options(helmTool, 'deploy', changed), new MemoryLogger());
    expect(plan.recreate).toEqual({
      argv: [requireTool(helmTool).path, 'uninstall', 'web-blue', '--namespace', ns, '--timeout', '30s'],
      reason: 'StatefulSet web-blue-store has podManagementPolicy "Parallel", the chart now renders "OrderedReady"',
    });
    const pending = (routerWriteOf(plan).body as { metadata: { annotations: Record<string, string> } }).metadata.annotations;
    expect(pending[ANNOTATIONS.pendingRevision]).toBe('1');

    const { outcome } = await deploy(helmTool, 'deploy', changed);
    expect(outcome.error).toBeUndefined();
    expect(outcome.phases.find((p) => p.name === 'recreate-idle')?.detail).toBe(
      'web-blue uninstalled to be installed afresh (StatefulSet web-blue-store change immutable fields)',
    );
    const blue = (await get(`/apis/apps/v1/namespaces/${ns}/statefulsets/web-blue-store`)).body;
    expect([blue.metadata.uid === oldBlue.metadata.uid, blue.spec.podManagementPolicy]).toEqual([false, 'OrderedReady']);
    // What the dry run said is what was written; green never touched and still serving.
    expect((await router(ns)).metadata.annotations[ANNOTATIONS.pendingRevision]).toBe(pending[ANNOTATIONS.pendingRevision]);
    expect(untouched((await get(liveStore)).body)).toEqual(green);
    expect((await router(ns)).spec.selector).toEqual({ 'app.kubernetes.io/name': 'store', 'app.kubernetes.io/instance': 'web-green' });
    expect((await prod(ns)).version).toBe('1.1.0');
    expect(await helmList(helmTool, ns)).toEqual({ 'web-blue': 'deployed@1', 'web-green': 'deployed@1' });

    const promoted = await deploy(helmTool, 'promote', changed);
    expect(promoted.outcome.error).toBeUndefined();
    expect(promoted.outcome).toMatchObject({ result: 'deployed', liveColor: 'blue', revision: 1 });
    expect((await prod(ns)).version).toBe('1.2.0');
  });

  it('a crash-looping colour and an image that cannot be pulled: each run fails before the switch, names the pod, its reason and the last message, cleans up; the live colour serves untouched', async () => {
    const ns = await createNamespace(cluster);
    const base = (overrides: Partial<DeploySpec>) => spec(ns, scaffold, { timeoutMs: 6_000, ...overrides });
    expect((await deploy(helmTool, 'full', base({ timeoutMs: 30_000 }))).outcome.error).toBeUndefined();
    const liveBlue = `/apis/apps/v1/namespaces/${ns}/deployments/web-blue`;
    const untouched = (d: { metadata: { generation: number; annotations?: object }; spec: { replicas: number } }) => [
      d.metadata.generation,
      d.metadata.annotations,
      d.spec.replicas,
    ];
    const blue = untouched((await get(liveBlue)).body);
    const routerVersion = (await router(ns)).metadata.resourceVersion;

    const crash = await deploy(helmTool, 'full', base({ tag: 'crash-loop' }));
    expect(crash.outcome).toMatchObject({ result: 'failed', liveColor: 'blue', revision: 1 });
    expect(crash.outcome.phases.map((p) => `${p.name}:${p.outcome}`)).toEqual([
      'preflight:ok',
      'lock:ok',
      'deploy-idle:ok',
      'wait-ready:failed',
      'scale-down:ok',
      'release-lock:ok',
    ]);
    expect(crash.outcome.error).toMatch(/^web-green did not become ready within 6s: deployment web-green: 0\/1 ready/);
    expect(crash.outcome.error).toMatch(
      /\n {2}pod web-green-[a-z0-9]+-[a-z0-9]+ \(Running\): Ready=False ContainersNotReady: containers with unready status: \[web\]/,
    );
    expect(crash.outcome.error).toMatch(
      /container web waiting: CrashLoopBackOff \(back-off 40s restarting failed container=web pod=web-green-/,
    );
    expect(crash.outcome.error).toContain(
      'container web restarted 3× (last: Error exit 1: Error: connect ECONNREFUSED 10.96.0.12:5432 (database unreachable))',
    );
    expect(crash.outcome.error).toMatch(/events: (?:.* \| )?Warning BackOff: Back-off restarting failed container/);
    expect(crash.log.text()).toContain('Why web-green is not ready:');
    expect(await replicas(ns, { kind: 'deployments', name: 'web-green' })).toBe(0);
    expect(await helmList(helmTool, ns)).toEqual({ 'web-blue': 'deployed@1', 'web-green': 'failed@1' });

    const pull = await deploy(helmTool, 'full', base({ tag: 'no-such-tag' }));
    expect(pull.outcome).toMatchObject({ result: 'failed', liveColor: 'blue', revision: 1 });
    expect(pull.outcome.phases.find((p) => p.name === 'wait-ready')?.outcome).toBe('failed');
    expect(pull.outcome.error).toMatch(/^web-green did not become ready within 6s/);
    expect(pull.outcome.error).toMatch(
      /\n {2}pod web-green-[a-z0-9]+-[a-z0-9]+ \(Pending\): Ready=False ContainersNotReady: containers with unready status: \[web\]/,
    );
    expect(pull.outcome.error).toContain('container web waiting: ImagePullBackOff (Back-off pulling image "nginx:no-such-tag")');
    const pullLine = pull.outcome.error!.split('\n').find((l) => l.includes('ImagePullBackOff')) ?? '';
    expect(pullLine).toContain(
      'Warning Failed: Failed to pull image: rpc error: code = NotFound desc = failed to resolve reference: not found',
    );
    expect(pullLine).toContain('Warning BackOff: Back-off pulling image');
    // The pod of the new revision; the crash-looping pod of the last one, scaled back up before the upgrade, is listed too.
    const pulling = pull.outcome.diagnosis?.pods.find((d) => d.reasons.some((r) => r.includes('ImagePullBackOff')));
    expect(pulling).toMatchObject({ workload: 'deployment web-green', phase: 'Pending' });
    expect(await replicas(ns, { kind: 'deployments', name: 'web-green' })).toBe(0);
    expect(await helmList(helmTool, ns)).toEqual({ 'web-blue': 'deployed@1', 'web-green': 'failed@2' });

    // The live colour: never written to, still routed to, still serving.
    expect(untouched((await get(liveBlue)).body)).toEqual(blue);
    expect((await router(ns)).metadata.resourceVersion).toBe(routerVersion);
    expect((await prod(ns)).version).toBe('1.0.0');
  });

  it('rollback or promote with nothing to do: the dry run refuses exactly as the run does', async () => {
    const ns = await createNamespace(cluster);
    const runSpec = spec(ns, scaffold);
    await deploy(helmTool, 'full', runSpec);
    for (const mode of ['rollback', 'promote'] as const) {
      const { outcome } = await deploy(helmTool, mode, runSpec);
      expect(outcome.error).toMatch(/^Nothing to (roll back|promote)/);
      await expect(planDeploy(options(helmTool, mode, runSpec), new MemoryLogger())).rejects.toThrow(outcome.error!);
    }
  });
});
