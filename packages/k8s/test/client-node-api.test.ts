import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { connect } from '../src/connection.ts';

/** Requests through client-node carry the policy's abort signal and keep their own options (the merge-patch content type). */
let server: LoopbackServer;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ptk-client-node-'));
  server = await startServer((req, res) =>
    json(res, 200, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', labels: JSON.parse(req.body || '{}').metadata?.labels },
    }),
  );
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const kubeconfig = () =>
  [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{ name: c, cluster: { server: '${server.url}', insecure-skip-tls-verify: true } }]`,
    'users: [{ name: u, user: { token: test-token-0123456789 } }]',
    'contexts: [{ name: c, context: { cluster: c, user: u } }]',
    'current-context: c',
  ].join('\n');

describe('ClientNodeApi', () => {
  it('a patch is sent as a merge patch, with the policy applied, and answers', async () => {
    const connection = await connect({ kind: 'kubeconfig', content: kubeconfig() }, new MemoryLogger(), dir, {
      attemptTimeoutMs: 10_000,
      deadlineMs: 20_000,
    });
    const patched = await connection.api.patchService('shop', 'web', { metadata: { labels: { colour: 'blue' } } });
    expect(patched.metadata?.labels).toEqual({ colour: 'blue' });
    const request = server.requests.at(-1)!;
    expect({ method: request.method, url: request.url, type: request.headers['content-type'] }).toEqual({
      method: 'PATCH',
      url: '/api/v1/namespaces/shop/services/web?fieldManager=pipeline-toolkit',
      type: 'application/merge-patch+json',
    });
    expect(await connection.api.readService('shop', 'web')).toMatchObject({ metadata: { name: 'web' } });
  }, 30_000);
});
