import { InputError } from '@pipeline-toolkit/core';

/** Where the cluster's credentials come from. */
export type ClusterSource =
  | { kind: 'kubeconfig-file'; path: string }
  /** A kubeconfig document, e.g. the KUBE_CONFIG secret (raw YAML or base64 of it). */
  | { kind: 'kubeconfig'; content: string }
  | { kind: 'eks'; clusterName: string; region: string; /** EKS API endpoint override (tests, VPC endpoints). */ eksEndpoint?: string };

/**
 * Reads a kubeconfig given as text: raw YAML/JSON as written by kubectl, or base64 of it (the common
 * way to store it in a secret). The error never echoes the value.
 */
export function decodeKubeconfig(value: string, input = 'kubeconfig', label = `Input '${input}'`): string {
  const text = value.trim();
  if (looksLikeKubeconfig(text)) return text;
  if (/^[A-Za-z0-9+/=\s_-]+$/.test(text)) {
    const decoded = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (looksLikeKubeconfig(decoded)) return decoded;
  }
  throw new InputError(
    input,
    `${label} must be a kubeconfig (YAML as kubectl writes it, or base64 of it) or the path of one; the value given is neither.`,
  );
}

function looksLikeKubeconfig(text: string): boolean {
  return /^[ \t]*"?clusters"?[ \t]*:/m.test(text) && /^[ \t]*"?(?:users|contexts)"?[ \t]*:/m.test(text);
}
