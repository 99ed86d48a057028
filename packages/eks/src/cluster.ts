import { errorMessage, ExternalError } from '@pipeline-toolkit/core';
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
}

/** Reads a cluster's endpoint and CA with EKS DescribeCluster; errors say what to fix. */
export async function describeCluster(options: DescribeOptions): Promise<EksCluster> {
  const { EKSClient, DescribeClusterCommand } = await import('@aws-sdk/client-eks');
  const client = new EKSClient({
    region: options.region,
    maxAttempts: 3,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  let cluster;
  try {
    ({ cluster } = await client.send(new DescribeClusterCommand({ name: options.name })));
  } catch (error) {
    throw describeError(error, options);
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
