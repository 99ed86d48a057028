import {
  DEFAULT_REQUEST_POLICY,
  errorMessage,
  ExternalError,
  requestFailure,
  withinPolicy,
  type RequestPolicy,
} from '@pipeline-toolkit/core';
import type { AwsCredentialIdentityProvider } from './credentials.ts';

/** What a Kubernetes client needs to reach an EKS cluster's API server. */
export interface EksCluster {
  name: string;
  region: string;
  /** https://… API server endpoint. */
  endpoint: string;
  /** Base64 PEM of the cluster's certificate authority, as kubeconfig's certificate-authority-data. */
  certificateAuthority: string;
  status: string;
  version?: string;
}

export interface DescribeOptions {
  name: string;
  region: string;
  /** Defaults to the standard chain. */
  credentials?: AwsCredentialIdentityProvider;
  /** EKS API endpoint override (tests, VPC endpoints). */
  endpoint?: string;
  /** request-timeout and request-deadline; a silent endpoint fails with the endpoint named. */
  policy?: RequestPolicy;
}

/** Reads a cluster's endpoint and CA with EKS DescribeCluster; errors say what to fix. */
export async function describeCluster(options: DescribeOptions): Promise<EksCluster> {
  const { EKSClient, DescribeClusterCommand } = await import('@aws-sdk/client-eks');
  const policy = options.policy ?? DEFAULT_REQUEST_POLICY;
  const client = new EKSClient({
    region: options.region,
    maxAttempts: 3,
    requestHandler: { requestTimeout: policy.attemptTimeoutMs, connectionTimeout: policy.attemptTimeoutMs },
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  let cluster;
  try {
    const host = options.endpoint ? new URL(options.endpoint).host : `eks.${options.region}.amazonaws.com`;
    const endpoint = `${host}/clusters/${encodeURIComponent(options.name)}`;
    ({ cluster } = await withinPolicy(policy, endpoint, 'the DescribeCluster answer', (abortSignal) =>
      client.send(new DescribeClusterCommand({ name: options.name }), { abortSignal }),
    ));
  } catch (error) {
    throw requestFailure(error) ?? describeError(error, options);
  } finally {
    client.destroy();
  }
  if (!cluster?.endpoint || !cluster.certificateAuthority?.data) {
    throw new ExternalError(
      `EKS cluster '${options.name}' in ${options.region} has no API endpoint or certificate authority yet (status ${cluster?.status ?? 'unknown'}).`,
    );
  }
  return {
    name: options.name,
    region: options.region,
    endpoint: cluster.endpoint,
    certificateAuthority: cluster.certificateAuthority.data,
    status: cluster.status ?? 'UNKNOWN',
    ...(cluster.version ? { version: cluster.version } : {}),
  };
}

function describeError(error: unknown, options: DescribeOptions): ExternalError {
  const name = error instanceof Error ? error.name : '';
  const reason = errorMessage(error);
  const where = `EKS cluster '${options.name}' in ${options.region}`;
  if (name === 'ResourceNotFoundException')
    return new ExternalError(`${where} was not found: check cluster-name and aws-region.`, { cause: error });
  if (name === 'CredentialsProviderError') {
    return new ExternalError(
      `No AWS credentials to describe ${where}: set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION, or configure an OIDC role. (${reason})`,
      { cause: error },
    );
  }
  if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException' || name === 'InvalidSignatureException') {
    return new ExternalError(`AWS refused DescribeCluster for ${where} (${name}): the credentials need eks:DescribeCluster. ${reason}`, {
      cause: error,
    });
  }
  return new ExternalError(`DescribeCluster failed for ${where}: ${reason}`, { cause: error });
}
