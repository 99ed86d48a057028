import {
  ApiException,
  AppsV1Api,
  AutoscalingV2Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  NetworkingV1Api,
  Observable,
  PatchStrategy,
  setHeaderOptions,
  V1MicroTime,
  type ConfigurationOptions,
  type KubeConfig,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import { DEFAULT_REQUEST_POLICY, endpointOf, withinPolicy, type RequestPolicy } from '@pipeline-toolkit/core';
import {
  FIELD_MANAGER,
  KubeError,
  type KubeApi,
  type RouteKind,
  type RouteObject,
  type V1Lease,
  type V1Service,
  type WorkloadKind,
} from './api.ts';

/** Where the Gateway API keeps HTTPRoutes (a CRD: no typed client, and no strategic merge patch). */
const HTTP_ROUTE = { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' } as const;

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** KubeApi over @kubernetes/client-node (object-parameter API, v1+). */
export class ClientNodeApi implements KubeApi {
  readonly #core: CoreV1Api;
  readonly #apps: AppsV1Api;
  readonly #discovery: DiscoveryV1Api;
  readonly #coordination: CoordinationV1Api;
  readonly #autoscaling: AutoscalingV2Api;
  readonly #networking: NetworkingV1Api;
  readonly #custom: CustomObjectsApi;
  /** Every request runs under the request policy: a silent or trickling API server fails the call with a timeout naming it, never hangs it. */
  readonly #guard: Guard;

  constructor(kc: KubeConfig, policy: RequestPolicy = DEFAULT_REQUEST_POLICY) {
    const endpoint = endpointOf(kc.getCurrentCluster()?.server ?? 'http://kubernetes');
    this.#guard = (request, base) =>
      withinPolicy(policy, endpoint, 'an answer from the Kubernetes API server', (signal) => request(abortable(signal, base)));
    this.#core = kc.makeApiClient(CoreV1Api);
    this.#apps = kc.makeApiClient(AppsV1Api);
    this.#discovery = kc.makeApiClient(DiscoveryV1Api);
    this.#coordination = kc.makeApiClient(CoordinationV1Api);
    this.#autoscaling = kc.makeApiClient(AutoscalingV2Api);
    this.#networking = kc.makeApiClient(NetworkingV1Api);
    this.#custom = kc.makeApiClient(CustomObjectsApi);
  }

  readService(namespace: string, name: string) {
    return orMissing(this.#guard, (options) => this.#core.readNamespacedService({ namespace, name }, options));
  }
  createService(namespace: string, body: V1Service) {
    return call(this.#guard, (options) => this.#core.createNamespacedService({ namespace, body, fieldManager: FIELD_MANAGER }, options));
  }
  patchService(namespace: string, name: string, patch: object) {
    return call(
      this.#guard,
      (options) => this.#core.patchNamespacedService({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, options),
      mergePatch,
    );
  }
  readWorkload(namespace: string, kind: WorkloadKind, name: string) {
    return orMissing(this.#guard, (options) =>
      kind === 'Deployment'
        ? this.#apps.readNamespacedDeployment({ namespace, name }, options)
        : this.#apps.readNamespacedStatefulSet({ namespace, name }, options),
    );
  }
  patchWorkload(namespace: string, kind: WorkloadKind, name: string, patch: object) {
    const request = { namespace, name, body: patch, fieldManager: FIELD_MANAGER };
    return call(
      this.#guard,
      (options) =>
        kind === 'Deployment'
          ? this.#apps.patchNamespacedDeployment(request, options)
          : this.#apps.patchNamespacedStatefulSet(request, options),
      mergePatch,
    );
  }
  async listPods(namespace: string, labelSelector: string) {
    return (await call(this.#guard, (options) => this.#core.listNamespacedPod({ namespace, labelSelector }, options))).items;
  }
  async listEvents(namespace: string, limit: number) {
    return (await call(this.#guard, (options) => this.#core.listNamespacedEvent({ namespace, limit }, options))).items;
  }
  readSecret(namespace: string, name: string) {
    return orMissing(this.#guard, (options) => this.#core.readNamespacedSecret({ namespace, name }, options));
  }
  patchSecret(namespace: string, name: string, patch: object) {
    return call(
      this.#guard,
      (options) => this.#core.patchNamespacedSecret({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, options),
      mergePatch,
    );
  }
  readConfigMap(namespace: string, name: string) {
    return orMissing(this.#guard, (options) => this.#core.readNamespacedConfigMap({ namespace, name }, options));
  }
  patchConfigMap(namespace: string, name: string, patch: object) {
    return call(
      this.#guard,
      (options) => this.#core.patchNamespacedConfigMap({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, options),
      mergePatch,
    );
  }
  async listEndpointSlices(namespace: string, serviceName: string) {
    const labelSelector = `kubernetes.io/service-name=${serviceName}`;
    return (await call(this.#guard, (options) => this.#discovery.listNamespacedEndpointSlice({ namespace, labelSelector }, options))).items;
  }
  readRoute(namespace: string, kind: RouteKind, name: string): Promise<RouteObject | undefined> {
    return orMissing(this.#guard, (options) =>
      kind === 'Ingress'
        ? (this.#networking.readNamespacedIngress({ namespace, name }, options) as Promise<RouteObject>)
        : (this.#custom.getNamespacedCustomObject({ ...HTTP_ROUTE, namespace, name }, options) as Promise<RouteObject>),
    );
  }
  createRoute(namespace: string, kind: RouteKind, body: RouteObject): Promise<RouteObject> {
    return call(this.#guard, (options) =>
      kind === 'Ingress'
        ? (this.#networking.createNamespacedIngress(
            { namespace, body: body as never, fieldManager: FIELD_MANAGER },
            options,
          ) as Promise<RouteObject>)
        : (this.#custom.createNamespacedCustomObject(
            { ...HTTP_ROUTE, namespace, body, fieldManager: FIELD_MANAGER },
            options,
          ) as Promise<RouteObject>),
    );
  }
  patchRoute(namespace: string, kind: RouteKind, name: string, patch: object): Promise<RouteObject> {
    return call(
      this.#guard,
      (options) =>
        kind === 'Ingress'
          ? (this.#networking.patchNamespacedIngress(
              { namespace, name, body: patch, fieldManager: FIELD_MANAGER },
              options,
            ) as Promise<RouteObject>)
          : (this.#custom.patchNamespacedCustomObject(
              { ...HTTP_ROUTE, namespace, name, body: patch, fieldManager: FIELD_MANAGER },
              options,
            ) as Promise<RouteObject>),
      mergePatch,
    );
  }
  readLease(namespace: string, name: string) {
    return orMissing(this.#guard, (options) => this.#coordination.readNamespacedLease({ namespace, name }, options));
  }
  createLease(namespace: string, body: V1Lease) {
    return call(this.#guard, (options) =>
      this.#coordination.createNamespacedLease({ namespace, body: microTimes(body), fieldManager: FIELD_MANAGER }, options),
    );
  }
  replaceLease(namespace: string, name: string, body: V1Lease) {
    return call(this.#guard, (options) =>
      this.#coordination.replaceNamespacedLease({ namespace, name, body: microTimes(body), fieldManager: FIELD_MANAGER }, options),
    );
  }
  async listAutoscalers(namespace: string) {
    return (await call(this.#guard, (options) => this.#autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }, options))).items;
  }
  patchAutoscaler(namespace: string, name: string, patch: object) {
    return call(
      this.#guard,
      (options) =>
        this.#autoscaling.patchNamespacedHorizontalPodAutoscaler({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, options),
      mergePatch,
    );
  }
  async deleteLease(namespace: string, name: string, resourceVersion: string) {
    await call(this.#guard, (options) =>
      this.#coordination.deleteNamespacedLease({ namespace, name, body: { preconditions: { resourceVersion } } }, options),
    );
  }
}

/** Lease times are MicroTime on the wire (six fractional digits); a plain Date would be refused. */
function microTimes(lease: V1Lease): V1Lease {
  const spec = lease.spec && { ...lease.spec };
  if (spec?.acquireTime) spec.acquireTime = new V1MicroTime(spec.acquireTime);
  if (spec?.renewTime) spec.renewTime = new V1MicroTime(spec.renewTime);
  return { ...lease, ...(spec ? { spec } : {}) };
}

/** A request made with the options it is given: they carry the abort signal of the policy. */
type Request<T> = (options: ConfigurationOptions) => Promise<T>;
type Guard = <T>(request: Request<T>, base?: ConfigurationOptions) => Promise<T>;

/**
 * `base` (or no options) plus a middleware that hands `signal` to client-node's fetch: when the
 * attempt times out or the deadline passes, the request and its socket are really aborted, also
 * while the body is still arriving — not merely abandoned while the socket stays open.
 */
function abortable(signal: AbortSignal, base?: ConfigurationOptions): ConfigurationOptions {
  const withSignal: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  return { ...base, middleware: [...(base?.middleware ?? []), withSignal], middlewareMergeStrategy: 'append' };
}

async function call<T>(guard: Guard, request: Request<T>, base?: ConfigurationOptions): Promise<T> {
  try {
    return await guard(request, base);
  } catch (error) {
    throw toKubeError(error);
  }
}

async function orMissing<T>(guard: Guard, request: Request<T>): Promise<T | undefined> {
  try {
    return await call(guard, request);
  } catch (error) {
    if (error instanceof KubeError && error.status === 404) return undefined;
    throw error;
  }
}

function toKubeError(error: unknown): Error {
  if (!(error instanceof ApiException)) return error instanceof Error ? error : new Error(String(error));
  const body = parseBody(error.body);
  const message = typeof body?.['message'] === 'string' ? body['message'] : `HTTP ${error.code}`;
  const reason = typeof body?.['reason'] === 'string' ? body['reason'] : '';
  return new KubeError(error.code, reason, `Kubernetes API: ${message}`);
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
  if (body && typeof body === 'object') return body as Record<string, unknown>;
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { message: body };
  }
}
