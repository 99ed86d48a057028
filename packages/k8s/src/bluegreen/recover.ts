import { errorMessage, type Logger } from '@pipeline-toolkit/core';
import type { KubeApi } from '../api.ts';
import type { Journal } from './model.ts';
import type { Helm } from '../helm.ts';
import { servingProblems } from './workloads.ts';
import { releaseLock } from './release-lock.ts';
import { restoreTraffic } from './rollback.ts';
import { readRouter } from './router.ts';
import { unpinLive } from './autoscale.ts';

/**
 * The post step (runs even when the job was cancelled): if the main step did not finish, undo its
 * switch when that switch was never verified, and free its lock. Only touches what the journal says
 * this run did and what the router confirms is still this run's.
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
    try {
      const router = await readRouter(api, namespace, release);
      const problems = router.previousColor ? await servingProblems({ api, helm, namespace, release }, router.previousColor) : [];
      if (router.runId === runId && !router.verified && router.liveColor === journal.switchInFlight.to && problems.length) {
        notes.push(`router NOT restored: ${router.previousColor} cannot serve (${problems.join('; ')})`);
      } else if (router.runId === runId && !router.verified && router.liveColor === journal.switchInFlight.to) {
        await restoreTraffic(api, namespace, router, 'the run stopped before the switch was verified', now);
        notes.push(`restored the router to ${router.previousColor ?? 'no colour'} (the switch to ${router.liveColor} was never verified)`);
      } else {
        notes.push('the router needs no restore');
      }
    } catch (error) {
      log.error(`Could not restore the router: ${errorMessage(error)}`);
      notes.push(`router NOT restored: ${errorMessage(error)}`);
    }
  }
  if (journal.autoscaling || journal.switchInFlight) {
    // Whatever was interrupted, the colour that takes traffic must scale with its HPA.
    try {
      const router = await readRouter(api, namespace, release);
      notes.push(...(await unpinLive(api, namespace, release, router.liveColor, log)));
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
