import { errorMessage, type Logger } from '@pipeline-toolkit/core';
import type { KubeApi } from '../api.ts';
import type { Journal } from './model.ts';
import type { Helm } from '../helm.ts';
import { servingProblems } from './workloads.ts';
import { releaseLock } from './release-lock.ts';
import { restoreTraffic } from './traffic.ts';
import { routerFor } from './routers/index.ts';
import { unpinLive } from './autoscale.ts';

/**
 * The post step (runs even when the job was cancelled): if the main step did not finish, undo its
 * switch when that switch was never verified, and free its lock. Only touches what the journal says
 * this run did and what the router (the kind the journal names) confirms is still this run's.
 */
export async function recoverInterrupted(
  api: KubeApi,
  helm: Pick<Helm, 'manifest'>,
  journal: Journal | undefined,
  log: Logger,
  now = new Date(),
): Promise<string[]> {
  if (!journal || journal.finished) return [];
  const notes: string[] = [];
  const { namespace, release, runId } = journal;
  if (journal.switchInFlight) {
    const router = routerFor(api, namespace, release, journal.router);
    try {
      const state = await router.read();
      const ours = state.runId === runId && !state.verified && state.liveColor === journal.switchInFlight.to;
      const problems = ours && state.previousColor ? await servingProblems({ api, helm, namespace, release }, state.previousColor) : [];
      if (ours && problems.length) {
        notes.push(`the router (${router.label}) NOT restored: ${state.previousColor} cannot serve (${problems.join('; ')})`);
      } else if (ours) {
        await restoreTraffic(router, state, 'the run stopped before the switch was verified', now);
        notes.push(
          `restored the router (${router.label}) to ${state.previousColor ?? 'no colour'} (the switch to ${state.liveColor} was never verified)`,
        );
      } else {
        notes.push(`the router (${router.label}) needs no restore`);
      }
    } catch (error) {
      log.error(`Could not restore the router (${router.label}): ${errorMessage(error)}`);
      notes.push(`the router (${router.label}) NOT restored: ${errorMessage(error)}`);
    }
  }
  if (journal.autoscaling || journal.switchInFlight) {
    // Whatever was interrupted, the colour that takes traffic must scale with its HPA.
    try {
      const state = await routerFor(api, namespace, release, journal.router).read();
      notes.push(...(await unpinLive(api, namespace, release, state.liveColor, log)));
      if (journal.autoscaling)
        notes.push(
          `${journal.autoscaling.change} of ${journal.autoscaling.hpas.join(', ')} on ${journal.autoscaling.color} was interrupted; the next deploy of ${journal.autoscaling.color} restores them before Helm runs`,
        );
    } catch (error) {
      log.error(`Could not check the live colour's HorizontalPodAutoscalers: ${errorMessage(error)}`);
      notes.push(`autoscalers NOT checked: ${errorMessage(error)}`);
    }
  }
  if (journal.lockHeld) notes.push(await releaseLock(api, namespace, release, runId));
  return notes;
}
