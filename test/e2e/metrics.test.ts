/**
 * metrics: the deploy's metrics gate against a REAL Prometheus (3.16, built by `npm run tools`)
 * scraping a loopback exporter whose metrics the test sets. Prometheus stores what it scraped and
 * answers the gate's instant queries itself: values, NaN as the exporter wrote it, no series for a
 * colour that exports none, and its own errors for a query it cannot run.
 */
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, InputError, mapInputs, MemoryLogger } from '@pipeline-toolkit/core';
import { requireTool, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { deploy, metricsConfig, metricsGate, readDeployInputs, systemClock, type MetricsConfig } from '@pipeline-toolkit/k8s';
import { startCluster, createNamespace, type Cluster } from '../cluster/cluster.ts';
import { api } from '../cluster/api.ts';
import { waitFor } from '../cluster/api.ts';

jest.setTimeout(240_000);

let exporter: LoopbackServer;
let prometheus: ChildProcess;
let address: string;
let output = '';
/** What the exporter exposes now (Prometheus text format), set by each test. */
let exposed = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sets the exporter's metrics and waits until Prometheus has scraped them (its own answer says so). */
async function expose(text: string, query: string, expected: string): Promise<void> {
  exposed = text;
  await waitFor(`Prometheus to scrape ${expected} for ${query}`, async () => {
    const res = await fetch(`${address}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json()) as { data?: { result?: { value?: [number, string] }[] } };
    return body.data?.result?.[0]?.value?.[1] === expected || undefined;
  });
}

beforeAll(async () => {
  exporter = await startServer((req, res) => {
    res.writeHead(req.url === '/metrics' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(req.url === '/metrics' ? exposed : '');
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'ptk-prometheus-'));
  await writeFile(
    path.join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: web\n    static_configs: [{ targets: ['127.0.0.1:${exporter.port}'] }]\n`,
  );
  const port = await freePort();
  address = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    requireTool('prometheus').path,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  prometheus.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  await waitFor('Prometheus to be ready', async () => {
    if (prometheus.exitCode !== null) throw new Error(`Prometheus exited ${prometheus.exitCode}: ${output.slice(-2000)}`);
    const res = await fetch(`${address}/-/ready`, { signal: AbortSignal.timeout(2_000) });
    return res.ok || undefined;
  });
}, 60_000);

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  await exporter?.close();
});

const fail = (where: string, message: string): never => {
  throw new InputError('metrics-config', `${where} ${message}`);
};
const QUERY = 'max(web_error_ratio{color="{color}"})';
const config = (overrides: Record<string, unknown> = {}): MetricsConfig =>
  metricsConfig(
    {
      prometheus: address,
      interval: '1s',
      count: 3,
      queries: [{ name: 'error-rate', query: QUERY, success: 'result < 0.01' }],
      ...overrides,
    },
    fail,
  );

async function gate(cfg: MetricsConfig, color: 'blue' | 'green' = 'green') {
  const log = new MemoryLogger();
  const verdict = await metricsGate({
    config: cfg,
    release: 'web',
    namespace: 'shop',
    log,
    clock: systemClock,
    policy: { attemptTimeoutMs: 5_000, deadlineMs: 5_000 },
  })({ phase: 'post-switch', color, url: 'http://unused' }, new AbortController().signal);
  return { verdict, text: log.lines.map((l) => l.message).join('\n') };
}

describe('metrics gate against a real Prometheus', () => {
  it('metrics green: passes while the scraped error ratio meets the condition', async () => {
    await expose('web_error_ratio{color="green"} 0.004\n', 'web_error_ratio{color="green"}', '0.004');
    const { verdict, text } = await gate(config());
    expect(verdict.passed).toBe(true);
    expect(verdict.summary).toContain('green in 3 measurement(s)');
    expect(text).toContain('metrics [1/3] error-rate: 0.004 meets result < 0.01');
  });

  it('metrics red: fails on the scraped value, naming the value and the query sent', async () => {
    await expose('web_error_ratio{color="green"} 0.25\n', 'web_error_ratio{color="green"}', '0.25');
    const { verdict } = await gate(config());
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain(
      'error-rate = 0.25 does not meet result < 0.01 (1 failed measurement(s), failure-limit 0); query: max(web_error_ratio{color="green"})',
    );
  });

  it('metrics inconclusive: no series for the colour, NaN, and a query Prometheus refuses all fail safe', async () => {
    await expose('web_error_ratio{color="green"} NaN\n', 'web_error_ratio{color="green"}', 'NaN');
    const nan = await gate(config());
    expect(nan.verdict.passed).toBe(false);
    expect(nan.verdict.summary).toMatch(/^metrics inconclusive: error-rate is inconclusive: the value is NaN \(value NaN\)/);

    const none = await gate(config(), 'blue');
    expect(none.verdict.passed).toBe(false);
    expect(none.verdict.summary).toContain(
      'inconclusive: no data (the query returned no series) (1 inconclusive measurement(s), inconclusive-limit 0); query: max(web_error_ratio{color="blue"})',
    );

    const bad = await gate(config({ queries: [{ name: 'broken', query: 'rate(web_error_ratio[1m]', success: 'result < 1' }] }));
    expect(bad.verdict.passed).toBe(false);
    expect(bad.verdict.summary).toMatch(/broken is inconclusive: Prometheus answered HTTP 400 error \(bad_data\): .*parse error/);
  });
});

