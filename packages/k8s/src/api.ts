import type { V1Deployment, V1EndpointSlice, V1Lease, V1Service, V1ServicePort } from '@kubernetes/client-node';

export type { V1Deployment, V1EndpointSlice, V1Lease, V1Service, V1ServicePort };

/** The name under which every write of the toolkit is recorded in managedFields. */
export const FIELD_MANAGER = 'pipeline-toolkit';

/**
 * The Kubernetes operations the deploy engine needs, and nothing more. The real implementation is
 * client-node (client-node-api.ts); unit tests pass an in-memory one. Reads of a missing object
 * return undefined; every other API failure is a KubeError.
 */
export interface KubeApi {
  readService(namespace: string, name: string): Promise<V1Service | undefined>;
  listServices(namespace: string, labelSelector: string): Promise<V1Service[]>;
  createService(namespace: string, body: V1Service): Promise<V1Service>;
  /** One JSON merge patch. A `metadata.resourceVersion` in the patch makes it conditional: 409 when the object changed. */
  patchService(namespace: string, name: string, patch: object): Promise<V1Service>;
  listDeployments(namespace: string, labelSelector: string): Promise<V1Deployment[]>;
  /** One JSON merge patch (used to scale and annotate in a single write). */
  patchDeployment(namespace: string, name: string, patch: object): Promise<V1Deployment>;
  listEndpointSlices(namespace: string, serviceName: string): Promise<V1EndpointSlice[]>;
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
