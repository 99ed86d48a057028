import type {
  CoreV1Event,
  V1ConfigMap,
  V1Deployment,
  V1EndpointSlice,
  V1Lease,
  V1Pod,
  V1Secret,
  V1Service,
  V1ServicePort,
  V1StatefulSet,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';

export type {
  CoreV1Event,
  V1ConfigMap,
  V1Deployment,
  V1EndpointSlice,
  V1Lease,
  V1Pod,
  V1Secret,
  V1Service,
  V1ServicePort,
  V1StatefulSet,
  V2HorizontalPodAutoscaler,
};

/** The kinds of workload a colour may run: what a release's manifest names, read and scaled by name. */
export type WorkloadKind = 'Deployment' | 'StatefulSet';
export type Workload = (V1Deployment | V1StatefulSet) & { kind?: string };

/** Router objects beyond the Service: networking.k8s.io/v1 Ingress and gateway.networking.k8s.io/v1 HTTPRoute. */
export type RouteKind = 'Ingress' | 'HTTPRoute';
/** An Ingress or HTTPRoute as JSON (the router modules read the fields they switch). */
export interface RouteObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    managedFields?: { manager?: string; operation?: string; fieldsV1?: object }[];
  };
  spec?: Record<string, unknown>;
}

/** The name under which every write of the toolkit is recorded in managedFields. */
export const FIELD_MANAGER = 'pipeline-toolkit';

/**
 * The Kubernetes operations the deploy engine needs, and nothing more. The real implementation is
 * client-node (client-node-api.ts); unit tests pass an in-memory one. Reads of a missing object
 * return undefined; every other API failure is a KubeError.
 */
export interface KubeApi extends AutoscalingApi {
  readService(namespace: string, name: string): Promise<V1Service | undefined>;
  createService(namespace: string, body: V1Service): Promise<V1Service>;
  /** One JSON merge patch. A `metadata.resourceVersion` in the patch makes it conditional: 409 when the object changed. */
  patchService(namespace: string, name: string, patch: object): Promise<V1Service>;
  readWorkload(namespace: string, kind: WorkloadKind, name: string): Promise<Workload | undefined>;
  /** One JSON merge patch (used to scale and annotate in a single write). */
  patchWorkload(namespace: string, kind: WorkloadKind, name: string, patch: object): Promise<Workload>;
  listPods(namespace: string, labelSelector: string): Promise<V1Pod[]>;
  /** The namespace's most recent events (at most `limit`). */
  listEvents(namespace: string, limit: number): Promise<CoreV1Event[]>;
  /** Helm's release records (storage driver secret, or configmap). */
  readSecret(namespace: string, name: string): Promise<V1Secret | undefined>;
  /** One JSON merge patch; a `metadata.resourceVersion` in it makes it conditional. */
  patchSecret(namespace: string, name: string, patch: object): Promise<V1Secret>;
  readConfigMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
  patchConfigMap(namespace: string, name: string, patch: object): Promise<V1ConfigMap>;
  listEndpointSlices(namespace: string, serviceName: string): Promise<V1EndpointSlice[]>;
  readRoute(namespace: string, kind: RouteKind, name: string): Promise<RouteObject | undefined>;
  createRoute(namespace: string, kind: RouteKind, body: RouteObject): Promise<RouteObject>;
  /** One JSON merge patch (arrays such as spec.rules are replaced whole); a `metadata.resourceVersion` in it makes it conditional. */
  patchRoute(namespace: string, kind: RouteKind, name: string, patch: object): Promise<RouteObject>;
  readLease(namespace: string, name: string): Promise<V1Lease | undefined>;
  createLease(namespace: string, body: V1Lease): Promise<V1Lease>;
  /** Replaces a Lease; the body's resourceVersion is the precondition (409 when someone else wrote it). */
  replaceLease(namespace: string, name: string, body: V1Lease): Promise<V1Lease>;
  /** Deletes a Lease only if it still has this resourceVersion. */
  deleteLease(namespace: string, name: string, resourceVersion: string): Promise<void>;
}

/** A failed API call: HTTP status and the API server's reason and message. */
export class KubeError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.name = 'KubeError';
    this.status = status;
    this.reason = reason;
  }
}

export const isConflict = (error: unknown): boolean => error instanceof KubeError && error.status === 409;

/** HorizontalPodAutoscalers (autoscaling/v2): a colour's workload may be scaled by one, and then is scaled through it. */
export interface AutoscalingApi {
  listAutoscalers(namespace: string): Promise<V2HorizontalPodAutoscaler[]>;
  /** One JSON merge patch. */
  patchAutoscaler(namespace: string, name: string, patch: object): Promise<V2HorizontalPodAutoscaler>;
}
