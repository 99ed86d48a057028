import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, InputError, MemoryLogger, mapInputs } from '@pipeline-toolkit/core';
import { readDeployInputs } from '../src/inputs.ts';
import { json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { connect } from '../src/connection.ts';
import type { KubeApi, KubeError, V1Service } from '../src/api.ts';
import { ANNOTATIONS } from '../src/bluegreen/model.ts';
import { routerFor, type RouterConfig } from '../src/bluegreen/routers/index.ts';
import { mergePatch } from './fake-cluster.ts';

/**
 * Each router module's writes through the real client-node API (ClientNodeApi) against a loopback
 * API server that stores what it is sent: the URL and verb of every write, the merge-patch content
 * type, the resourceVersion precondition (409 when stale), and what the object routes to after it.
 */
type Stored = { metadata: { resourceVersion: string; name: string } };
let server: LoopbackServer;
let dir: string;
let api: KubeApi;
const objects = new Map<string, Stored>();
let version = 100;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ptk-routers-'));
  server = await startServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const body = req.body ? (JSON.parse(req.body) as Stored) : undefined;
    const key = req.method === 'POST' ? `${url.pathname}/${body?.metadata.name}` : url.pathname;
    const current = objects.get(key);
    if (req.method === 'GET')
      return current ? json(res, 200, current) : json(res, 404, { kind: 'Status', reason: 'NotFound', message: 'not found' });
    if (req.method === 'POST') {
      if (current) return json(res, 409, { kind: 'Status', reason: 'AlreadyExists', message: 'exists' });
      const created = { ...body!, metadata: { ...body!.metadata, resourceVersion: String(++version) } };
      objects.set(key, created);
      return json(res, 201, created);
    }
    if (!current) return json(res, 404, { kind: 'Status', reason: 'NotFound', message: 'not found' });
    const wanted = body?.metadata?.resourceVersion;
    if (wanted && wanted !== current.metadata.resourceVersion)
      return json(res, 409, { kind: 'Status', reason: 'Conflict', message: 'the object has been modified' });
    const next = mergePatch(current, body) as Stored;
    next.metadata.resourceVersion = String(++version);
    objects.set(key, next);
    return json(res, 200, next);
  });
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{ name: c, cluster: { server: '${server.url}', insecure-skip-tls-verify: true } }]`,
    'users: [{ name: u, user: { token: test-token-0123456789 } }]',
    'contexts: [{ name: c, context: { cluster: c, user: u } }]',
    'current-context: c',
  ].join('\n');
  api = (
    await connect({ kind: 'kubeconfig', content: kubeconfig }, new MemoryLogger(), dir, { attemptTimeoutMs: 10_000, deadlineMs: 20_000 })
  ).api;
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const colourService = (color: string): V1Service => ({
  metadata: { name: `web-${color}` },
  spec: { selector: { 'app.kubernetes.io/instance': `web-${color}` }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
});
const run = { runId: 'acme/shop#9' };
const at = new Date('2026-12-06T00:00:00Z');
const writes = () =>
  server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url.split('?')[0]} ${r.headers['content-type']}`);

