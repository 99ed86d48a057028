import type { KubeApi } from '../api.ts';
import { lockName } from './model.ts';

/** Deletes the Lease if this run still holds it (resourceVersion precondition); never frees another run's lock. */
export async function releaseLock(api: KubeApi, namespace: string, release: string, runId: string): Promise<string> {
  const name = lockName(release);
  const held = await api.readLease(namespace, name);
  if (!held) return `Lease ${name} already gone`;
  if (held.spec?.holderIdentity !== runId) return `Lease ${name} is held by ${held.spec?.holderIdentity}, left alone`;
  await api.deleteLease(namespace, name, held.metadata?.resourceVersion ?? '');
  return `Lease ${name} released`;
}
