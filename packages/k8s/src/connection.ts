import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_REQUEST_POLICY, type Logger, type RequestPolicy } from '@pipeline-toolkit/core';
import type { KubeApi } from './api.ts';
import type { ClusterSource } from './source.ts';
import { decodeKubeconfig } from './source.ts';
import { describeSource, explainClusterError, type ClusterWhere } from './cluster-errors.ts';

/** The API with every failed call explained: address, kubeconfig source and cause (see cluster-errors.ts). */
export function explaining(api: KubeApi, where: ClusterWhere): KubeApi {
  return new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        (value.apply(target, args) as Promise<unknown>).catch((error: unknown) => {
          throw explainClusterError(error, where);
        });
    },
  });
}

/** A kubeconfig file for one Helm invocation; dispose() removes it (it may hold a token). */
export interface HelmKubeconfig {
  path: string;
  dispose(): Promise<void>;
}

export interface Connection {
  api: KubeApi;
  /** The API server URL. */
  server: string;
  /** A kubeconfig for Helm. For EKS it holds a token minted now, so each Helm call starts with a fresh one. */
  helmKubeconfig(): Promise<HelmKubeconfig>;
  /**
   * A loopback URL that forwards to a Service through the API server's service proxy
   * (/api/v1/namespaces/<ns>/services/<svc>:<port>/proxy/…), authenticated per request. Smoke
   * suites reach an in-cluster Service this way with nothing but API access.
   */
  serviceProxy(namespace: string, service: string, port: number): Promise<{ url: string; close(): Promise<void> }>;
}

const HOP_HEADERS = new Set(['host', 'connection', 'authorization', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-authorization']);
const forwardable = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_HEADERS.has(name)));

const EKS_USER = 'pipeline-toolkit-eks';

/**
 * Connects to a cluster. Loads @kubernetes/client-node (and for EKS the AWS SDK) only here, so
 * input validation never pays for them.
 */
export async function connect(
  source: ClusterSource,
  log: Logger,
  tempDir = tmpdir(),
  policy: RequestPolicy = DEFAULT_REQUEST_POLICY,
): Promise<Connection> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { ClientNodeApi } = await import('./client-node-api.ts');
  const kc = new KubeConfig();
  let mintToken: (() => Promise<string>) | undefined;
  if (source.kind === 'kubeconfig-file') kc.loadFromFile(source.path);
  else if (source.kind === 'kubeconfig') kc.loadFromString(decodeKubeconfig(source.content));
  else {
    const eks = await import('@pipeline-toolkit/eks');
    const cluster = await eks.describeCluster({
      name: source.clusterName,
      region: source.region,
      ...(source.eksEndpoint ? { endpoint: source.eksEndpoint } : {}),
      policy,
    });
    const mint = eks.createTokenMinter({ clusterName: source.clusterName, region: source.region });
    // Not registered one by one (a token per request would flood the log with add-mask lines and
    // grow the redactor without bound): every k8s-aws-v1 token is redacted by pattern (core redact.ts).
    mintToken = mint;
    kc.loadFromOptions({
      clusters: [{ name: cluster.name, server: cluster.endpoint, caData: cluster.certificateAuthority }],
      users: [{ name: EKS_USER }],
      contexts: [{ name: cluster.name, cluster: cluster.name, user: EKS_USER }],
      currentContext: cluster.name,
    });
    // A fresh token on every request: a long wait never meets an expired one.
    kc.addAuthenticator({
      isAuthProvider: (user) => user.name === EKS_USER,
      applyAuthentication: async (_user, opts) => {
        opts.headers = { ...opts.headers, Authorization: `Bearer ${await mintToken!()}` };
      },
    });
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('The kubeconfig has no current cluster: set current-context.');
  for (const user of kc.users) {
    log.setSecret(user.token);
    log.setSecret(user.password);
    log.setSecret(user.keyData);
  }

  return {
    api: explaining(new ClientNodeApi(kc, policy), { server: cluster.server, source: describeSource(source) }),
    server: cluster.server,
    async serviceProxy(namespace, service, port) {
      const base = `${cluster.server.replace(/\/$/, '')}/api/v1/namespaces/${namespace}/services/${service}:${port}/proxy`;
      // node:http and node:https load only here: they are slow to import and validation never needs them.
      const { createServer, request: httpRequest } = await import('node:http');
      const server = createServer((req, res) => {
        void (async () => {
          const target = new URL(base + (req.url ?? '/'));
          const options: RequestOptions = { method: req.method ?? 'GET', headers: forwardable(req.headers) };
          await kc.applyToHTTPSOptions(options);
          const send = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
          if (target.protocol !== 'https:') delete options.agent;
          const upstream = send(target, options, (answer) => {
            res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
            answer.pipe(res);
          });
          upstream.on('error', (error) => {
            if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
            res.end(`service proxy: ${error.message}`);
          });
          req.pipe(upstream);
        })().catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`service proxy: ${error instanceof Error ? error.message : String(error)}`);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port: local } = server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${local}`,
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    },
    async helmKubeconfig() {
      const dir = await mkdtemp(path.join(tempDir, 'ptk-helm-'));
      const file = path.join(dir, 'kubeconfig');
      let text = kc.exportConfig();
      if (mintToken) {
        const exported = JSON.parse(text) as { users: { name: string; user: Record<string, unknown> }[] };
        for (const user of exported.users) if (user.name === EKS_USER) user.user = { token: await mintToken() };
        text = JSON.stringify(exported);
      }
      await writeFile(file, text, { mode: 0o600 });
      await chmod(file, 0o600);
      return { path: file, dispose: () => rm(dir, { recursive: true, force: true }) };
    },
  };
}
