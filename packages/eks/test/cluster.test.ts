import { describe, it, expect, afterEach } from '@jest/globals';
import { json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { describeCluster } from '../src/index.ts';

const credentials = async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
let server: LoopbackServer | undefined;
afterEach(async () => server?.close());

describe('describeCluster', () => {
  it('calls EKS GET /clusters/{name}, signed for eks in the region, and returns endpoint and CA', async () => {
    server = await startServer((req, res) =>
      json(res, 200, {
        cluster: {
          name: 'shop-prod',
          endpoint: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
          certificateAuthority: { data: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==' },
          status: 'ACTIVE',
          version: '1.33',
        },
      }),
    );
    const cluster = await describeCluster({ name: 'shop-prod', region: 'eu-west-1', credentials, endpoint: server.url });
    expect(cluster).toEqual({
      name: 'shop-prod',
      region: 'eu-west-1',
      endpoint: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
      certificateAuthority: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
      status: 'ACTIVE',
      version: '1.33',
    });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/clusters/shop-prod');
    expect(String(request?.headers['authorization'])).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/eks\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/,
    );
  });

  it('names the cluster and region when EKS does not know it', async () => {
    server = await startServer((req, res) =>
      json(res, 404, { message: 'No cluster found for name: nope.' }, { 'x-amzn-errortype': 'ResourceNotFoundException' }),
    );
    await expect(describeCluster({ name: 'nope', region: 'eu-west-1', credentials, endpoint: server.url })).rejects.toThrow(
      "EKS cluster 'nope' in eu-west-1 was not found: check cluster-name and aws-region.",
    );
  });

  it('explains a permission error', async () => {
    server = await startServer((req, res) =>
      json(res, 403, { message: 'User is not authorized to perform eks:DescribeCluster' }, { 'x-amzn-errortype': 'AccessDeniedException' }),
    );
    await expect(describeCluster({ name: 'c', region: 'eu-west-1', credentials, endpoint: server.url })).rejects.toThrow(
      /AccessDeniedException.*need eks:DescribeCluster/,
    );
  });

  it('refuses a cluster that has no endpoint yet', async () => {
    server = await startServer((req, res) => json(res, 200, { cluster: { name: 'c', status: 'CREATING' } }));
    await expect(describeCluster({ name: 'c', region: 'eu-west-1', credentials, endpoint: server.url })).rejects.toThrow(
      /has no API endpoint or certificate authority yet \(status CREATING\)/,
    );
  });

  it('uses AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment by default', async () => {
    server = await startServer((req, res) =>
      json(res, 200, { cluster: { endpoint: 'https://x', certificateAuthority: { data: 'Q0E=' } } }),
    );
    const saved = { ...process.env };
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIAENVEXAMPLE000000';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'envsecretenvsecretenvsecretenvsecret0000';
    try {
      await describeCluster({ name: 'c', region: 'us-east-2', endpoint: server.url });
    } finally {
      process.env = saved;
    }
    expect(String(server.requests[0]?.headers['authorization'])).toContain('Credential=AKIAENVEXAMPLE000000/');
  });
});
