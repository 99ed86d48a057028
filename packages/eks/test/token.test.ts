import { describe, it, expect } from '@jest/globals';
import { createHmac, createHash } from 'node:crypto';
import { createTokenMinter, decodeToken, TOKEN_PREFIX } from '../src/index.ts';

const credentials = async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
const at = new Date('2026-11-29T09:00:00Z');

/** Recomputes the SigV4 query signature independently of the SDK, from the URL and the signed header. */
function expectedSignature(url: URL, clusterName: string, secret: string): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'X-Amz-Signature');
  const canonicalQuery = params
    .map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    'GET',
    '/',
    canonicalQuery,
    `host:${url.host}\nx-k8s-aws-id:${clusterName}\n`,
    'host;x-k8s-aws-id',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const date = url.searchParams.get('X-Amz-Date') ?? '';
  const scope = `${date.slice(0, 8)}/eu-west-1/sts/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${secret}`).update(date.slice(0, 8)).digest();
  for (const part of ['eu-west-1', 'sts', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('EKS bearer token', () => {
  it('is k8s-aws-v1. + unpadded base64url of a presigned STS GetCallerIdentity URL bound to the cluster', async () => {
    const token = await createTokenMinter({ clusterName: 'shop-prod', region: 'eu-west-1', credentials, now: () => at })();
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(token.slice(TOKEN_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/);

    const url = decodeToken(token);
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261129T090000Z');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIAIOSFODNN7EXAMPLE/20261129/eu-west-1/sts/aws4_request');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    // The cluster id is a signed header, not a query parameter (it must be sent as a header by EKS).
    expect(url.searchParams.has('x-k8s-aws-id')).toBe(false);
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, 'shop-prod', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'));
  });

  it('signs the session token of temporary (OIDC role) credentials', async () => {
    const token = await createTokenMinter({
      clusterName: 'c',
      region: 'eu-west-1',
      credentials: async () => ({ ...(await credentials()), sessionToken: 'FwoGZXIvYXdzEXAMPLESESSION' }),
      now: () => at,
    })();
    expect(decodeToken(token).searchParams.get('X-Amz-Security-Token')).toBe('FwoGZXIvYXdzEXAMPLESESSION');
  });

  it('mints a fresh token on every call (a long wait never reuses an old signature)', async () => {
    let clock = at.getTime();
    const mint = createTokenMinter({ clusterName: 'c', region: 'us-east-1', credentials, now: () => new Date((clock += 600_000)) });
    const first = decodeToken(await mint());
    const second = decodeToken(await mint());
    expect(first.searchParams.get('X-Amz-Date')).toBe('20261129T091000Z');
    expect(second.searchParams.get('X-Amz-Date')).toBe('20261129T092000Z');
    expect(second.searchParams.get('X-Amz-Signature')).not.toBe(first.searchParams.get('X-Amz-Signature'));
  });

  it('binds the token to the cluster name (another cluster gives another signature)', async () => {
    const a = decodeToken(await createTokenMinter({ clusterName: 'a', region: 'eu-west-1', credentials, now: () => at })());
    const b = decodeToken(await createTokenMinter({ clusterName: 'b', region: 'eu-west-1', credentials, now: () => at })());
    expect(a.searchParams.get('X-Amz-Signature')).not.toBe(b.searchParams.get('X-Amz-Signature'));
    expect(b.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(b, 'b', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'));
  });

  it('says how to provide credentials when the chain has none', async () => {
    const failing = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    };
    await expect(createTokenMinter({ clusterName: 'c', region: 'eu-west-1', credentials: failing })()).rejects.toThrow(
      /Could not get AWS credentials.*AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION/,
    );
  });

  it('rejects text that is not a token', () => {
    expect(() => decodeToken('Bearer abc')).toThrow(/must start with k8s-aws-v1\./);
  });
});
