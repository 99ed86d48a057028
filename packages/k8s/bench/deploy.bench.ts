/**
 * Deploy benchmark on the local control plane (test/cluster, real Helm 3):
 *  - rollback latency: from the failing post-switch verdict to the router selecting the previous
 *    colour again (target ≤ 1 s; it is one API write, preceded by one read of the router and one
 *    list of the previous colour's Deployments);
 *  - the engine's own overhead: a full deploy's wall time minus Helm, readiness waiting, the gates
 *    and the drain (target ≤ 5 s).
 *
 *   node packages/k8s/bench/deploy.bench.ts [runs]      (needs `npm run tools`)
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { exec, MemoryLogger } from '@pipeline-toolkit/core';
import { connect, Helm, runDeploy, systemClock, type DeploySpec, type Gate, type Outcome } from '../src/index.ts';
import { createNamespace, startCluster } from '../../../test/cluster/cluster.ts';

const runs = Number(process.argv[2] ?? 5);
const CHART: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'values.yaml': 'replicaCount: 2\nimage: { repository: registry.test/web, tag: "1" }\n',
  'templates/all.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: {{ .Release.Name }}, labels: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }} } }
spec:
  replicas: {{ .Values.replicaCount }}
  selector: { matchLabels: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }} } }
  template:
    metadata: { labels: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }} } }
    spec: { containers: [{ name: web, image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}", ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: {{ .Release.Name }}, labels: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }} } }
spec: { selector: { app.kubernetes.io/name: web, app.kubernetes.io/instance: {{ .Release.Name }} }, ports: [{ name: http, port: 80, targetPort: http }] }
`,
};

const cluster = await startCluster();
const chart = await mkdtemp(path.join(tmpdir(), 'ptk-bench-chart-'));
await mkdir(path.join(chart, 'templates'));
for (const [file, text] of Object.entries(CHART)) await writeFile(path.join(chart, file), text);
const tools = JSON.parse(
  readFileSync(
    path.join(process.env['PIPELINE_TOOLKIT_TOOLS'] ?? path.join(homedir(), '.cache/pipeline-toolkit/tools'), 'manifest.json'),
    'utf8',
  ),
) as Record<string, { path: string }>;
const helmBinary = tools['helm3']!.path;
const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const stub = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
const pass: Gate = async () => ({ passed: true, summary: 'passed' });
const fail: Gate = async () => ({ passed: false, summary: 'failed on purpose' });

async function deploy(namespace: string, tag: string, post: Gate): Promise<{ outcome: Outcome; wallMs: number }> {
  const log = new MemoryLogger();
  const started = performance.now();
  const connection = await connect({ kind: 'kubeconfig-file', path: cluster.kubeconfigPath }, log);
  const helm = new Helm({ binary: helmBinary, exec, kubeconfig: () => connection.helmKubeconfig(), log });
  const spec: DeploySpec = {
    namespace,
    release: 'web',
    chart,
    valuesFiles: [],
    set: [],
    tag,
    timeoutMs: 60_000,
    drainMs: 1_000,
    keepPrevious: 'scaled-down',
    lockTimeoutMs: 0,
    runId: `bench-${tag}`,
  };
  const outcome = await runDeploy(
    spec,
    {
      api: connection.api,
      helm,
      log,
      clock: systemClock,
      preSwitchGate: pass,
      postSwitchGate: post,
      previewUrl: () => stub.url,
      productionUrl: () => stub.url,
      saveJournal: async () => {},
      signal: new AbortController().signal,
      pollMs: 100,
    },
    'full',
  );
  return { outcome, wallMs: performance.now() - started };
}

const phase = (o: Outcome, name: string) => o.phases.filter((p) => p.name === name);
const sum = (o: Outcome, names: string[]) => names.flatMap((n) => phase(o, n)).reduce((t, p) => t + p.endedAt - p.startedAt, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rollbackMs: number[] = [];
const overheadMs: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const ns = await createNamespace(cluster, 'bench');
    const first = await deploy(ns, `1.${i}.0`, pass);
    // Overhead: everything but Helm (deploy-idle), readiness (wait-ready, and the endpoint wait inside verify), gates and drain.
    overheadMs.push(first.wallMs - sum(first.outcome, ['deploy-idle', 'wait-ready', 'pre-switch gate', 'verify', 'drain']));
    const failed = await deploy(ns, `2.${i}.0`, fail);
    if (failed.outcome.result !== 'rolled-back')
      throw new Error(`expected a rollback, got ${failed.outcome.result}: ${failed.outcome.error}`);
    const verdict = phase(failed.outcome, 'verify')[0]!.endedAt;
    rollbackMs.push(phase(failed.outcome, 'rollback')[0]!.endedAt - verdict);
  }
  console.log(
    JSON.stringify(
      {
        runs,
        rollbackMs: { median: median(rollbackMs), max: Math.max(...rollbackMs) },
        overheadMs: { median: Math.round(median(overheadMs)), max: Math.round(Math.max(...overheadMs)) },
      },
      null,
      2,
    ),
  );
} finally {
  await stub.close();
  await cluster.stop();
}
