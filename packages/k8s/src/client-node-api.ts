import {
  ApiException,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  PatchStrategy,
  setHeaderOptions,
  V1MicroTime,
  type KubeConfig,
} from '@kubernetes/client-node';
import { DEFAULT_REQUEST_POLICY, endpointOf, withinPolicy, type RequestPolicy } from '@pipeline-toolkit/core';
import { FIELD_MANAGER, KubeError, type KubeApi, type V1Lease, type V1Service, type WorkloadKind } from './api.ts';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** KubeApi over @kubernetes/client-node (object-parameter API, v1+). */
export class ClientNodeApi implements KubeApi {
  readonly #core: CoreV1Api;
  readonly #apps: AppsV1Api;
  readonly #discovery: DiscoveryV1Api;
  readonly #coordination: CoordinationV1Api;
  /** Every request runs under the request policy: a silent or trickling API server fails the call with a timeout naming it, never hangs it. */
  readonly #guard: Guard;

  constructor(kc: KubeConfig, policy: RequestPolicy = DEFAULT_REQUEST_POLICY) {
    const endpoint = endpointOf(kc.getCurrentCluster()?.server ?? 'http://kubernetes');
    this.#guard = (request) => withinPolicy(policy, endpoint, 'an answer from the Kubernetes API server', () => request());
    this.#core = kc.makeApiClient(CoreV1Api);
    this.#apps = kc.makeApiClient(AppsV1Api);
    this.#discovery = kc.makeApiClient(DiscoveryV1Api);
    this.#coordination = kc.makeApiClient(CoordinationV1Api);
  }

  readService(namespace: string, name: string) {
    return orMissing(this.#guard, () => this.#core.readNamespacedService({ namespace, name }));
  }
  createService(namespace: string, body: V1Service) {
    return call(this.#guard, () => this.#core.createNamespacedService({ namespace, body, fieldManager: FIELD_MANAGER }));
  }
  patchService(namespace: string, name: string, patch: object) {
    return call(this.#guard, () =>
      this.#core.patchNamespacedService({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, mergePatch),
    );
  }
  readWorkload(namespace: string, kind: WorkloadKind, name: string) {
    return orMissing(this.#guard, () =>
      kind === 'Deployment'
        ? this.#apps.readNamespacedDeployment({ namespace, name })
        : this.#apps.readNamespacedStatefulSet({ namespace, name }),
    );
  }
  patchWorkload(namespace: string, kind: WorkloadKind, name: string, patch: object) {
    const request = { namespace, name, body: patch, fieldManager: FIELD_MANAGER };
    return call(this.#guard, () =>
      kind === 'Deployment'
        ? this.#apps.patchNamespacedDeployment(request, mergePatch)
        : this.#apps.patchNamespacedStatefulSet(request, mergePatch),
    );
  }
  async listPods(namespace: string, labelSelector: string) {
    return (await call(this.#guard, () => this.#core.listNamespacedPod({ namespace, labelSelector }))).items;
  }
  async listEvents(namespace: string, limit: number) {
    return (await call(this.#guard, () => this.#core.listNamespacedEvent({ namespace, limit }))).items;
  }
  readSecret(namespace: string, name: string) {
    return orMissing(this.#guard, () => this.#core.readNamespacedSecret({ namespace, name }));
  }
  patchSecret(namespace: string, name: string, patch: object) {
    return call(this.#guard, () =>
      this.#core.patchNamespacedSecret({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, mergePatch),
    );
  }
  readConfigMap(namespace: string, name: string) {
    return orMissing(this.#guard, () => this.#core.readNamespacedConfigMap({ namespace, name }));
  }
  patchConfigMap(namespace: string, name: string, patch: object) {
    return call(this.#guard, () =>
      this.#core.patchNamespacedConfigMap({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, mergePatch),
    );
  }
  async listEndpointSlices(namespace: string, serviceName: string) {
    const labelSelector = `kubernetes.io/service-name=${serviceName}`;
    return (await call(this.#guard, () => this.#discovery.listNamespacedEndpointSlice({ namespace, labelSelector }))).items;
  }
  readLease(namespace: string, name: string) {
    return orMissing(this.#guard, () => this.#coordination.readNamespacedLease({ namespace, name }));
  }
  createLease(namespace: string, body: V1Lease) {
    return call(this.#guard, () =>
      this.#coordination.createNamespacedLease({ namespace, body: microTimes(body), fieldManager: FIELD_MANAGER }),
    );
  }
  replaceLease(namespace: string, name: string, body: V1Lease) {
    return call(this.#guard, () =>
      this.#coordination.replaceNamespacedLease({ namespace, name, body: microTimes(body), fieldManager: FIELD_MANAGER }),
    );
  }
  async deleteLease(namespace: string, name: string, resourceVersion: string) {
    await call(this.#guard, () =>
      this.#coordination.deleteNamespacedLease({ namespace, name, body: { preconditions: { resourceVersion } } }),
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

type Guard = <T>(request: () => Promise<T>) => Promise<T>;

async function call<T>(guard: Guard, request: () => Promise<T>): Promise<T> {
  try {
    return await guard(request);
  } catch (error) {
    throw toKubeError(error);
  }
}

async function orMissing<T>(guard: Guard, request: () => Promise<T>): Promise<T | undefined> {
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
