import { GateError } from '@pipeline-toolkit/core';
import { isConflict, type V1Lease } from '../api.ts';
import { ANNOTATIONS, lockName } from './model.ts';
import { saveJournal, type Run } from './run.ts';

/** How long a Lease protects a run that dies without releasing it: the longest a healthy run can take, plus a margin. */
export function leaseSeconds(run: Run): number {
  return Math.ceil((3 * run.spec.timeoutMs + run.spec.drainMs + (run.spec.gateWindowMs ?? 0)) / 1000) + 300;
}

function expiresAt(lease: V1Lease): number {
  const renewed = lease.spec?.renewTime ?? lease.spec?.acquireTime;
  return renewed ? new Date(renewed).getTime() + (lease.spec?.leaseDurationSeconds ?? 0) * 1000 : 0;
}

/** The Lease this run creates (or takes over) as its lock. */
export function leaseBody(run: Run, now: Date): V1Lease {
  const { namespace, release, runId } = run.spec;
  return {
    metadata: {
      name: lockName(release),
      namespace,
      annotations: { ...(run.spec.runUrl ? { [ANNOTATIONS.runUrl]: run.spec.runUrl } : {}) },
    },
    spec: { holderIdentity: runId, leaseDurationSeconds: leaseSeconds(run), acquireTime: now, renewTime: now },
  };
}

/**
 * Takes the coordination.k8s.io/v1 Lease `<release>-deploy`. Create is atomic: 409 means another run
 * holds it. An expired Lease, or one held by an earlier attempt of this same run (a re-run), is taken
 * over with a resourceVersion precondition. Otherwise waits up to lock-timeout, then refuses with
 * the holder's run.
 */
export async function lock(run: Run): Promise<string> {
  const { api, clock } = run.deps;
  const { namespace, release, runId } = run.spec;
  const name = lockName(release);
  const deadline = clock.now() + run.spec.lockTimeoutMs;
  for (;;) {
    const body = leaseBody(run, new Date(clock.now()));
    try {
      await api.createLease(namespace, body);
      await saveJournal(run, { lockHeld: true });
      return `Lease ${name} taken`;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    const held = await api.readLease(namespace, name);
    if (held) {
      const expired = expiresAt(held) <= clock.now();
      const ours = held.spec?.holderIdentity === runId;
      if (expired || ours) {
        try {
          await api.replaceLease(namespace, name, {
            ...body,
            metadata: { ...body.metadata, resourceVersion: held.metadata?.resourceVersion },
          });
          await saveJournal(run, { lockHeld: true });
          return ours
            ? `Lease ${name} taken back from an earlier attempt of this run`
            : `Lease ${name} taken over (expired, held by ${held.spec?.holderIdentity})`;
        } catch (error) {
          if (!isConflict(error)) throw error;
          continue;
        }
      }
      if (clock.now() >= deadline) {
        const by = held.metadata?.annotations?.[ANNOTATIONS.runUrl] ?? held.spec?.holderIdentity ?? 'unknown';
        const until = new Date(expiresAt(held)).toISOString();
        throw new GateError(
          `Another deploy of '${release}' holds the lock (Lease ${namespace}/${name}, held by ${by} until ${until}); nothing was changed. Wait for it, or raise lock-timeout.`,
        );
      }
    }
    await clock.sleep(Math.min(2000, Math.max(0, deadline - clock.now())), run.deps.signal);
  }
}

/**
 * Renews this run's Lease before a step that changes the cluster, and stops the run if the Lease is
 * no longer its own (it expired during a very long step and another run took it over): two runs must
 * never both switch.
 */
export async function renewLock(run: Run): Promise<void> {
  const { api, clock } = run.deps;
  const { namespace, release, runId } = run.spec;
  const name = lockName(release);
  const held = await api.readLease(namespace, name);
  if (held?.spec?.holderIdentity !== runId) {
    throw new GateError(
      `This run lost the deploy lock (Lease ${namespace}/${name} is now held by ${held?.spec?.holderIdentity ?? 'nobody'}); it stops before changing anything more.`,
    );
  }
  const now = new Date(clock.now());
  await api.replaceLease(namespace, name, { ...held, spec: { ...held.spec, renewTime: now, leaseDurationSeconds: leaseSeconds(run) } });
}