describe('metrics gate in a deploy on the real control plane', () => {
  let cluster: Cluster;
  let work: string;
  let site: LoopbackServer;

  beforeAll(async () => {
    cluster = await startCluster();
    work = await mkdtemp(path.join(tmpdir(), 'ptk-metrics-deploy-'));
    const chart = path.join(work, 'chart');
    const files: Record<string, string> = {
      'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'values.yaml': 'image:\n  repository: registry.test/web\n  tag: "1.0.0"\n',
      'templates/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: "{{ .Release.Name }}" }\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: "{{ .Release.Name }}" } }\n  template:\n    metadata: { labels: { app: "{{ .Release.Name }}" } }\n    spec: { containers: [{ name: web, image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}", ports: [{ name: http, containerPort: 8080 }] }] }\n',
      'templates/service.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: { name: "{{ .Release.Name }}" }\nspec: { selector: { app: "{{ .Release.Name }}" }, ports: [{ name: http, port: 80, targetPort: http }] }\n',
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(chart, file)), { recursive: true });
      await writeFile(path.join(chart, file), text);
    }
    await writeFile(
      path.join(work, 'metrics.yml'),
      `prometheus: ${address}\nphase: post-switch\ninterval: 1s\ncount: 2\nqueries:\n  - name: error-rate\n    query: max(web_error_ratio{color="{color}"})\n    success: result < 0.01\n`,
    );
    site = await startServer((_req, res) => {
      res.writeHead(200);
      res.end('ok');
    });
  }, 180_000);

  afterAll(async () => {
    await site?.close();
    await cluster?.stop();
  });

  async function run(namespace: string, tag: string) {
    const log = new MemoryLogger();
    const options = readDeployInputs(
      new Inputs(
        mapInputs({
          release: 'web',
          namespace,
          chart: path.join(work, 'chart'),
          tag,
          kubeconfig: cluster.kubeconfigPath,
          helm: requireTool('helm4').path,
          'metrics-config': 'metrics.yml',
          'preview-url': site.url,
          'production-url': site.url,
          drain: '0s',
          timeout: '60s',
        }),
      ),
      { HOME: process.env['HOME'] },
      work,
    );
    const outcome = await deploy(options, { log, signal: new AbortController().signal, saveJournal: async () => undefined, cwd: work });
    return { outcome, log };
  }

  it('metrics rollback: a post-switch metrics gate that turns red routes traffic back in one write', async () => {
    const ns = await createNamespace(cluster);
    await expose('web_error_ratio{color="blue"} 0.001\nweb_error_ratio{color="green"} 0.3\n', 'web_error_ratio{color="green"}', '0.3');
    const first = await run(ns, '1.0.0');
    expect(first.outcome.error).toBeUndefined();
    expect(first.outcome.liveColor).toBe('blue');
    expect(first.outcome.gates.map((g) => g.summary).join('\n')).toContain('error-rate 0.001');

    const second = await run(ns, '1.1.0');
    expect(second.outcome.result).toBe('rolled-back');
    expect(second.outcome.error).toContain('error-rate = 0.3 does not meet result < 0.01');
    expect(second.outcome.error).toContain('query: max(web_error_ratio{color="green"})');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API object as JSON
    const router = (await api<any>(cluster, 'GET', `/api/v1/namespaces/${ns}/services/web`)).body;
    expect(router.metadata.annotations['pipeline-toolkit.dev/live-color']).toBe('blue');
    expect(second.log.lines.map((l) => l.message).join('\n')).toContain('metrics [1/2] error-rate: 0.3 FAILS result < 0.01');
  });
});
