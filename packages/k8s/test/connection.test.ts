import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { decodeToken } from '@pipeline-toolkit/eks';
import { json, loopbackCertificate, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { connect } from '../src/connection.ts';

/**
 * EKS end to end through client-node: DescribeCluster on a loopback EKS endpoint gives an HTTPS
 * loopback "API server" and its CA; every API request must then carry a freshly minted, valid
 * bearer token for that cluster (scenario 7: credentials expiring during a long wait).
 */
let eks: LoopbackServer;
let apiServer: Server;
const authorizations: string[] = [];

beforeAll(async () => {
  const { key, cert } = loopbackCertificate();
  apiServer = createServer({ key, cert }, (req, res) => {
    authorizations.push(String(req.headers['authorization']));
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound' }));
  });
  await new Promise<void>((resolve) => apiServer.listen(0, '127.0.0.1', resolve));
  const endpoint = `https://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
  eks = await startServer((req, res) =>
    json(res, 200, { cluster: { name: 'shop-prod', endpoint, certificateAuthority: { data: cert.toString('base64') }, status: 'ACTIVE' } }),
  );
});

afterAll(async () => {
  await eks.close();
  await new Promise((resolve) => apiServer.close(resolve));
});

describe('connect() to EKS', () => {
  it('mints a fresh token for every API request and for every Helm kubeconfig, and masks them', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIAEKSTESTEXAMPLE01',
      AWS_SECRET_ACCESS_KEY: 'eksTestSecretKeyeksTestSecretKey00000000',
    });
    const log = new MemoryLogger();
    try {
      const connection = await connect({ kind: 'eks', clusterName: 'shop-prod', region: 'eu-west-1', eksEndpoint: eks.url }, log);
      expect(eks.requests.map((r) => r.url)).toEqual(['/clusters/shop-prod']);
      expect(await connection.api.readService('shop', 'web')).toBeUndefined();
      await new Promise((r) => setTimeout(r, 1100)); // X-Amz-Date has one-second resolution
      expect(await connection.api.readService('shop', 'web')).toBeUndefined();
      expect(authorizations).toHaveLength(2);
      const urls = authorizations.map((a) => decodeToken(a.replace(/^Bearer /, '')));
      for (const url of urls) {
        expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
        expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
        expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIAEKSTESTEXAMPLE01\//);
      }
      expect(urls[1]!.searchParams.get('X-Amz-Date')).not.toBe(urls[0]!.searchParams.get('X-Amz-Date'));

      const helm = await connection.helmKubeconfig();
      const config = JSON.parse(readFileSync(helm.path, 'utf8')) as {
        users: { user: { token?: string } }[];
        clusters: { cluster: { server: string } }[];
      };
      expect(config.users[0]?.user.token).toMatch(/^k8s-aws-v1\./);
      expect(config.clusters[0]?.cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:/);
      await helm.dispose();
      // Every minted token is redacted from anything logged (by pattern).
      expect(log.redactor.redact(`token: ${authorizations[1]!.slice(7)}`)).toBe('token: ***');
    } finally {
      process.env = saved;
    }
  });
});
