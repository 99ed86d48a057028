/**
 * An in-memory stand-in for the API server and Helm, for unit tests of the engine's phase logic:
 * resourceVersion preconditions, JSON merge patch, Leases, a "controller" that rolls Deployments
 * out at once (never for images tagged never-ready), EndpointSlices derived from the Deployments,
 * and a Helm whose argv installs a Deployment + Service per release. Real behaviour is proven by the
 * e2e tests on a real control plane; this fake only has to be faithful to what the engine reads.
 */
import { ExternalError, MemoryLogger, type Exec } from '@pipeline-toolkit/core';
import { KubeError, type KubeApi, type RouteKind, type RouteObject } from '../src/api.ts';
import type {
  CoreV1Event,
  V1ConfigMap,
  V1Deployment,
  V1EndpointSlice,
  V1Lease,
  V1Pod,
  V1Secret,
  V1Service,
  V2HorizontalPodAutoscaler,
  WorkloadKind,
} from '../src/api.ts';
import { Helm } from '../src/helm.ts';
import { CancelledError, type Clock, type EngineDeps, type GateVerdict, type Journal } from '../src/bluegreen/model.ts';

type Obj = { metadata?: { name?: string; resourceVersion?: string; generation?: number } };

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const clone = <T>(value: T): T => structuredClone(value);

export class FakeCluster implements KubeApi {
  services = new Map<string, V1Service>();
  deployments = new Map<string, V1Deployment>();
  leases = new Map<string, V1Lease>();
  autoscalers = new Map<string, V2HorizontalPodAutoscaler>();
  /** Ingresses and HTTPRoutes by `Kind/name`. */
  routes = new Map<string, RouteObject>();
  /** Helm's release records (Helm keeps them in the cluster too, so every job sees them). */
  helmReleases = new Map<string, { revision: number; status: string; history: { revision: number; status: string }[] }>();
  /** Every write, in order: `patch service shop`, `create lease shop-deploy` … */
  writes: string[] = [];
  /** Selector of the router after each write to it (to assert it never selected an unready colour). */
  routerHistory: (Record<string, string> | null)[] = [];
  #version = 1;
  /** Called before a write; throw to inject a failure. */
  beforeWrite: (what: string) => void = () => {};

