/**
 * A real, throwaway Kubernetes control plane for the e2e tier: etcd, kube-apiserver (TLS, token
 * authentication, RBAC), kube-controller-manager, kube-scheduler and kwok with fake nodes, all on
 * loopback ports in a temp directory, from the binaries `npm run tools` installed.
 *
 *   const cluster = await startCluster();
 *   … use cluster.kubeconfigPath, or api(cluster, 'GET', '/api/v1/nodes') …
 *   await cluster.stop();
 *
 * Pods scheduled onto the fake nodes become Running and Ready with pod IPs (EndpointSlices fill);
 * pods labelled pipeline-toolkit.dev/never-ready=true or with an image tagged ":never-ready" run
 * but never become Ready; an image tagged ":crash-loop" crash-loops and one tagged ":no-such-tag"
 * cannot be pulled (container states and events as the kubelet reports them). No container runs: nothing listens on a pod IP, but cluster.route() lets
 * the API server's service proxy reach a loopback server standing in for a pod.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../packages/testing/src/services.ts';
import { requireTool } from '../../packages/testing/src/tools.ts';
import { api, rawRequest, waitFor, type Connection } from './api.ts';
import { generateCerts } from './certs.ts';
import { startEgressProxy, type EgressProxy } from './egress.ts';
import {
  killRecordNow,
  listRecords,
  logTail,
  reapOrphans,
  saveRecord,
  startProcess,
  stopRecord,
  type ClusterRecord,
  type Started,
} from './processes.ts';

export const NEVER_READY_LABEL = 'pipeline-toolkit.dev/never-ready';
export const NEVER_READY_TAG = 'never-ready';
const SERVICE_CIDR = '10.96.0.0/16';
const SERVICE_IP = '10.96.0.1';
const POD_CIDR = '10.244.0.1/16';
const NODE_IP = '127.240.0.1';

/**
 * Fake pods get addresses in 10.244.0.0/16 (the EndpointSlice controller skips loopback pod IPs),
 * but nothing may ever be sent to them: this machine's network reaches nothing but loopback. The
 * API server's traffic to nodes, pods and services (its service/pod proxy, logs, exec) is therefore
 * routed through an HTTP CONNECT egress proxy on a Unix socket in the cluster directory. The owning
 * test process serves it (egress.ts: routed pod addresses reach loopback servers, anything else
 * gets 403); for a cluster started by `npm run cluster -- up` nothing serves it, so every such
 * request fails on this machine instead of dialling a private address.
 */
function egressGuard(socket: string): string {
  return `apiVersion: apiserver.k8s.io/v1beta1
kind: EgressSelectorConfiguration
egressSelections:
- name: cluster
  connection:
    proxyProtocol: HTTPConnect
    transport:
      uds:
        udsName: ${socket}
`;
}

export interface ClusterOptions {
  /** Number of fake nodes (default 2). */
  nodes?: number;
  /** 0 when the cluster must outlive this process (`npm run cluster -- up`); default process.pid. */
  owner?: number;
}

export interface Cluster extends Connection {
  id: string;
  dir: string;
  kubeconfigPath: string;
  caPath: string;
  nodes: string[];
  /** Logs of each component, for failure messages. */
  logs: Record<string, string>;
  /**
   * Lets the API server's service/pod proxy reach a loopback server standing in for a fake pod:
   * connections for podIP:port go to 127.0.0.1:loopbackPort. Returns a function that removes the route.
   */
  route(podIP: string, port: number, loopbackPort: number): () => void;
  stop(): Promise<void>;
}

