import { KubeError } from './api.ts';
import type { ClusterSource } from './source.ts';

/** Where a request went: the API server address and where its credentials came from. */
export interface ClusterWhere {
  server: string;
  source: string;
}

/** The source as people say it: `kubeconfig /home/me/.kube/config`, `the KUBE_CONFIG secret`, `EKS cluster web (eu-west-1)`. */
export function describeSource(source: ClusterSource): string {
  if (source.kind === 'kubeconfig-file') return `kubeconfig ${source.path}`;
  if (source.kind === 'kubeconfig') return 'the kubeconfig given as content (kubeconfig input or KUBE_CONFIG)';
  return `EKS cluster ${source.clusterName} (${source.region})`;
}

/** What the deploy does through the API (Helm needs, besides, the rights to create what the chart holds). */
export const DEPLOY_PERMISSIONS =
  'services: get, list, create, patch; deployments (apps): list, patch; endpointslices (discovery.k8s.io): list; leases (coordination.k8s.io): get, create, update, delete';

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused — nothing listens at that address; is the cluster running, and is this the right context?',
  ECONNRESET: 'the connection was reset — a proxy or firewall may be in the way',
  ENOTFOUND: 'the host name does not resolve — check the server address in the kubeconfig (and the VPN, for a private cluster)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS) — check the network',
  ETIMEDOUT: 'the connection timed out — the address is not reachable from here (private endpoint, firewall or VPN)',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out — the address is not reachable from here (private endpoint, firewall or VPN)',
  EHOSTUNREACH: 'the host is unreachable from here — check the network route (VPN, private endpoint)',
  ENETUNREACH: 'the network is unreachable from here',
};

const TLS =
  /^(?:UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_SIGNATURE_FAILURE|ERR_SSL_\w+|EPROTO)$/;

/** The innermost error with a `code` (fetch wraps the socket error in `cause`, sometimes twice). */
function rootCause(error: unknown): { code?: string; message: string } | undefined {
  let current: unknown = error;
  let found: { code?: string; message: string } | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 8; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') found = { code, message: typeof message === 'string' ? message : code };
    current = cause;
  }
  return found;
}

/**
 * An error of a request to the API server, rewritten to say what a user needs: the address, the
 * kubeconfig source and the cause — refused, DNS, timeout, TLS, 401 (credentials) or 403 (with
 * the permissions the deploy needs). Other errors (404, 409 …) are returned as they are: the
 * deploy's logic reads them.
 */
export function explainClusterError(error: unknown, where: ClusterWhere): unknown {
  const at = `the Kubernetes API server at ${where.server} (from ${where.source})`;
  if (error instanceof KubeError) {
    const said = error.message.replace(/^Kubernetes API: /, '');
    const server = /^HTTP \d+$/.test(said) ? '' : ` The server said: ${said}`;
    if (error.status === 401)
      return new KubeError(
        401,
        error.reason,
        `The ${at.slice(4)} refused the credentials (401 Unauthorized): the token or client certificate in ${where.source} is missing, expired or not for this cluster.${server}`,
      );
    if (error.status === 403)
      return new KubeError(
        403,
        error.reason,
        `The ${at.slice(4)} denied the request (403 Forbidden).${server} The deploy's identity needs these permissions in the namespace — ${DEPLOY_PERMISSIONS} — and whatever Helm creates for the chart.`,
      );
    return error;
  }
  const cause = rootCause(error);
  if (!cause?.code) return error;
  const explained = NETWORK[cause.code]
    ? `${NETWORK[cause.code]} (${cause.code})`
    : TLS.test(cause.code)
      ? `TLS failed (${cause.code}: ${cause.message}) — the server's certificate does not match certificate-authority(-data) in ${where.source}, or the address is not the cluster's`
      : undefined;
  if (!explained) return error;
  return Object.assign(new Error(`Cannot reach ${at}: ${explained}.`), { cause: error, code: cause.code });
}