  #stamp<T extends Obj>(obj: T, generationBump = false): T {
    obj.metadata ??= {};
    obj.metadata.resourceVersion = String(++this.#version);
    if (generationBump) obj.metadata.generation = (obj.metadata.generation ?? 0) + 1;
    return obj;
  }
  #write(what: string) {
    this.beforeWrite(what);
    this.writes.push(what);
  }
  #precondition(current: Obj, patch: { metadata?: { resourceVersion?: string } }) {
    const wanted = patch.metadata?.resourceVersion;
    if (wanted && wanted !== current.metadata?.resourceVersion) throw new KubeError(409, 'Conflict', 'the object has been modified');
  }

  async readService(_ns: string, name: string) {
    const s = this.services.get(name);
    return s && clone(s);
  }
  async createService(_ns: string, body: V1Service) {
    const name = body.metadata?.name ?? '';
    this.#write(`create service ${name}`);
    if (this.services.has(name)) throw new KubeError(409, 'AlreadyExists', `services "${name}" already exists`);
    const created = this.#stamp({
      ...clone(body),
      metadata: {
        ...clone(body.metadata),
        managedFields: [{ manager: 'pipeline-toolkit', operation: 'Update', fieldsV1: { 'f:spec': { 'f:selector': {} } } }],
      },
    });
    this.services.set(name, created);
    if (body.metadata?.annotations?.['pipeline-toolkit.dev/managed-by']) this.routerHistory.push(created.spec?.selector ?? null);
    return clone(created);
  }
  async patchService(_ns: string, name: string, patch: object) {
    this.#write(`patch service ${name}`);
    const current = this.services.get(name);
    if (!current) throw new KubeError(404, 'NotFound', `services "${name}" not found`);
    this.#precondition(current, patch);
    const next = this.#stamp(mergePatch(current, patch) as V1Service);
    this.services.set(name, next);
    if ((patch as { spec?: unknown }).spec)
      this.routerHistory.push(next.spec?.selector && Object.keys(next.spec.selector).length ? next.spec.selector : null);
    return clone(next);
  }
  async listAutoscalers() {
    return [...this.autoscalers.values()].map(clone);
  }
  async patchAutoscaler(_ns: string, name: string, patch: object) {
    this.#write(`patch horizontalpodautoscaler ${name}`);
    const current = this.autoscalers.get(name);
    if (!current) throw new KubeError(404, 'NotFound', `horizontalpodautoscalers "${name}" not found`);
    const next = this.#stamp(mergePatch(current, patch) as V2HorizontalPodAutoscaler, true);
    this.autoscalers.set(name, next);
    return clone(next);
  }
  async readRoute(_ns: string, kind: RouteKind, name: string) {
    const r = this.routes.get(`${kind}/${name}`);
    return r && clone(r);
  }
  async createRoute(_ns: string, kind: RouteKind, body: RouteObject) {
    const name = body.metadata?.name ?? '';
    this.#write(`create ${kind.toLowerCase()} ${name}`);
    if (this.routes.has(`${kind}/${name}`)) throw new KubeError(409, 'AlreadyExists', `${kind} "${name}" already exists`);
    const created = this.#stamp({
      ...clone(body),
      metadata: {
        ...clone(body.metadata),
        managedFields: [{ manager: 'pipeline-toolkit', operation: 'Update', fieldsV1: { 'f:spec': { 'f:rules': {} } } }],
      },
    });
    this.routes.set(`${kind}/${name}`, created);
    return clone(created);
  }
  async patchRoute(_ns: string, kind: RouteKind, name: string, patch: object) {
    this.#write(`patch ${kind.toLowerCase()} ${name}`);
    const current = this.routes.get(`${kind}/${name}`);
    if (!current) throw new KubeError(404, 'NotFound', `${kind} "${name}" not found`);
    this.#precondition(current, patch);
    const next = this.#stamp(mergePatch(current, patch) as RouteObject);
    this.routes.set(`${kind}/${name}`, next);
    return clone(next);
  }
  async readWorkload(_ns: string, kind: WorkloadKind, name: string) {
    const d = kind === 'Deployment' ? this.deployments.get(name) : undefined;
    return d && clone(this.#rollout(d));
  }
  async patchWorkload(_ns: string, _kind: WorkloadKind, name: string, patch: object) {
    this.#write(`patch deployment ${name}`);
    const current = this.deployments.get(name);
    if (!current) throw new KubeError(404, 'NotFound', `deployments "${name}" not found`);
    const next = this.#stamp(mergePatch(current, patch) as V1Deployment, true);
    this.deployments.set(name, next);
    return clone(next);
  }
  /** The deployment controller, at once: ready unless the image is tagged never-ready. */
  #rollout(d: V1Deployment): V1Deployment {
    const desired = d.spec?.replicas ?? 1;
    const image = d.spec?.template?.spec?.containers?.[0]?.image ?? '';
    const ready = image.endsWith(':never-ready') ? 0 : desired;
    d.status = {
      observedGeneration: d.metadata?.generation ?? 1,
      replicas: desired,
      updatedReplicas: desired,
      readyReplicas: ready,
      availableReplicas: ready,
    };
    return d;
  }
  async listEndpointSlices(_ns: string, serviceName: string): Promise<V1EndpointSlice[]> {
    const service = this.services.get(serviceName);
    const selector = service?.spec?.selector;
    if (!selector || !Object.keys(selector).length) return [];
    const endpoints = [...this.deployments.values()]
      .filter((d) => matches(selector, d.spec?.template?.metadata?.labels))
      .flatMap((d) => {
        const rolled = this.#rollout(d);
        return Array.from({ length: rolled.spec?.replicas ?? 1 }, (_, i) => ({
          addresses: [`10.0.0.${i}`],
          conditions: { ready: i < (rolled.status?.readyReplicas ?? 0) },
          targetRef: { kind: 'Pod', name: `${d.metadata?.name}-7d9f-${i}` },
        }));
      });
    return [{ addressType: 'IPv4', endpoints, metadata: { name: `${serviceName}-x` } }];
  }
  async listPods(_ns: string, labelSelector: string): Promise<V1Pod[]> {
    const selector = Object.fromEntries(labelSelector.split(',').map((kv) => kv.split('=') as [string, string]));
    return [...this.deployments.values()]
      .filter((d) => matches(selector, d.spec?.template?.metadata?.labels))
      .flatMap((d) => {
        const rolled = this.#rollout(d);
        return Array.from({ length: rolled.spec?.replicas ?? 1 }, (_, i) => ({
          metadata: { name: `${d.metadata?.name}-7d9f-${i}`, labels: d.spec?.template?.metadata?.labels ?? {} },
          status: {
            phase: 'Running',
            conditions: [
              { type: 'Ready', status: i < (rolled.status?.readyReplicas ?? 0) ? 'True' : 'False', reason: 'ContainersNotReady' },
            ],
          },
        }));
      });
  }
  async listEvents(): Promise<CoreV1Event[]> {
    return [];
  }
  async readSecret() {
    return undefined;
  }
  async patchSecret(): Promise<V1Secret> {
    throw new KubeError(404, 'NotFound', 'not found');
  }
  async readConfigMap() {
    return undefined;
  }
  async patchConfigMap(): Promise<V1ConfigMap> {
    throw new KubeError(404, 'NotFound', 'not found');
  }
  async readLease(_ns: string, name: string) {
    const l = this.leases.get(name);
    return l && clone(l);
  }
  async createLease(_ns: string, body: V1Lease) {
    const name = body.metadata?.name ?? '';
    this.#write(`create lease ${name}`);
    if (this.leases.has(name)) throw new KubeError(409, 'AlreadyExists', `leases "${name}" already exists`);
    this.leases.set(name, this.#stamp(clone(body)));
    return clone(this.leases.get(name)!);
  }
  async replaceLease(_ns: string, name: string, body: V1Lease) {
    this.#write(`replace lease ${name}`);
    const current = this.leases.get(name);
    if (!current) throw new KubeError(404, 'NotFound', 'not found');
    this.#precondition(current, body);
    this.leases.set(name, this.#stamp(clone(body)));
    return clone(this.leases.get(name)!);
  }
  async deleteLease(_ns: string, name: string, resourceVersion: string) {
    this.#write(`delete lease ${name}`);
    const current = this.leases.get(name);
    if (!current) throw new KubeError(404, 'NotFound', 'not found');
    if (current.metadata?.resourceVersion !== resourceVersion) throw new KubeError(409, 'Conflict', 'precondition failed');
    this.leases.delete(name);
  }

  /** What `helm upgrade --install` of the test chart creates: one Deployment and one Service per release. */
  installRelease(release: string, image: string, replicas: number, extraSelector?: string): void {
    const labels = {
      'app.kubernetes.io/instance': release,
      'app.kubernetes.io/name': 'web',
      ...(extraSelector ? { extra: extraSelector } : {}),
    };
    const existing = this.deployments.get(release);
    const deployment: V1Deployment = {
      metadata: {
        name: release,
        labels,
        annotations: { ...existing?.metadata?.annotations, 'meta.helm.sh/release-name': release },
        generation: existing?.metadata?.generation ?? 0,
      },
      spec: {
        replicas: existing ? existing.spec?.replicas : replicas,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'web', image }] } },
      },
    };
    this.deployments.set(release, this.#stamp(deployment, true));
    if (!this.services.has(release)) {
      this.services.set(
        release,
        this.#stamp({
          metadata: { name: release, labels },
          spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
        }),
      );
    }
  }
}

