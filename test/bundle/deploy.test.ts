import { describe, it, expect, afterEach } from '@jest/globals';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { json, loopbackCertificate, runBundle, tokenKubeconfig, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';

const TOKEN = 'ptk-test-token-8c1f0e5d2b7a4c39';
let api: LoopbackServer | undefined;
afterEach(async () => api?.close());

const kubeconfig = (server: string) => tokenKubeconfig(server, TOKEN);

/** A dry run is the real preflight: without a Helm it refuses, naming the binary and the input. */
const HELM =
  /^Helm could not be run as '\/nonexistent\/helm' \(Could not run '\/nonexistent\/helm': .*\)\. Install Helm 3 or 4, or name the binary in input 'helm'\.$/;

describe('dist/deploy', () => {
  it('refuses a missing release before contacting anything', async () => {
    const run = await runBundle('deploy', { inputs: { chart: './chart', kubeconfig: kubeconfig('http://127.0.0.1:1') } });
    expect(run.exitCode).toBe(2);
    expect(run.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual(["Input 'release' is required."]);
    expect(run.outputs).toEqual({});
  });

  it('refuses two cluster sources, a bad mode and a bad tag, naming the input', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'cluster-name': 'prod', kubeconfig: 'x' }, "Give either Input 'cluster-name' (EKS) or Input 'kubeconfig', not both."],
      [{ mode: 'yolo' }, "Input 'mode' must be one of full, deploy, promote, rollback, got 'yolo'."],
      [{ tag: 'v1 2' }, "Input 'tag' must be an image tag ([A-Za-z0-9_.-], at most 128 characters), got 'v1 2'."],
      [{ 'cluster-name': 'prod', 'aws-region': 'Europe' }, "Input 'aws-region' must be an AWS region such as eu-west-1, got 'Europe'."],
    ];
    for (const [inputs, message] of cases) {
      const run = await runBundle('deploy', { inputs: { release: 'web', chart: './chart', ...inputs } });
      expect(run.exitCode).toBe(2);
      expect(run.commands.find((c) => c.command === 'error')?.message).toBe(message);
    }
  });

  it('masks a kubeconfig given as content, even when it is not valid', async () => {
    const run = await runBundle('deploy', { inputs: { release: 'web', chart: './chart', kubeconfig: 'definitely-not-yaml-0123456789' } });
    expect(run.exitCode).toBe(2);
    expect(run.commands[0]).toEqual({ command: 'add-mask', properties: {}, message: 'definitely-not-yaml-0123456789' });
    expect(run.commands.find((c) => c.command === 'error')?.message).toMatch(/^Input 'kubeconfig' must be a kubeconfig/);
  });

  it.each(['raw', 'base64'])(
    'dry-run (kubeconfig given %s) runs the real preflight: reads the router with GETs only, then refuses without Helm, as a deploy would',
    async (form) => {
      api = await startServer((req, res) => {
        if (req.method === 'GET' && req.url.startsWith('/api/v1/namespaces/shop/services/web')) {
          return json(res, 200, {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: {
              name: 'web',
              namespace: 'shop',
              resourceVersion: '4711',
              annotations: {
                'pipeline-toolkit.dev/managed-by': 'pipeline-toolkit',
                'pipeline-toolkit.dev/live-color': 'green',
                'pipeline-toolkit.dev/verified': 'true',
              },
            },
            spec: { selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web-green' }, ports: [{ port: 80 }] },
          });
        }
        json(res, 404, { kind: 'Status', reason: 'NotFound', code: 404 });
      });
      const run = await runBundle('deploy', {
        inputs: {
          release: 'web',
          namespace: 'shop',
          chart: './chart',
          tag: '2.0.0',
          kubeconfig: form === 'raw' ? kubeconfig(api.url) : Buffer.from(kubeconfig(api.url)).toString('base64'),
          'dry-run': 'true',
          helm: '/nonexistent/helm',
        },
      });
      // The plan itself (Helm command, writes) is proven with real Helm on the real control plane (test/e2e/charts.test.ts).
      expect(run.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([expect.stringMatching(HELM)]);
      expect(run.exitCode).toBe(1);
      expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/v1/namespaces/shop/services/web']);
      expect(api.requests[0]?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
      // The token is registered with the runner (add-mask) and appears nowhere else.
      // (A base64 kubeconfig is one line: it is masked whole as well.)
      const given = form === 'raw' ? [] : [Buffer.from(kubeconfig(api.url)).toString('base64')];
      expect(run.commands.filter((c) => c.command === 'add-mask').map((c) => c.message)).toEqual([...given, TOKEN]);
      const printed = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
      expect(`${printed.join('\n')}${run.summary}`).not.toContain(TOKEN);
    },
  );

  it('EKS: DescribeCluster (bundled AWS SDK), then the API server sees a fresh EKS bearer token', async () => {
    const { key, cert } = loopbackCertificate();
    const seen: string[] = [];
    const apiServer = createServer({ key, cert }, (req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers['authorization']}`);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"kind":"Status","code":404,"reason":"NotFound"}');
    });
    await new Promise<void>((resolve) => apiServer.listen(0, '127.0.0.1', resolve));
    const endpoint = `https://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
    api = await startServer((req, res) =>
      json(res, 200, {
        cluster: { name: 'shop-prod', endpoint, certificateAuthority: { data: cert.toString('base64') }, status: 'ACTIVE' },
      }),
    );
    try {
      const run = await runBundle('deploy', {
        inputs: {
          release: 'web',
          namespace: 'shop',
          chart: './chart',
          'cluster-name': 'shop-prod',
          'aws-region': 'eu-west-1',
          'dry-run': 'true',
          helm: '/nonexistent/helm',
        },
        env: {
          AWS_ACCESS_KEY_ID: 'AKIABUNDLETEST000001',
          AWS_SECRET_ACCESS_KEY: 'bundleTestSecretKeybundleTestSecretKey00',
          AWS_ENDPOINT_URL_EKS: api.url,
        },
      });
      expect(run.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual([expect.stringMatching(HELM)]);
      expect(run.exitCode).toBe(1);
      expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /clusters/shop-prod']);
      expect(String(api.requests[0]?.headers['authorization'])).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIABUNDLETEST000001\/\d{8}\/eu-west-1\/eks\/aws4_request/,
      );
      expect(seen).toHaveLength(1);
      const [method, url, scheme, token = ''] = seen[0]!.split(' ');
      expect([method, url, scheme]).toEqual(['GET', '/api/v1/namespaces/shop/services/web', 'Bearer']);
      const presigned = new URL(Buffer.from(token.replace(/^k8s-aws-v1\./, ''), 'base64url').toString());
      expect(presigned.host).toBe('sts.eu-west-1.amazonaws.com');
      expect(presigned.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
      // Tokens are redacted by pattern, not registered one by one (no add-mask flood), and printed nowhere.
      expect(run.commands.filter((c) => c.command === 'add-mask')).toEqual([]);
      expect(run.stdout).not.toContain(token.slice(11, 40));
    } finally {
      await new Promise((resolve) => apiServer.close(resolve));
    }
  });
});
