import { gunzipSync, gzipSync } from 'node:zlib';
import type { KubeApi } from '../api.ts';

/**
 * Marks a Helm release revision `failed` with a description, the way Helm records a failed upgrade,
 * so that `helm list` and `helm history` tell a colour that failed its checks from the live one.
 * Helm keeps each revision as `sh.helm.release.v1.<release>.v<revision>`: a Secret (the default
 * driver) whose data.release is base64(gzip(JSON)), or a ConfigMap holding the same string.
 * Returns what was done, or why nothing could be.
 */
export async function markReleaseFailed(
  api: KubeApi,
  namespace: string,
  release: string,
  revision: number,
  description: string,
): Promise<string> {
  const name = `sh.helm.release.v1.${release}.v${revision}`;
  const secret = await api.readSecret(namespace, name);
  const stored = secret
    ? Buffer.from(secret.data?.['release'] ?? '', 'base64').toString()
    : (await api.readConfigMap(namespace, name))?.data?.['release'];
  if (stored === undefined)
    return `Helm's record of ${release} revision ${revision} not found (storage driver other than secret or configmap?); not marked failed`;
  const raw = Buffer.from(stored, 'base64');
  const gzipped = raw[0] === 0x1f && raw[1] === 0x8b;
  const record = JSON.parse((gzipped ? gunzipSync(raw) : raw).toString()) as { info?: Record<string, unknown> };
  if (record.info?.['status'] === 'failed') return `${release} revision ${revision} already marked failed`;
  record.info = { ...record.info, status: 'failed', description: description.slice(0, 500), last_deployed: new Date().toISOString() };
  const encoded = gzipSync(JSON.stringify(record)).toString('base64');
  const labels = { status: 'failed', modifiedAt: String(Math.floor(Date.now() / 1000)) };
  if (secret) {
    await api.patchSecret(namespace, name, {
      metadata: { resourceVersion: secret.metadata?.resourceVersion, labels },
      data: { release: Buffer.from(encoded).toString('base64') },
    });
  } else {
    await api.patchConfigMap(namespace, name, { metadata: { labels }, data: { release: encoded } });
  }
  return `Helm release ${release} revision ${revision} marked failed`;
}
