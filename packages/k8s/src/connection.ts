import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@pipeline-toolkit/core';
import type { KubeApi } from './api.ts';
import type { ClusterSource } from './source.ts';
import { decodeKubeconfig } from './source.ts';

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
}

const EKS_USER = 'pipeline-toolkit-eks';

/**
 * Connects to a cluster. Loads @kubernetes/client-node (and for EKS the AWS SDK) only here, so
 * input validation never pays for them.
 */
export async function connect(source: ClusterSource, log: Logger, tempDir = tmpdir()): Promise<Connection> {
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
    });
    const mint = eks.createTokenMinter({ clusterName: source.clusterName, region: source.region });
    mintToken = async () => {
      const token = await mint();
      log.setSecret(token);
      return token;
    };
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
  if ('context' in source && source.context) kc.setCurrentContext(source.context);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('The kubeconfig has no current cluster: set current-context.');
  for (const user of kc.users) {
    log.setSecret(user.token);
    log.setSecret(user.password);
    log.setSecret(user.keyData);
  }

  return {
    api: new ClientNodeApi(kc),
    server: cluster.server,
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
