import { describe, expect, it } from '@jest/globals';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { GitHubDeployments } from '@pipeline-toolkit/k8s';

/** A fetch that records each request body and answers as GitHub does. */
function recorder() {
  const bodies: Record<string, unknown>[] = [];
  const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
    if (init?.body) bodies.push(JSON.parse(String(init.body)) as Record<string, unknown>);
    return new Response(JSON.stringify({ id: 7 }), { status: 201, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { bodies, fetchImpl };
}

const target = { token: 't', apiUrl: 'http://127.0.0.1:1', repository: 'acme/shop', ref: 'abc', environment: 'production' };
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('GitHub Deployment status descriptions', () => {
  it('are cut to 140 characters between grapheme clusters, never through an emoji', async () => {
    const { bodies, fetchImpl } = recorder();
    const deployments = new GitHubDeployments(target, new MemoryLogger(), fetchImpl);
    // 139 letters then a thumbs-up with a skin tone (4 code units): a cut at 140 would split it.
    const description = `${'a'.repeat(139)}👍🏽 and more`;
    await deployments.start('start');
    await deployments.status('failure', description);
    const posted = bodies.at(-1)!['description'] as string;
    expect(posted).toBe(`${'a'.repeat(139)}…`);
    expect(posted.length).toBeLessThanOrEqual(140);
    expect(LONE_SURROGATE.test(posted)).toBe(false);
  });

  it('are kept whole when they fit', async () => {
    const { bodies, fetchImpl } = recorder();
    const deployments = new GitHubDeployments(target, new MemoryLogger(), fetchImpl);
    await deployments.start('start');
    await deployments.status('success', 'blue is live 👍🏽');
    expect(bodies.at(-1)!['description']).toBe('blue is live 👍🏽');
  });
});