/** A Helm binary for the fake cluster: records argv, keeps release revisions, installs the test chart. */
export function fakeHelm(cluster: FakeCluster, options: { major?: number; failUpgrade?: string } = {}) {
  const calls: string[][] = [];
  const releases = cluster.helmReleases;
  const run: Exec = async (_cmd, args) => {
    calls.push([...args]);
    const [verb, name] = args;
    const ok = (stdout = '') => ({ exitCode: 0, stdout, stderr: '' });
    const notFound = { exitCode: 1, stdout: '', stderr: 'Error: release: not found' };
    if (verb === 'version') return ok(`v${options.major ?? 3}.18.0`);
    const release = releases.get(name ?? '');
    if (verb === 'upgrade') {
      if (options.failUpgrade) return { exitCode: 1, stdout: '', stderr: options.failUpgrade };
      const setString = args.flatMap((a, i) => (args[i - 1] === '--set-string' ? [a] : []));
      const tag = setString.find((s) => s.startsWith('image.tag='))?.slice('image.tag='.length) ?? 'latest';
      const repo = setString.find((s) => s.startsWith('image.repository='))?.slice('image.repository='.length) ?? 'nginx';
      const extra = args.flatMap((a, i) =>
        args[i - 1] === '--set' && a.startsWith('extraSelector=') ? [a.slice('extraSelector='.length)] : [],
      )[0];
      const current = cluster.deployments.get(name ?? '')?.spec?.selector?.matchLabels ?? {};
      if (current['extra'] !== extra && cluster.deployments.has(name ?? ''))
        return {
          exitCode: 1,
          stdout: '',
          stderr: `Error: UPGRADE FAILED: Deployment.apps "${name}" is invalid: spec.selector: field is immutable`,
        };
      cluster.installRelease(name ?? '', `${repo}:${tag}`, 2, extra);
      const next = (release?.revision ?? 0) + 1;
      const history = (release?.history ?? []).map((h) => ({ ...h, status: 'superseded' }));
      releases.set(name ?? '', { revision: next, status: 'deployed', history: [...history, { revision: next, status: 'deployed' }] });
      return ok();
    }
    if (verb === 'get' && args[1] === 'manifest') {
      const installed = args[2] ?? '';
      const d = cluster.deployments.get(installed);
      if (!releases.has(installed) || !d) return notFound;
      const labels = JSON.stringify(d.spec?.selector?.matchLabels ?? {});
      const svc = cluster.services.get(installed);
      return ok(
        `---\napiVersion: v1\nkind: Service\nmetadata: { name: ${installed} }\nspec:\n  selector: ${JSON.stringify(svc?.spec?.selector ?? {})}\n  ports: ${JSON.stringify(svc?.spec?.ports ?? [])}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${installed} }\nspec:\n  replicas: 2\n  selector: { matchLabels: ${labels} }\n  template: { metadata: { labels: ${labels} } }\n`,
      );
    }
    if (verb === 'template') {
      // The test chart: a Deployment selecting instance + name (+ extraSelector when set).
      const extra = args.flatMap((a, i) =>
        args[i - 1] === '--set' && a.startsWith('extraSelector=') ? [a.slice('extraSelector='.length)] : [],
      )[0];
      const labels = `{ app.kubernetes.io/instance: ${name}, app.kubernetes.io/name: web${extra ? `, extra: ${extra}` : ''} }`;
      return ok(
        `---\napiVersion: v1\nkind: Service\nmetadata: { name: ${name} }\nspec:\n  selector: ${labels}\n  ports: [{ name: http, port: 80, targetPort: http, protocol: TCP }]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name} }\nspec:\n  replicas: 2\n  selector: { matchLabels: ${labels} }\n  template: { metadata: { labels: ${labels} } }\n`,
      );
    }
    if (verb === 'status')
      return release ? ok(JSON.stringify({ name, version: release.revision, info: { status: release.status } })) : notFound;
    if (verb === 'history')
      return release
        ? ok(JSON.stringify(release.history.map((h) => ({ ...h, chart: 'web-0.1.0', app_version: '1', description: '' }))))
        : notFound;
    if (verb === 'uninstall') {
      releases.delete(name ?? '');
      cluster.deployments.delete(name ?? '');
      cluster.services.delete(name ?? '');
      return ok();
    }
    if (verb === 'rollback') {
      if (release) release.status = 'deployed';
      return ok();
    }
    throw new Error(`fake helm: unexpected ${args.join(' ')}`);
  };
  // Like core's exec: an exit code that is not accepted is an error naming the command.
  const exec: Exec = async (cmd, args, options) => {
    const result = await run(cmd, args, options);
    if (!(options?.okExitCodes ?? [0]).includes(result.exitCode)) {
      throw new ExternalError(`'${cmd} ${args.slice(0, 2).join(' ')}' exited with code ${result.exitCode}:\n${result.stderr.trim()}`);
    }
    return result;
  };
  const helm = new Helm({ exec, kubeconfig: async () => ({ path: '/tmp/kubeconfig', dispose: async () => {} }), log: new MemoryLogger() });
  return { helm, calls, releases };
}

/** A clock that jumps forward when slept on, so timeouts pass instantly. */
export function fakeClock(start = Date.parse('2026-11-29T09:00:00Z')): Clock & { t: number } {
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new CancelledError();
      clock.t += ms;
    },
  };
  return clock;
}

export const pass = async (): Promise<GateVerdict> => ({ passed: true, summary: '3/3 checks passed' });
export const fail = async (): Promise<GateVerdict> => ({ passed: false, summary: '1/3 checks failed: GET /healthz → 500' });

export function engineDeps(cluster: FakeCluster, overrides: Partial<EngineDeps> = {}) {
  const journals: Journal[] = [];
  const { helm, calls, releases } = fakeHelm(cluster);
  const log = new MemoryLogger();
  const deps: EngineDeps = {
    api: cluster,
    helm,
    log,
    clock: fakeClock(),
    previewUrl: (color, service, port) => `http://preview.test/${service}:${port}`,
    productionUrl: (router, port) => `http://prod.test/${router}:${port}`,
    saveJournal: async (j) => void journals.push(j),
    signal: new AbortController().signal,
    pollMs: 1000,
    ...overrides,
  };
  return { deps, journals, helmCalls: calls, releases, log };
}
