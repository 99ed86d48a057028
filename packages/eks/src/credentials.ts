import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export type { AwsCredentialIdentity, AwsCredentialIdentityProvider };

/**
 * The standard AWS credential chain: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN)
 * from the environment, an OIDC web identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, as
 * aws-actions/configure-aws-credentials sets up), shared config files, then container/instance roles.
 * The provider caches and refreshes temporary credentials before they expire.
 */
export async function defaultCredentials(): Promise<AwsCredentialIdentityProvider> {
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  return fromNodeProviderChain();
}
