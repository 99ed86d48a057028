import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryLogger, guardedFetch, requestFailure, type RequestPolicy } from '@pipeline-toolkit/core';
import { describeCluster } from '@pipeline-toolkit/eks';
import { connect, metricsConfig, metricsGate, systemClock } from '@pipeline-toolkit/k8s';
import { createGitHub } from '@pipeline-toolkit/memory-bank';
import { uploadSarif } from '@pipeline-toolkit/sarif';
import { githubRunsApi, parseWebhookUrl, postToWebhook } from '@pipeline-toolkit/slack';
import { hostileServer, type HostileServer } from '@pipeline-toolkit/testing';

/** Short limits so that each case ends in about a second: what matters is that it ends, with the timeout error. */
const policy: RequestPolicy = { attemptTimeoutMs: 300, deadlineMs: 1500 };
const TIMEOUT =
  /No answer from 127\.0\.0\.1:\d+\/\S*: waited \S+ for (the answer \(status and headers\)|the rest of the answer \(\d+ bytes received\)|the body of the answer|an answer from the Kubernetes API server|the DescribeCluster answer)/;

let dir: string;
const servers: Record<'silent' | 'trickle', HostileServer> = {} as never;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ptk-hostile-'));
  servers.silent = await hostileServer('silent');
  servers.trickle = await hostileServer('trickle', { intervalMs: 50 });
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

/** The error a call ends with (it must end). */
async function failure(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return (requestFailure(error) ?? error) as Error;
  }
  throw new Error('the call succeeded against a server that never answers');
}

describe.each(['silent', 'trickle'] as const)('a %s server', (kind) => {
  const url = () => servers[kind].url;

  it('guardedFetch ends with the timeout error naming host and path, never the query', async () => {
    const error = await failure(() => guardedFetch(policy)(`${url()}/api/x?token=sekret`));
    expect(error.message).toMatch(TIMEOUT);
    expect(error.message).not.toContain('sekret');
  });

  it('SARIF upload', async () => {
    const sarifFile = path.join(dir, 'r.sarif');
    await writeFile(sarifFile, '{"version":"2.1.0","runs":[]}');
    const error = await failure(() =>
      uploadSarif({
        sarifFile,
        token: 'ghs_hostiletoken000',
        apiUrl: url(),
        repository: 'o/r',
        commitSha: 'a'.repeat(40),
        ref: 'refs/heads/main',
        readOnlyToken: false,
        log: new MemoryLogger(),
        sleep: async () => undefined,
        policy,
      }),
    );
    expect(error.message).toMatch(TIMEOUT);
    expect(error.message).toContain('/repos/o/r/code-scanning/sarifs');
    expect(error.message).not.toContain('ghs_hostiletoken000');
  });

  it('Slack webhook: the message names Slack, never the secret path', async () => {
    const webhook = parseWebhookUrl(`${url()}/services/T000/B000/hostilesecret`, 'webhook-url', { allowLoopback: true });
    const error = await failure(() => postToWebhook(webhook, { text: 'x' }, { retry5xx: false, log: new MemoryLogger(), policy }));
    expect(error.message).toMatch(/the Slack webhook/);
    expect(error.message).not.toContain('hostilesecret');
  });

  it('GitHub API through Octokit (Slack failed-job lookup)', async () => {
    const runs = githubRunsApi('ghs_x', url(), policy);
    const error = await failure(() => runs.failedJobs({ owner: 'o', repo: 'r', runId: 1, attempt: 1 }));
    expect(error.message).toMatch(TIMEOUT);
  });

  it('GitHub API through Octokit (memory bank)', async () => {
    const github = await createGitHub('ghs_x', url(), policy);
    const error = await failure(() => github.request('GET', '/repos/o/r'));
    expect(error.message).toMatch(TIMEOUT);
  });

  it('Kubernetes API (client-node)', async () => {
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{ name: c, cluster: { server: '${url()}', insecure-skip-tls-verify: true } }]`,
      'users: [{ name: u, user: { token: hostile-token } }]',
      'contexts: [{ name: c, context: { cluster: c, user: u } }]',
      'current-context: c',
    ].join('\n');
    const connection = await connect({ kind: 'kubeconfig', content: kubeconfig }, new MemoryLogger(), dir, policy);
    const error = await failure(() => connection.api.readService('default', 'web'));
    expect(error.message).toMatch(TIMEOUT);
  });

  it('Kubernetes API (client-node): the request is really aborted, its connection closed, not left open behind the error', async () => {
    const server = await hostileServer(kind, { intervalMs: 50 });
    try {
      const kubeconfig = [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{ name: c, cluster: { server: '${server.url}', insecure-skip-tls-verify: true } }]`,
        'users: [{ name: u, user: { token: hostile-token } }]',
        'contexts: [{ name: c, context: { cluster: c, user: u } }]',
        'current-context: c',
      ].join('\n');
      const connection = await connect({ kind: 'kubeconfig', content: kubeconfig }, new MemoryLogger(), dir, policy);
      const error = await failure(() => connection.api.patchService('default', 'web', { metadata: { labels: { a: 'b' } } }));
      expect(error.message).toMatch(TIMEOUT);
      expect(server.requests).toEqual(['PATCH /api/v1/namespaces/default/services/web?fieldManager=pipeline-toolkit HTTP/1.1']);
      // Undici would keep an abandoned request's socket for minutes (headers timeout 300 s); an aborted one closes now.
      await server.allClosed(3_000);
      expect(server.openConnections()).toBe(0);
    } finally {
      await server.close();
    }
  }, 20_000);

  it('EKS DescribeCluster (AWS SDK)', async () => {
    const error = await failure(() =>
      describeCluster({
        name: 'web',
        region: 'eu-west-1',
        endpoint: url(),
        credentials: async () => ({ accessKeyId: 'AKIAHOSTILE000000000', secretAccessKey: 'hostile' }),
        policy,
      }),
    );
    expect(error.message).toMatch(TIMEOUT);
    expect(error.message).toContain('/clusters/web');
  });

  it('Prometheus (the metrics gate of the deploy): an inconclusive measurement that names the timeout, and the gate fails', async () => {
    const config = metricsConfig(
      { prometheus: url(), count: 1, queries: [{ name: 'errors', query: 'up', success: 'result == 1' }] },
      () => {
        throw new Error('bad config');
      },
    );
    const gate = metricsGate({ config, release: 'web', namespace: 'shop', log: new MemoryLogger(), clock: systemClock, policy });
    const verdict = await gate({ phase: 'post-switch', color: 'green', url: 'http://unused' }, new AbortController().signal);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toMatch(
      /^metrics inconclusive: errors is inconclusive: the query failed: No answer from 127\.0\.0\.1:\d+\/api\/v1\/query/,
    );
  });
});
