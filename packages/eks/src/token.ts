import { errorMessage, ExternalError } from '@pipeline-toolkit/core';
import type { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import type { AwsCredentialIdentityProvider } from './credentials.ts';
import { defaultCredentials } from './credentials.ts';
import { Sha256 } from './sha256.ts';

export const TOKEN_PREFIX = 'k8s-aws-v1.';
/** The header that binds a token to one cluster; aws-iam-authenticator rejects tokens without it signed. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** Lifetime of the presigned URL as aws-iam-authenticator and `aws eks get-token` write it; EKS accepts the token for 15 minutes from X-Amz-Date. */
export const PRESIGN_EXPIRES_SECONDS = 60;

export interface TokenOptions {
  clusterName: string;
  region: string;
  /** Defaults to the standard chain (see defaultCredentials). */
  credentials?: AwsCredentialIdentityProvider;
  /** Signing time; defaults to now. */
  now?: () => Date;
}

/** A function that mints a fresh EKS bearer token on every call. */
export type TokenMinter = () => Promise<string>;

/**
 * Mints EKS bearer tokens without the aws CLI: `k8s-aws-v1.` + base64url (no padding) of a presigned
 * STS GetCallerIdentity URL whose signature covers the `x-k8s-aws-id: <cluster>` header. Signing is
 * local (HMAC), so minting one per API request is cheap and a long wait never meets an expired token.
 */
export function createTokenMinter(options: TokenOptions): TokenMinter {
  let signer: Promise<SignatureV4> | undefined;
  const getSigner = async (): Promise<SignatureV4> => {
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const credentials = options.credentials ?? (await defaultCredentials());
    return new SignatureV4({ credentials, region: options.region, service: 'sts', sha256: Sha256, uriEscapePath: true });
  };
  const host = `sts.${options.region}.amazonaws.com`;
  return async () => {
    signer ??= getSigner();
    const request: HttpRequest = {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, [CLUSTER_ID_HEADER]: options.clusterName },
    };
    let presigned;
    try {
      presigned = await (await signer).presign(request, { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate: options.now?.() ?? new Date() });
    } catch (error) {
      signer = undefined;
      const reason = errorMessage(error);
      throw new ExternalError(
        `Could not get AWS credentials to sign the EKS token: ${reason}. Set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION, or configure an OIDC role (aws-actions/configure-aws-credentials).`,
        { cause: error },
      );
    }
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(presigned.query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) if (item !== null) query.append(name, item);
    }
    const url = `https://${host}/?${query.toString()}`;
    return TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
  };
}

/** The presigned URL inside a token (for checks and diagnostics; the URL is itself a credential). */
export function decodeToken(token: string): URL {
  if (!token.startsWith(TOKEN_PREFIX)) throw new Error(`Not an EKS token: it must start with ${TOKEN_PREFIX}`);
  return new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
}
