import {
  ApiException,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  Observable,
  PatchStrategy,
  setHeaderOptions,
  V1MicroTime,
  type ConfigurationOptions,
  type KubeConfig,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { DEFAULT_REQUEST_POLICY, endpointOf, withinPolicy, type RequestPolicy } from '@pipeline-toolkit/core';
import { FIELD_MANAGER, KubeError, type KubeApi, type V1Lease, type V1Service } from './api.ts';

const mergePatch = (options: ConfigurationOptions) => setHeaderOptions('Content-Type', PatchStrategy.MergePatch, options);

/** Per-request options that put the policy's abort signal on the request and note its URL for messages. */
type Call<T> = (options: ConfigurationOptions) => Promise<T>;

/** KubeApi over @kubernetes/client-node (object-parameter API, v1+). */
export class ClientNodeApi implements KubeApi {
  readonly #core: CoreV1Api;
  readonly #apps: AppsV1Api;
  readonly #discovery: DiscoveryV1Api;
  readonly #coordination: CoordinationV1Api;
  readonly #policy: RequestPolicy;
  readonly #server: string;

  /** Every request runs under `policy` (request-timeout, request-deadline, cancellation): a silent API server fails the call, never hangs it. */
  constructor(kc: KubeConfig, policy: RequestPolicy = DEFAULT_REQUEST_POLICY) {
    this.#policy = policy;
    this.#server = kc.getCurrentCluster()?.server ?? 'the Kubernetes API server';
    this.#core = kc.makeApiClient(CoreV1Api);
    this.#apps = kc.makeApiClient(AppsV1Api);
    this.#discovery = kc.makeApiClient(DiscoveryV1Api);
    this.#coordination = kc.makeApiClient(CoordinationV1Api);
  }

  readService(namespace: string, name: string) {
    return this.#orMissing((o) => this.#core.readNamespacedService({ namespace, name }, o));
  }
  async listServices(namespace: string, labelSelector: string) {
    return (await this.#call((o) => this.#core.listNamespacedService({ namespace, labelSelector }, o))).items;
  }
  createService(namespace: string, body: V1Service) {
    return this.#call((o) => this.#core.createNamespacedService({ namespace, body, fieldManager: FIELD_MANAGER }, o));
  }
  patchService(namespace: string, name: string, patch: object) {
    return this.#call((o) =>
      this.#core.patchNamespacedService({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, mergePatch(o)),
    );
  }
  async listDeployments(namespace: string, labelSelector: string) {
    return (await this.#call((o) => this.#apps.listNamespacedDeployment({ namespace, labelSelector }, o))).items;
  }
  patchDeployment(namespace: string, name: string, patch: object) {
    return this.#call((o) =>
      this.#apps.patchNamespacedDeployment({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, mergePatch(o)),
    );
  }
  async listEndpointSlices(namespace: string, serviceName: string) {
    const labelSelector = `kubernetes.io/service-name=${serviceName}`;
    return (await this.#call((o) => this.#discovery.listNamespacedEndpointSlice({ namespace, labelSelector }, o))).items;
  }
  readLease(namespace: string, name: string) {
    return this.#orMissing((o) => this.#coordination.readNamespacedLease({ namespace, name }, o));
  }
  createLease(namespace: string, body: V1Lease) {
    return this.#call((o) =>
      this.#coordination.createNamespacedLease({ namespace, body: microTimes(body), fieldManager: FIELD_MANAGER }, o),
    );
  }
  replaceLease(namespace: string, name: string, body: V1Lease) {
    return this.#call((o) =>
      this.#coordination.replaceNamespacedLease({ namespace, name, body: microTimes(body), fieldManager: FIELD_MANAGER }, o),
    );
  }
  async deleteLease(namespace: string, name: string, resourceVersion: string) {
    await this.#call((o) => this.#coordination.deleteNamespacedLease({ namespace, name, body: { preconditions: { resourceVersion } } }, o));
  }

  /** One request under the policy: its signal on the request, its URL (host and path) in a timeout's message. */
  #call<T>(request: Call<T>): Promise<T> {
    let endpoint = endpointOf(this.#server);
    const options = (signal: AbortSignal): ConfigurationOptions => ({
      middleware: [
        {
          pre: (context: RequestContext) => {
            context.setSignal(signal);
            endpoint = endpointOf(context.getUrl());
            return new Observable(Promise.resolve(context));
          },
          post: (response: ResponseContext) => new Observable(Promise.resolve(response)),
        },
      ],
      middlewareMergeStrategy: 'append',
    });
    return call(() =>
      withinPolicy(
        this.#policy,
        () => endpoint,
        'an answer from the Kubernetes API server',
        (signal) => request(options(signal)),
      ),
    );
  }

  async #orMissing<T>(request: Call<T>): Promise<T | undefined> {
    try {
      return await this.#call(request);
    } catch (error) {
      if (error instanceof KubeError && error.status === 404) return undefined;
      throw error;
    }
  }
}

/** Lease times are MicroTime on the wire (six fractional digits); a plain Date would be refused. */
function microTimes(lease: V1Lease): V1Lease {
  const spec = lease.spec && { ...lease.spec };
  if (spec?.acquireTime) spec.acquireTime = new V1MicroTime(spec.acquireTime);
  if (spec?.renewTime) spec.renewTime = new V1MicroTime(spec.renewTime);
  return { ...lease, ...(spec ? { spec } : {}) };
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw toKubeError(error);
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