describe('router modules write through client-node', () => {
  it('service: creates the router Service, then switches and restores its selector with one conditional merge patch each', async () => {
    const ns = 'svc';
    server.requests.length = 0;
    const router = routerFor(api, ns, 'web', { kind: 'service', name: 'web' });
    let state = await router.send(router.switchWrite(await router.read(), 'blue', colourService('blue'), 1, run, at));
    state = await router.send(router.verifiedWrite(state));
    state = await router.send(router.switchWrite(state, 'green', colourService('green'), 1, run, at));
    expect(state).toMatchObject({ liveColor: 'green', previousColor: 'blue', route: { 'app.kubernetes.io/instance': 'web-green' } });
    const stale = router.restoreWrite({ ...state, object: { metadata: { resourceVersion: '1' } } }, 'test', at);
    await expect(router.send(stale)).rejects.toMatchObject({ status: 409 } satisfies Partial<KubeError>);
    state = await router.send(router.restoreWrite(state, 'post-switch smoke failed', at));
    expect(state).toMatchObject({ liveColor: 'blue', verified: true, route: { 'app.kubernetes.io/instance': 'web-blue' } });
    const base = `/api/v1/namespaces/${ns}/services`;
    expect(writes()).toEqual([
      `POST ${base} application/json`,
      `PATCH ${base}/web application/merge-patch+json`,
      `PATCH ${base}/web application/merge-patch+json`,
      `PATCH ${base}/web application/merge-patch+json`,
      `PATCH ${base}/web application/merge-patch+json`,
    ]);
    expect(await router.previewWrites(state, 'green', colourService('green'))).toEqual([]);
  });

  it('ingress: the live host rule switched between the colour Services in one write; the preview host is a second rule', async () => {
    const ns = 'ing';
    server.requests.length = 0;
    const config: RouterConfig = {
      kind: 'ingress',
      name: 'shop',
      host: 'shop.example.com',
      ingressClass: 'nginx',
      previewHost: 'next.shop.example.com',
    };
    const router = routerFor(api, ns, 'web', config);
    expect(router.previewAddress).toBe('http://next.shop.example.com/');
    let state = await router.read();
    for (const write of await router.previewWrites(state, 'blue', colourService('blue'))) state = await router.send(write);
    expect(state.route).toBeNull();
    expect(state.liveColor).toBeUndefined();
    state = await router.send(router.switchWrite(state, 'blue', colourService('blue'), 1, run, at));
    state = await router.send(router.verifiedWrite(state));
    for (const write of await router.previewWrites(state, 'green', colourService('green'))) state = await router.send(write);
    const switched = router.switchWrite(state, 'green', colourService('green'), 2, run, at);
    expect(switched).toMatchObject({ verb: 'patch', object: `Ingress ${ns}/shop`, purpose: 'switch to green' });
    state = await router.send(switched);
    const backend = (name: string) => ({ service: { name, port: { number: 8080 } } });
    const stored = objects.get(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/shop`) as unknown as {
      spec: { ingressClassName: string; rules: unknown[] };
      metadata: { annotations: Record<string, string> };
    };
    expect(stored.spec.ingressClassName).toBe('nginx');
    expect(stored.spec.rules).toEqual([
      { host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web-green') }] } },
      { host: 'next.shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web-green') }] } },
    ]);
    expect(stored.metadata.annotations[ANNOTATIONS.liveColor]).toBe('green');
    expect(stored.metadata.annotations[ANNOTATIONS.verified]).toBe('false');
    state = await router.send(router.restoreWrite(state, 'post-switch smoke failed', at));
    expect(state).toMatchObject({ liveColor: 'blue', verified: true, route: { service: 'web-blue', port: '8080' } });
    const base = `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`;
    // preview (creates), switch, verified, preview, switch, restore.
    expect(writes()).toEqual([`POST ${base} application/json`, ...Array(5).fill(`PATCH ${base}/shop application/merge-patch+json`)]);
    expect(router.problems(state)).toEqual([]);
  });

  it('gateway: backendRefs weights 100/0 swapped in one write; the preview is an HTTPRoute of its own; rollback the same', async () => {
    const ns = 'gw';
    server.requests.length = 0;
    const config: RouterConfig = {
      kind: 'gateway',
      name: 'shop',
      gateway: { name: 'edge', namespace: 'infra' },
      host: 'shop.example.com',
      previewHost: 'next.shop.example.com',
    };
    const router = routerFor(api, ns, 'web', config);
    let state = await router.send(router.switchWrite(await router.read(), 'blue', colourService('blue'), 1, run, at));
    state = await router.send(router.verifiedWrite(state));
    for (const write of await router.previewWrites(state, 'green', colourService('green'))) state = await router.send(write);
    state = await router.send(router.switchWrite(state, 'green', colourService('green'), 2, run, at));
    const base = `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes`;
    const route = objects.get(`${base}/shop`) as unknown as { spec: Record<string, unknown> };
    expect(route.spec['parentRefs']).toEqual([{ name: 'edge', namespace: 'infra' }]);
    expect(route.spec['hostnames']).toEqual(['shop.example.com']);
    expect(route.spec['rules']).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [
          { name: 'web-blue', port: 8080, weight: 0 },
          { name: 'web-green', port: 8080, weight: 100 },
        ],
      },
    ]);
    const preview = objects.get(`${base}/shop-preview`) as unknown as { spec: Record<string, unknown> };
    expect(preview.spec['hostnames']).toEqual(['next.shop.example.com']);
    expect(preview.spec['rules']).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web-green', port: 8080, weight: 100 }] },
    ]);
    state = await router.send(router.restoreWrite(state, 'post-switch smoke failed', at));
    expect(state).toMatchObject({ liveColor: 'blue', route: { service: 'web-blue', port: '8080' } });
    expect((objects.get(`${base}/shop`) as unknown as { spec: { rules: { backendRefs: unknown }[] } }).spec.rules[0]!.backendRefs).toEqual([
      { name: 'web-blue', port: 8080, weight: 100 },
      { name: 'web-green', port: 8080, weight: 0 },
    ]);
    expect(writes()).toEqual([
      `POST ${base} application/json`,
      `PATCH ${base}/shop application/merge-patch+json`,
      `POST ${base} application/json`,
      `PATCH ${base}/shop application/merge-patch+json`,
      `PATCH ${base}/shop application/merge-patch+json`,
    ]);
  });

  it('refuses an object it did not create, and a route split between colours', async () => {
    const ns = 'theirs';
    objects.set(`/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes/shop`, {
      metadata: { name: 'shop', resourceVersion: '7' },
    } as Stored);
    const router = routerFor(api, ns, 'web', { kind: 'gateway', name: 'shop', gateway: { name: 'edge' } });
    expect(router.problems(await router.read())).toEqual([
      'HTTPRoute shop exists but is not a router managed by pipeline-toolkit (annotation pipeline-toolkit.dev/managed-by missing); give another route-name or remove that HTTPRoute.',
    ]);
    objects.set(`/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes/shop`, {
      metadata: { name: 'shop', resourceVersion: '8', annotations: { [ANNOTATIONS.managedBy]: 'pipeline-toolkit' } },
      spec: {
        rules: [
          {
            backendRefs: [
              { name: 'web-blue', port: 80 },
              { name: 'web-green', port: 80, weight: 50 },
            ],
          },
        ],
      },
    } as unknown as Stored);
    objects.set(`/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes/other-preview`, {
      metadata: { name: 'other-preview', resourceVersion: '9' },
    } as Stored);
    const other = routerFor(api, ns, 'web', { kind: 'gateway', name: 'other', gateway: { name: 'edge' }, previewHost: 'next.example.com' });
    await expect(other.previewWrites(await other.read(), 'green', colourService('green'))).rejects.toThrow(
      'HTTPRoute other-preview exists but is not a preview route managed by pipeline-toolkit',
    );
    expect(router.problems(await router.read())).toEqual([
      'HTTPRoute shop splits traffic between {"service":"web-blue","port":"80"} and {"service":"web-green","port":"80"}; the router routes all of it to one colour.',
    ]);
  });
});

describe('router inputs', () => {
  const read = (values: Record<string, string>) =>
    readDeployInputs(
      new Inputs(
        mapInputs({ release: 'web', chart: './chart', 'cluster-name': 'c', 'aws-region': 'eu-west-1', ...values }),
        (n) => `--${n}`,
      ),
      {},
      dir,
    ).spec.router;
  const refused = (values: Record<string, string>) => {
    try {
      read(values);
    } catch (error) {
      return error instanceof InputError ? `${error.input}: ${error.message}` : String(error);
    }
    return 'accepted';
  };

  it('reads each router with its names', () => {
    expect(read({})).toEqual({ kind: 'service', name: 'web' });
    expect(
      read({ router: 'ingress', host: 'shop.example.com', 'preview-host': 'next.shop.example.com', 'ingress-class': 'nginx' }),
    ).toEqual({
      kind: 'ingress',
      name: 'web',
      host: 'shop.example.com',
      ingressClass: 'nginx',
      previewHost: 'next.shop.example.com',
    });
    expect(read({ router: 'gateway', 'route-name': 'shop', gateway: 'infra/edge' })).toEqual({
      kind: 'gateway',
      name: 'shop',
      gateway: { namespace: 'infra', name: 'edge' },
    });
  });

  it('refuses what a router cannot use, naming the input', () => {
    expect(refused({ router: 'istio' })).toMatch(/^router: .*service, ingress, gateway/);
    expect(refused({ router: 'ingress' })).toBe('host: --host is required with router ingress: the host whose backend is switched.');
    expect(refused({ router: 'gateway' })).toMatch(/^gateway: --gateway is required with router gateway/);
    expect(refused({ 'preview-host': 'next.example.com' })).toBe(
      'preview-host: --preview-host applies to router ingress or gateway, not to router service.',
    );
    expect(refused({ router: 'gateway', gateway: 'edge', 'ingress-name': 'x' })).toBe(
      'ingress-name: --ingress-name applies to router ingress, not to router gateway.',
    );
    expect(refused({ router: 'ingress', host: 'https://shop.example.com/' })).toMatch(/^host: --host must be a host name/);
    expect(refused({ router: 'ingress', host: 'shop.example.com', 'preview-host': 'shop.example.com' })).toBe(
      "preview-host: --preview-host must differ from --host ('shop.example.com').",
    );
    expect(refused({ router: 'gateway', gateway: 'a/b/c' })).toMatch(/^gateway: .*name or namespace\/name, got 'a\/b\/c'/);
  });
});
