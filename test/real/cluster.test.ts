/**
 * Proof that the test control plane behaves like a cluster for what the deploy action relies on:
 * Deployments become Available with Ready pods and filled EndpointSlices, pods marked never-ready
 * stay unready, resourceVersion preconditions are enforced, and Helm 3 and 4 releases succeed or
 * time out as Helm reports them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { json, requireTool, startServer } from '@pipeline-toolkit/testing';
import { api, waitFor } from '../cluster/api.ts';
import { createNamespace, listRecords, NEVER_READY_LABEL, startCluster, type Cluster } from '../cluster/cluster.ts';
import { isAlive, reapOrphans } from '../cluster/processes.ts';

const exec = promisify(execFile);

interface Condition {
  type: string;
  status: string;
}
interface Pod {
  metadata: { name: string };
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string; conditions?: Condition[] };
}
interface Deployment {
  status: { availableReplicas?: number; readyReplicas?: number; replicas?: number; conditions?: Condition[] };
}
interface EndpointSlice {
  endpoints?: { addresses: string[]; conditions: { ready?: boolean }; targetRef?: { name: string } }[];
}

let cluster: Cluster;
let work: string;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2 });
  work = await mkdtemp(path.join(tmpdir(), 'ptk-cluster-test-'));
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  if (work) await rm(work, { recursive: true, force: true });
}, 60_000);

function deployment(name: string, replicas: number, opts: { image?: string; podLabels?: Record<string, string> } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...opts.podLabels } },
        spec: { containers: [{ name: 'web', image: opts.image ?? 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

function service(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 80 }] },
  };
}

async function create(ns: string, collection: string, body: unknown): Promise<void> {
  const base = collection === 'deployments' ? `/apis/apps/v1/namespaces/${ns}` : `/api/v1/namespaces/${ns}`;
  const res = await api(cluster, 'POST', `${base}/${collection}`, body);
  expect(res.status).toBe(201);
}

async function pods(ns: string, app: string): Promise<Pod[]> {
  return (await api<{ items: Pod[] }>(cluster, 'GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`app=${app}`)}`))
    .body.items;
}

async function endpoints(ns: string, svc: string) {
  const selector = encodeURIComponent(`kubernetes.io/service-name=${svc}`);
  const res = await api<{ items: EndpointSlice[] }>(
    cluster,
    'GET',
    `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=${selector}`,
  );
  return res.body.items.flatMap((slice) => slice.endpoints ?? []);
}

/** A killed process whose parent has not reaped it yet still answers kill(pid, 0). */
const isZombie = (pid: number) => {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
};