function kubeconfig(server: string, caPem: string, user: string, token: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- name: pipeline-toolkit-test
  cluster:
    server: ${server}
    certificate-authority-data: ${ca}
users:
- name: ${user}
  user:
    token: ${token}
contexts:
- name: pipeline-toolkit-test
  context:
    cluster: pipeline-toolkit-test
    user: ${user}
current-context: pipeline-toolkit-test
`;
}

/** Waits for a health check, failing at once (with the component's log) if the process exits. */
async function healthy(started: Started, what: string, check: () => Promise<true | undefined>, timeoutMs = 60_000): Promise<void> {
  let onExit: (code: number | null, sig: NodeJS.Signals | null) => void = () => {};
  const exited = new Promise<never>((_, reject) => {
    onExit = (code, sig) => reject(new Error(`exited with ${code ?? sig} while waiting for ${what}`));
    started.child.once('exit', onExit);
  });
  try {
    await Promise.race([waitFor(what, check, timeoutMs), exited]);
  } catch (error) {
    throw new Error(`${started.record.name}: ${(error as Error).message}\n--- ${started.log} (tail)\n${await logTail(started.log)}`, {
      cause: error,
    });
  } finally {
    started.child.off('exit', onExit);
  }
}

const componentHealthy = (port: number) => async () =>
  (await rawRequest(`https://127.0.0.1:${port}/healthz`, 'GET', undefined, { insecure: true, timeoutMs: 2_000 })).status === 200 ||
  undefined;

function fakeNode(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
    },
  };
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  await reapOrphans();
  const bins = Object.fromEntries(
    ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'].map((t) => [t, requireTool(t).path]),
  );
  const dir = await mkdtemp(path.join(tmpdir(), 'ptk-cluster-'));
  const id = path.basename(dir);
  const record: ClusterRecord = {
    id,
    dir,
    owner: options.owner ?? process.pid,
    kubeconfigPath: path.join(dir, 'kubeconfig'),
    server: '',
    processes: [],
  };
  const logs: Record<string, string> = {};
  let egress: EgressProxy | undefined;
  const start = (name: string, args: string[]) => {
    const started = startProcess(dir, name, bins[name]!, args);
    record.processes.push(started.record);
    logs[name] = started.log;
    saveRecord(record);
    return started;
  };
  // A crash of the owning process must not leave the control plane running.
  const onExit = () => killRecordNow(record);
  if (record.owner === process.pid) process.once('exit', onExit);
  saveRecord(record);

  try {
    const certs = await generateCerts(dir, SERVICE_IP);
    const ca = await readFile(certs.caCert, 'utf8');
    const [etcdPort, peerPort, apiPort, kcmPort, schedPort, kwokPort] = await Promise.all(Array.from({ length: 6 }, freePort));
    const server = `https://127.0.0.1:${apiPort}`;
    record.server = server;

    // Static tokens: the admin of the tests, and one identity per component (all cluster admins).
    const identities = ['admin', 'kube-controller-manager', 'kube-scheduler', 'kwok'];
    const tokens = Object.fromEntries(identities.map((name) => [name, randomBytes(24).toString('hex')]));
    const users: Record<string, string> = {
      admin: 'admin',
      'kube-controller-manager': 'system:kube-controller-manager',
      'kube-scheduler': 'system:kube-scheduler',
      kwok: 'kwok',
    };
    await writeFile(
      path.join(dir, 'tokens.csv'),
      identities.map((n) => `${tokens[n]},${users[n]},uid-${n},"system:masters"`).join('\n') + '\n',
      { mode: 0o600 },
    );
    for (const name of identities)
      await writeFile(path.join(dir, `${name}.kubeconfig`), kubeconfig(server, ca, users[name]!, tokens[name]!), { mode: 0o600 });
    await copyFile(path.join(dir, 'admin.kubeconfig'), record.kubeconfigPath);
    const admin: Connection = { server, token: tokens['admin']!, ca };

    const egressSocket = path.join(dir, 'egress.sock');
    await writeFile(path.join(dir, 'egress.yaml'), egressGuard(egressSocket));
    if (record.owner === process.pid) egress = await startEgressProxy(egressSocket);

    const etcd = start('etcd', [
      '--name=ptk',
      `--data-dir=${path.join(dir, 'etcd-data')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=ptk=http://127.0.0.1:${peerPort}`,
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ]);
    await healthy(
      etcd,
      'etcd /health',
      async () =>
        (await rawRequest(`http://127.0.0.1:${etcdPort}/health`, 'GET', undefined, { timeoutMs: 2_000 })).status === 200 || undefined,
    );

    const apiserver = start('kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${certs.serverCert}`,
      `--tls-private-key-file=${certs.serverKey}`,
      `--client-ca-file=${certs.caCert}`,
      `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--anonymous-auth=false',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${certs.saPublicKey}`,
      `--service-account-signing-key-file=${certs.saPrivateKey}`,
      // The endpoints of the `kubernetes` Service cannot be a loopback address.
      '--endpoint-reconciler-type=none',
      `--egress-selector-config-file=${path.join(dir, 'egress.yaml')}`,
      '--allow-privileged=true',
      '--profiling=false',
      `--cert-dir=${path.join(dir, 'apiserver-certs')}`,
    ]);
    await healthy(
      apiserver,
      'kube-apiserver /readyz',
      async () => (await api(admin, 'GET', '/readyz', undefined, { timeoutMs: 5_000 })).status === 200 || undefined,
      90_000,
    );

    const common = (name: string, port: number) => [
      `--kubeconfig=${path.join(dir, `${name}.kubeconfig`)}`,
      `--authentication-kubeconfig=${path.join(dir, `${name}.kubeconfig`)}`,
      `--authorization-kubeconfig=${path.join(dir, `${name}.kubeconfig`)}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${path.join(dir, `${name}-certs`)}`,
    ];
    const kcm = start('kube-controller-manager', [
      ...common('kube-controller-manager', kcmPort!),
      '--controllers=*',
      // The HPA controller reconciles every 2 s instead of 15 s (only the period; the algorithm is Kubernetes').
      '--horizontal-pod-autoscaler-sync-period=2s',
      '--use-service-account-credentials=false',
      `--service-account-private-key-file=${certs.saPrivateKey}`,
      `--root-ca-file=${certs.caCert}`,
      `--cluster-signing-cert-file=${certs.caCert}`,
      `--cluster-signing-key-file=${certs.caKey}`,
    ]);
    const scheduler = start('kube-scheduler', common('kube-scheduler', schedPort!));
    await writeFile(path.join(dir, 'kwok.yaml'), await readFile(path.join(import.meta.dirname, 'kwok-stages.yaml'), 'utf8'));
    const kwok = start('kwok', [
      `--kubeconfig=${path.join(dir, 'kwok.kubeconfig')}`,
      `--config=${path.join(dir, 'kwok.yaml')}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      `--cidr=${POD_CIDR}`,
      `--node-ip=${NODE_IP}`,
      `--server-address=127.0.0.1:${kwokPort}`,
    ]);
    await Promise.all([
      healthy(kcm, 'kube-controller-manager /healthz', componentHealthy(kcmPort!)),
      healthy(scheduler, 'kube-scheduler /healthz', componentHealthy(schedPort!)),
      healthy(
        kwok,
        'kwok /healthz',
        async () =>
          (await rawRequest(`http://127.0.0.1:${kwokPort}/healthz`, 'GET', undefined, { timeoutMs: 2_000 })).status === 200 || undefined,
      ),
    ]);

    const nodes = Array.from({ length: options.nodes ?? 2 }, (_, i) => `kwok-node-${i}`);
    for (const node of nodes) {
      const res = await api(admin, 'POST', '/api/v1/nodes', fakeNode(node));
      if (res.status !== 201) throw new Error(`creating node ${node}: HTTP ${res.status} ${res.text}`);
    }
    await healthy(kwok, 'fake nodes Ready', async () => {
      const list = await api<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>(admin, 'GET', '/api/v1/nodes');
      const ready = list.body.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length === nodes.length || undefined;
    });
    // Pods cannot be admitted before their namespace's default ServiceAccount exists.
    await healthy(
      kcm,
      'default ServiceAccount',
      async () => (await api(admin, 'GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200 || undefined,
    );

    const stop = async () => {
      process.off('exit', onExit);
      await stopRecord(record);
      await egress?.close();
    };
    const route = (podIP: string, port: number, loopbackPort: number) => {
      if (!egress) throw new Error('route: this cluster belongs to another process (started by `npm run cluster -- up`)');
      return egress.route(podIP, port, loopbackPort);
    };
    return { ...admin, id, dir, kubeconfigPath: record.kubeconfigPath, caPath: certs.caCert, nodes, logs, route, stop };
  } catch (error) {
    process.off('exit', onExit);
    await stopRecord(record, 2_000);
    await egress?.close();
    throw error;
  }
}

/** Creates a namespace with a unique name for one test (each e2e test works in its own). */
export async function createNamespace(cluster: Connection, prefix = 'e2e'): Promise<string> {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  const res = await api(cluster, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (res.status !== 201) throw new Error(`creating namespace ${name}: HTTP ${res.status} ${res.text}`);
  // Pods are refused until the namespace's default ServiceAccount exists.
  await waitFor(
    `ServiceAccount default in ${name}`,
    async () => (await api(cluster, 'GET', `/api/v1/namespaces/${name}/serviceaccounts/default`)).status === 200 || undefined,
  );
  return name;
}

/** Every cluster recorded on this machine (running or left over). */
export { listRecords, stopRecord };
