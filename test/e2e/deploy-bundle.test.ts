/**
 * dist/deploy run as the runner runs it (INPUT_*, GITHUB_OUTPUT/STATE/STEP_SUMMARY files, then the
 * post step with the saved state) against the real control plane from test/cluster, deploying the
 * example service's chart with real Helm 4 — including a main step killed with SIGKILL mid-switch
 * and one cancelled with SIGINT, the two ways a runner stops a job.
 */
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createRunnerEnv,
  json,
  repoRoot,
  requireTool,
  runBundle,
  startServer,
  type LoopbackServer,
  type RunnerEnv,
} from '@pipeline-toolkit/testing';
import { ConsoleLogger } from '@pipeline-toolkit/core';
import { main } from '../../packages/cli/src/main.ts';
import { startCluster, createNamespace, type Cluster } from '../cluster/cluster.ts';
import { api, waitFor } from '../cluster/api.ts';

jest.setTimeout(180_000);

const CHART = path.join(repoRoot, 'examples/python-service/charts/orders-service');
const JOURNAL = 'deploy-journal';
let cluster: Cluster;
let ingress: LoopbackServer;
let workspace: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API objects as JSON
const get = (apiPath: string) => api<any>(cluster, 'GET', apiPath);
type Endpoint = { conditions?: { ready?: boolean }; targetRef?: { name?: string } };

/** kube-proxy's part: a ready endpoint of the Service, then that pod's image tag (nothing runs on kwok nodes). */
async function serve(namespace: string, service: string): Promise<{ status: number; body: unknown }> {
  const slices = await get(
    `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices?labelSelector=kubernetes.io/service-name=${service}`,
  );
  const ready = (slices.body.items ?? [])
    .flatMap((s: { endpoints?: Endpoint[] }) => s.endpoints ?? [])
    .filter((e: Endpoint) => e.conditions?.ready !== false && e.targetRef?.name);
  if (!ready.length) return { status: 503, body: { status: 'no ready endpoint' } };
  const pod = await get(`/api/v1/namespaces/${namespace}/pods/${ready[0].targetRef.name}`);
  const image: string = pod.body.spec?.containers?.[0]?.image ?? '';
  return { status: 200, body: { status: 'ok', version: image.slice(image.lastIndexOf(':') + 1) } };
}

beforeAll(async () => {
  cluster = await startCluster();
  // /prod/<ns>/… through the router; /preview/<ns>/<colour>/… through the colour's Service; /hang never answers.
  ingress = await startServer(async (req, res) => {
    const [, kind, namespace, color] = req.url.split('/');
    if (kind === 'hang') return;
    const routed = kind === 'prod' ? 'orders' : `orders-${color}-orders-service`;
    const answer = await serve(namespace!, routed);
    json(res, answer.status, answer.body);
  });
  workspace = await mkdtemp(path.join(tmpdir(), 'ptk-workspace-'));
  // Pods get their stand-in a moment after they turn Ready (servePods polls), so this suite retries.
  await writeFile(
    path.join(workspace, 'smoke-retry.yml'),
    'defaults: { retries: 3, backoff: 300ms, timeout: 10s }\nchecks:\n  - name: health\n    tags: [critical]\n    http: { path: /health, expect: { status: 200, json: { "$.status": ok } } }\n',
  );
  await writeFile(
    path.join(workspace, 'smoke.yml'),
    'defaults: { retries: 0, timeout: 60s }\nchecks:\n  - name: health\n    tags: [critical]\n    http: { path: /health, expect: { status: 200, json: { "$.status": ok } } }\n',
  );
}, 180_000);

afterAll(async () => {
  await ingress?.close();
  await cluster?.stop();
});

const inputs = (namespace: string, extra: Record<string, string> = {}) => ({
  release: 'orders',
  namespace,
  chart: CHART,
  tag: '1.0.0',
  kubeconfig: cluster.kubeconfigPath,
  helm: requireTool('helm4').path,
  'smoke-config': 'smoke.yml',
  'preview-url': `${ingress.url}/preview/${namespace}/{color}`,
  'production-url': `${ingress.url}/prod/${namespace}`,
  // The chart refuses production without a Secret holding SECRET_KEY (see namespaceWithSecret()).
  set: 'existingSecret=orders-secrets',
  timeout: '60s',
  drain: '1s',
  ...extra,
});

async function namespaceWithSecret(): Promise<string> {
  const ns = await createNamespace(cluster);
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'orders-secrets' },
    stringData: { SECRET_KEY: 'e2e-only-not-a-secret' },
  };
  expect((await api(cluster, 'POST', `/api/v1/namespaces/${ns}/secrets`, secret)).status).toBe(201);
  return ns;
}

const routerColour = async (ns: string): Promise<string | undefined> =>
  (await get(`/api/v1/namespaces/${ns}/services/orders`)).body.spec?.selector?.['app.kubernetes.io/instance'];
