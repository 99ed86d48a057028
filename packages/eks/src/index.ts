/**
 * Amazon EKS access without the aws CLI: the cluster's endpoint and CA (DescribeCluster) and
 * per-request bearer tokens (presigned STS GetCallerIdentity). The only package that imports
 * @aws-sdk/*; it loads the SDK on first use, so importing this module is cheap.
 */
export { describeCluster, type EksCluster, type DescribeOptions } from './cluster.ts';
export {
  createTokenMinter,
  decodeToken,
  TOKEN_PREFIX,
  CLUSTER_ID_HEADER,
  PRESIGN_EXPIRES_SECONDS,
  type TokenMinter,
  type TokenOptions,
} from './token.ts';
export { defaultCredentials, type AwsCredentialIdentity, type AwsCredentialIdentityProvider } from './credentials.ts';