const isReady = (conditions: Condition[] | undefined) => conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function helm(bin: string, args: string[], kubeconfig: string) {
  const home = path.join(work, path.basename(path.dirname(path.dirname(bin))));
  const env = {
    ...process.env,
    KUBECONFIG: kubeconfig,
    HELM_CACHE_HOME: `${home}/cache`,
    HELM_CONFIG_HOME: `${home}/config`,
    HELM_DATA_HOME: `${home}/data`,
  };
  try {
    const { stdout, stderr } = await exec(bin, args, { env, cwd: work, timeout: 180_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

describe('test cluster', () => {
  it('registers the fake nodes as Ready', async () => {
    const nodes = await api<{ items: { metadata: { name: string }; status: { conditions?: Condition[] } }[] }>(
      cluster,
      'GET',
      '/api/v1/nodes',
    );
    expect(nodes.body.items.map((n) => n.metadata.name).sort()).toEqual(cluster.nodes);
    expect(nodes.body.items.every((n) => isReady(n.status.conditions))).toBe(true);
  });

  it('refuses a wrong token and lets RBAC deny what no role grants', async () => {
    expect((await api({ ...cluster, token: 'not-the-token' }, 'GET', '/api/v1/nodes')).status).toBe(401);
    const review = await api<{ status: { allowed: boolean } }>(cluster, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: 'someone', resourceAttributes: { verb: 'list', resource: 'secrets', namespace: 'default' } },
    });
    expect(review.status).toBe(201);
    expect(review.body.status.allowed).toBe(false);
  });

  it('runs a Deployment to Available with Ready pods whose IPs fill the EndpointSlice', async () => {
    const ns = await createNamespace(cluster, 'ready');
    await create(ns, 'deployments', deployment('web', 3));
    await create(ns, 'services', service('web'));

    const status = await waitFor('Deployment web Available', async () => {
      const d = (await api<Deployment>(cluster, 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`)).body.status;
      return d.availableReplicas === 3 && d.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ? d : undefined;
    });
    expect(status.readyReplicas).toBe(3);

    const running = await pods(ns, 'web');
    expect(running).toHaveLength(3);
    for (const pod of running) {
      expect(pod.status.phase).toBe('Running');
      expect(isReady(pod.status.conditions)).toBe(true);
      expect(pod.status.podIP).toMatch(/^10\.244\./);
      expect(cluster.nodes).toContain(pod.spec.nodeName);
    }
    const eps = await waitFor('3 ready endpoints', async () => {
      const list = await endpoints(ns, 'web');
      return list.length === 3 && list.every((e) => e.conditions.ready) ? list : undefined;
    });
    expect(eps.flatMap((e) => e.addresses).sort()).toEqual(running.map((p) => p.status.podIP).sort());
  }, 90_000);

  it.each([
    ['labelled never-ready', { podLabels: { [NEVER_READY_LABEL]: 'true' } }],
    ['with an image tagged :never-ready', { image: 'nginx:never-ready' }],
  ])(
    'runs pods %s without ever making them Ready',
    async (_what, opts) => {
      const ns = await createNamespace(cluster, 'unready');
      await create(ns, 'deployments', deployment('stuck', 2, opts));
      await create(ns, 'services', service('stuck'));

      const list = await waitFor('2 running pods with IPs', async () => {
        const p = await pods(ns, 'stuck');
        return p.length === 2 && p.every((x) => x.status.phase === 'Running' && x.status.podIP) ? p : undefined;
      });
      const eps = await waitFor('2 endpoints', async () => {
        const e = await endpoints(ns, 'stuck');
        return e.length === 2 ? e : undefined;
      });
      expect(eps.every((e) => e.conditions.ready === false)).toBe(true);
      expect(list.every((p) => !isReady(p.status.conditions))).toBe(true);
      const d = (await api<Deployment>(cluster, 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/stuck`)).body.status;
      expect(d.availableReplicas ?? 0).toBe(0);
    },
    90_000,
  );

  it.each([
    [
      'an image tagged :crash-loop crash-loops',
      'nginx:crash-loop',
      'Running',
      {
        ready: false,
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: {
          terminated: { exitCode: 1, reason: 'Error', message: 'Error: connect ECONNREFUSED 10.96.0.12:5432 (database unreachable)' },
        },
      },
      ['BackOff: Back-off restarting failed container'],
    ],
    [
      'an image tagged :no-such-tag cannot be pulled',
      'nginx:no-such-tag',
      'Pending',
      {
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:no-such-tag"' } },
      },
      [
        'Failed: Failed to pull image: rpc error: code = NotFound desc = failed to resolve reference: not found',
        'BackOff: Back-off pulling image',
      ],
    ],
  ])(
    'reports what the kubelet reports when %s: the container state and the Warning events',
    async (_what, image, phase, container, events) => {
      const ns = await createNamespace(cluster, 'failing');
      await create(ns, 'deployments', deployment('failing', 1, { image }));
      type Status = { phase: string; containerStatuses?: { state?: { waiting?: { reason?: string } } }[] };
      const wanted = (container.state.waiting as { reason: string }).reason;
      const [pod] = await waitFor(`a pod whose container waits in ${wanted}`, async () => {
        const p = (await pods(ns, 'failing')) as unknown as { metadata: { name: string }; status: Status }[];
        return p.length === 1 && p[0]!.status.containerStatuses?.[0]?.state?.waiting?.reason === wanted ? p : undefined;
      });
      expect(pod!.status.phase).toBe(phase);
      expect(pod!.status.containerStatuses?.[0]).toMatchObject(container);
      const warnings = await waitFor(`${events.length} Warning events about the pod`, async () => {
        const list = await api<{ items: { type: string; reason: string; message: string; involvedObject: { name: string } }[] }>(
          cluster,
          'GET',
          `/api/v1/namespaces/${ns}/events`,
        );
        const about = list.body.items.filter((e) => e.type === 'Warning' && e.involvedObject.name === pod!.metadata.name);
        return about.length >= events.length ? about.map((e) => `${e.reason}: ${e.message}`) : undefined;
      });
      expect(warnings).toEqual(events);
    },
    90_000,
  );

  it('enforces a resourceVersion precondition on a Service patch (409 when stale)', async () => {
    const ns = await createNamespace(cluster, 'patch');
    await create(ns, 'services', service('web'));
    const url = `/api/v1/namespaces/${ns}/services/web`;
    const before = (await api<{ metadata: { resourceVersion: string } }>(cluster, 'GET', url)).body.metadata.resourceVersion;
    const patch = (color: string, resourceVersion: string) =>
      api<{ spec: { selector: Record<string, string> } }>(
        cluster,
        'PATCH',
        url,
        { metadata: { resourceVersion }, spec: { selector: { app: 'web', color } } },
        { contentType: 'application/merge-patch+json' },
      );

    const applied = await patch('green', before);
    expect(applied.status).toBe(200);
    expect(applied.body.spec.selector).toEqual({ app: 'web', color: 'green' });
    const stale = await patch('blue', before);
    expect(stale.status).toBe(409);
    expect((await api<{ spec: { selector: Record<string, string> } }>(cluster, 'GET', url)).body.spec.selector['color']).toBe('green');
  });

  it('proxies Service requests through the API server to a loopback stand-in for a routed pod, and refuses unrouted ones', async () => {
    const ns = await createNamespace(cluster, 'proxy');
    await create(ns, 'deployments', deployment('web', 1));
    await create(ns, 'services', service('web'));
    const [endpoint] = await waitFor('a ready endpoint', async () => {
      const ready = (await endpoints(ns, 'web')).filter((e) => e.conditions.ready);
      return ready.length === 1 ? ready : undefined;
    });
    const podIP = endpoint!.addresses[0]!;
    const proxyPath = `/api/v1/namespaces/${ns}/services/web:http/proxy/healthz?probe=1`;

    // No container runs behind a kwok pod: unrouted, the egress proxy refuses rather than dialling the pod IP.
    const refused = await api(cluster, 'GET', proxyPath);
    expect(refused.status).toBe(503);
    expect(refused.text).toContain(`while dialing ${podIP}:80, code 403: 403 No route to ${podIP}:80`);

    const pod = await startServer((req, res) => json(res, 200, { pod: 'web', path: req.url }));
    const unroute = cluster.route(podIP, 80, pod.port);
    try {
      const res = await api<{ pod: string; path: string }>(cluster, 'GET', proxyPath);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ pod: 'web', path: '/healthz?probe=1' });
      expect(pod.requests).toHaveLength(1);
    } finally {
      unroute();
      await pod.close();
    }
  }, 90_000);
});

describe.each([
  ['helm3', 'v3', ['--wait']],
  ['helm4', 'v4', ['--wait=watcher']],
])('%s against the test cluster', (tool, _major, waitFlags) => {
  it('installs a chart made by `helm create` to an Available Deployment with ready endpoints', async () => {
    const bin = requireTool(tool).path;
    const ns = await createNamespace(cluster, tool);
    const chart = path.join(work, `${tool}-app`);
    expect((await helm(bin, ['create', chart], cluster.kubeconfigPath)).code).toBe(0);
    const res = await helm(
      bin,
      ['upgrade', '--install', 'app', chart, '-n', ns, ...waitFlags, '--timeout', '90s', '--set', 'replicaCount=2'],
      cluster.kubeconfigPath,
    );
    expect(res.stderr).not.toMatch(/Error/);
    expect(res.code).toBe(0);

    const d = (await api<Deployment>(cluster, 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/app-${tool}-app`)).body.status;
    expect(d.availableReplicas).toBe(2);
    const eps = await waitFor('2 ready endpoints', async () => {
      const e = await endpoints(ns, `app-${tool}-app`);
      return e.length === 2 && e.every((x) => x.conditions.ready) ? e : undefined;
    });
    expect(eps).toHaveLength(2);
  }, 150_000);

  it('reports a release whose pods never become ready as failed after the timeout', async () => {
    const bin = requireTool(tool).path;
    const ns = await createNamespace(cluster, tool);
    const chart = path.join(work, `${tool}-stuck`);
    expect((await helm(bin, ['create', chart], cluster.kubeconfigPath)).code).toBe(0);
    const res = await helm(
      bin,
      ['upgrade', '--install', 'stuck', chart, '-n', ns, ...waitFlags, '--timeout', '15s', '--set', 'image.tag=never-ready'],
      cluster.kubeconfigPath,
    );
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/Error/);

    const status = await helm(bin, ['status', 'stuck', '-n', ns, '-o', 'json'], cluster.kubeconfigPath);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as { info: { status: string } }).info.status).toBe('failed');
  }, 150_000);
});

describe('teardown by PID', () => {
  it('stops the control plane of a test process that was killed, at the next start or `down`', async () => {
    const clusterModule = path.join(import.meta.dirname, '..', 'cluster', 'cluster.ts');
    const script = `const { startCluster } = await import(${JSON.stringify(clusterModule)});
      const c = await startCluster({ nodes: 1 });
      console.log(JSON.stringify({ id: c.id }));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(d.toString()));
      child.once('exit', (code) => reject(new Error(`cluster process exited with ${code}`)));
    });
    const { id } = JSON.parse(line) as { id: string };
    const record = listRecords().find((r) => r.id === id)!;
    expect(record.processes.map((p) => p.name)).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']);
    expect(record.processes.every((p) => isAlive(p.pid))).toBe(true);

    child.kill('SIGKILL'); // no exit handler runs
    await new Promise((resolve) => child.once('exit', resolve));
    expect(record.processes.every((p) => isAlive(p.pid))).toBe(true);

    await reapOrphans();
    expect(listRecords().some((r) => r.id === id)).toBe(false);
    expect(record.processes.filter((p) => isAlive(p.pid) && !isZombie(p.pid))).toEqual([]);
    expect(existsSync(record.dir)).toBe(false);
  }, 120_000);
});

describe('@kubernetes/client-node through packages/k8s', () => {
  it('reads, patches a Service selector with a resourceVersion precondition, and gets a 409 on a stale one', async () => {
    const { connect, isConflict } = await import('@pipeline-toolkit/k8s');
    const { MemoryLogger } = await import('@pipeline-toolkit/core');
    const namespace = await createNamespace(cluster, 'client-node');
    const { api: kube } = await connect({ kind: 'kubeconfig-file', path: cluster.kubeconfigPath }, new MemoryLogger());
    const created = await kube.createService(namespace, {
      metadata: { name: 'router', labels: { app: 'shop' } },
      spec: { selector: { color: 'blue' }, ports: [{ port: 80 }] },
    });
    expect((await kube.readService(namespace, 'router'))?.metadata?.labels).toEqual({ app: 'shop' });

    const stale = created.metadata?.resourceVersion;
    const switched = await kube.patchService(namespace, 'router', {
      metadata: { resourceVersion: stale },
      spec: { selector: { color: 'green' } },
    });
    expect(switched.spec?.selector).toEqual({ color: 'green' });

    const conflict = await kube
      .patchService(namespace, 'router', { metadata: { resourceVersion: stale }, spec: { selector: { color: 'blue' } } })
      .catch((e: unknown) => e);
    expect(isConflict(conflict)).toBe(true);
    expect((await kube.readService(namespace, 'router'))?.spec?.selector).toEqual({ color: 'green' });
  });
});