const leaseStatus = async (ns: string) => (await get(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/orders-deploy`)).status;

/** Starts the main step like the runner and returns the child, so the test can stop it as a cancel would. */
function startMain(runner: RunnerEnv, stepInputs: Record<string, string>) {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...runner.env };
  for (const [name, value] of Object.entries(stepInputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/deploy/index.js')], {
    env,
    cwd: workspace,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout };
}

async function post(runner: RunnerEnv, stepInputs: Record<string, string>) {
  const state = await runner.state();
  return runBundle('deploy', {
    entry: 'post',
    runner,
    cwd: workspace,
    inputs: stepInputs,
    env: state[JOURNAL] ? { [`STATE_${JOURNAL}`]: state[JOURNAL] } : {},
  });
}

/**
 * Stands in for the containers: every pod of the namespace gets a loopback server answering as the
 * service would (its own image tag as version; 500 for tags starting with "broken"), routed from
 * podIP:8000 through the cluster's egress, so the API server's service proxy reaches it.
 */
function servePods(namespace: string) {
  const servers: LoopbackServer[] = [];
  const unroute: (() => void)[] = [];
  const routed = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const pods = (await get(`/api/v1/namespaces/${namespace}/pods`)).body.items ?? [];
      for (const pod of pods) {
        const ip: string | undefined = pod.status?.podIP;
        if (!ip || routed.has(ip)) continue;
        routed.add(ip);
        const image: string = pod.spec.containers[0].image;
        const tag = image.slice(image.lastIndexOf(':') + 1);
        const server = await startServer((req, res) =>
          json(res, tag.startsWith('broken') ? 500 : 200, { status: tag.startsWith('broken') ? 'error' : 'ok', version: tag }),
        );
        servers.push(server);
        unroute.push(cluster.route(ip, 8000, server.port));
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    servers,
    async stop() {
      running = false;
      await loop;
      for (const remove of unroute) remove();
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

describe('dist/deploy on a real control plane (Helm 4, example chart)', () => {
  it('deploys, flips, writes outputs and the summary; the post step has nothing to do', async () => {
    const ns = await namespaceWithSecret();
    const runner = await createRunnerEnv({ GITHUB_WORKSPACE: workspace });
    const first = await runBundle('deploy', { runner, cwd: workspace, inputs: inputs(ns), timeoutMs: 120_000 });
    expect(first.commands.filter((c) => c.command === 'error')).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toEqual({
      result: 'deployed',
      'live-color': 'blue',
      'previous-color': '',
      revision: '1',
      url: `${ingress.url}/prod/${ns}`,
      'preview-address': '',
    });

    const second = await runBundle('deploy', { runner, cwd: workspace, inputs: inputs(ns, { tag: '1.1.0' }), timeoutMs: 120_000 });
    expect(second.exitCode).toBe(0);
    expect(second.outputs).toMatchObject({ result: 'deployed', 'live-color': 'green', 'previous-color': 'blue', revision: '1' });
    expect(second.summary).toContain('## Deploy orders (' + ns + '): deployed');
    expect(second.summary).toContain('```mermaid\ngantt');
    expect(second.summary).toMatch(/\| pre-switch \| green \| passed \| 1\/1 checks passed \|/);
    expect(second.summary).toMatch(/\| post-switch \| green \| passed \| 1\/1 checks passed \|/);
    expect(await routerColour(ns)).toBe('orders-green');

    const cleanup = await post(runner, inputs(ns));
    expect(cleanup.exitCode).toBe(0);
    expect(cleanup.stdout).not.toContain('post:');
    await runner.cleanup();
  });

  it('main killed with SIGKILL mid-switch → the post step restores the last verified colour and releases the lock', async () => {
    const ns = await namespaceWithSecret();
    const runner = await createRunnerEnv({ GITHUB_WORKSPACE: workspace });
    expect((await runBundle('deploy', { runner, cwd: workspace, inputs: inputs(ns), timeoutMs: 120_000 })).exitCode).toBe(0);

    // The post-switch gate hangs (production never answers), so the switch stays unverified.
    const hanging = inputs(ns, { tag: '1.1.0', 'production-url': `${ingress.url}/hang/${ns}` });
    const main = startMain(runner, hanging);
    await waitFor('the switch to green', async () => ((await routerColour(ns)) === 'orders-green' ? true : undefined), 90_000);
    expect((await get(`/api/v1/namespaces/${ns}/services/orders`)).body.metadata.annotations['pipeline-toolkit.dev/verified']).toBe(
      'false',
    );
    main.child.kill('SIGKILL');
    await main.exited;
    expect(await leaseStatus(ns)).toBe(200);

    const cleanup = await post(runner, hanging);
    expect(cleanup.exitCode).toBe(0);
    expect(cleanup.stdout).toContain('post: restored the router (Service orders) to blue (the switch to green was never verified)');
    expect(cleanup.stdout).toContain('post: Lease orders-deploy released');
    expect(await routerColour(ns)).toBe('orders-blue');
    expect(await leaseStatus(ns)).toBe(404);
    expect(((await (await fetch(`${ingress.url}/prod/${ns}/health`)).json()) as { version: string }).version).toBe('1.0.0');
    await runner.cleanup();
  });

  it('main cancelled with SIGINT mid-switch → it undoes the switch itself and fails; the post step has nothing left to do', async () => {
    const ns = await namespaceWithSecret();
    const runner = await createRunnerEnv({ GITHUB_WORKSPACE: workspace });
    expect((await runBundle('deploy', { runner, cwd: workspace, inputs: inputs(ns), timeoutMs: 120_000 })).exitCode).toBe(0);
    const hanging = inputs(ns, { tag: '1.1.0', 'production-url': `${ingress.url}/hang/${ns}` });
    const main = startMain(runner, hanging);
    await waitFor('the switch to green', async () => ((await routerColour(ns)) === 'orders-green' ? true : undefined), 90_000);
    main.child.kill('SIGINT');
    // The runner sends SIGTERM 7.5 s after SIGINT; the main step must be done well before.
    const exitCode = await Promise.race([main.exited, new Promise((r) => setTimeout(() => r('still running'), 7_500))]);
    expect(exitCode).toBe(1);
    expect(main.stdout()).toContain('::error::The deploy was cancelled.');
    expect(await routerColour(ns)).toBe('orders-blue');
    expect(await leaseStatus(ns)).toBe(404);
    const outputs = await runner.outputs();
    expect(outputs).toMatchObject({ result: 'rolled-back', 'live-color': 'blue' });
    const cleanup = await post(runner, hanging);
    expect(cleanup.exitCode).toBe(0);
    expect(cleanup.stdout).not.toContain('post:');
    await runner.cleanup();
  });

  it('without preview-url and production-url, the smoke gates reach the pods through the API server service proxy', async () => {
    const ns = await namespaceWithSecret();
    const pods = servePods(ns);
    try {
      const runner = await createRunnerEnv({ GITHUB_WORKSPACE: workspace });
      const direct = inputs(ns, { 'preview-url': '', 'production-url': '', 'smoke-config': 'smoke-retry.yml' });
      const first = await runBundle('deploy', { runner, cwd: workspace, inputs: direct, timeoutMs: 120_000 });
      expect(first.commands.filter((c) => c.command === 'error')).toEqual([]);
      expect(first.outputs).toMatchObject({
        result: 'deployed',
        'live-color': 'blue',
        url: `${cluster.server}/api/v1/namespaces/${ns}/services/orders/proxy/`,
      });
      expect(first.summary).toMatch(/\| pre-switch \| blue \| passed \| 1\/1 checks passed \|/);
      expect(first.summary).toMatch(/\| post-switch \| blue \| passed \| 1\/1 checks passed \|/);
      expect(pods.servers.some((server) => server.requests.some((r) => r.url === '/health'))).toBe(true);

      const broken = await runBundle('deploy', { runner, cwd: workspace, inputs: { ...direct, tag: 'broken' }, timeoutMs: 120_000 });
      expect(broken.exitCode).toBe(1);
      expect(broken.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([
        expect.stringMatching(/^Smoke check 'health' failed: status 500, expected 200/),
        expect.stringMatching(
          /^Pre-switch smoke failed on green: 1\/1 checks failed: health \(status 500, expected 200.*\)\. Traffic stays on blue\.$/,
        ),
      ]);
      expect(await routerColour(ns)).toBe('orders-blue');
      await runner.cleanup();
    } finally {
      await pods.stop();
    }
  });

  it('CLI: `pipeline-toolkit deploy --dry-run` prints the plan and changes nothing; without it, it deploys', async () => {
    const ns = await namespaceWithSecret();
    const lines: string[] = [];
    const io = {
      log: new ConsoleLogger({ out: (l) => lines.push(l), err: (l) => lines.push(l) }),
      out: (t: string) => lines.push(t),
      env: { PATH: process.env['PATH'] },
      cwd: workspace,
    };
    const flags = [
      '--release',
      'orders',
      '--namespace',
      ns,
      '--chart',
      CHART,
      '--kubeconfig',
      cluster.kubeconfigPath,
      '--helm',
      requireTool('helm3').path,
      '--set',
      'existingSecret=orders-secrets',
      '--tag',
      '1.0.0',
      '--drain',
      '0s',
    ];
    expect(await main(['deploy', ...flags, '--dry-run'], io)).toBe(0);
    const plan = lines.join('\n');
    expect(plan).toMatch(/Router\s+none yet: the first deploy creates Service orders/);
    expect(plan).toMatch(/Idle colour \(deploy target\)\s+blue/);
    expect(plan).toMatch(/Helm\s+Helm 3 \(/);
    expect(plan).toContain(
      `upgrade orders-blue ${CHART} --install --namespace ${ns} --timeout 300s --set existingSecret=orders-secrets --set-string image.tag=1.0.0`,
    );
    expect((await get(`/api/v1/namespaces/${ns}/services/orders`)).status).toBe(404);
    expect((await get(`/apis/apps/v1/namespaces/${ns}/deployments`)).body.items).toEqual([]);

    lines.length = 0;
    expect(await main(['deploy', ...flags], io)).toBe(0);
    expect(lines.join('\n')).toMatch(/result: deployed, live colour: blue, revision 1/);
    expect(await routerColour(ns)).toBe('orders-blue');
  });
});
