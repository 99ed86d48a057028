import { errorMessage } from '@pipeline-toolkit/core';
import { CancelledError, DeployFailure, type Color } from './model.ts';
import { drain } from './drain.ts';
import { renewLock } from './lock.ts';
import type { Plan } from './preflight.ts';
import { checkCancelled, finder, forgetSwitch, phase, saveJournal, type Run } from './run.ts';
import { retireFailed, scaleDown } from './scale-down.ts';
import { servingProblems } from './workloads.ts';
import { restoreTraffic, switchTraffic } from './traffic.ts';
import { markVerified, verify } from './verify.ts';
import type { ReadyColor } from './wait-ready.ts';

/** switch → verify (→ rollback) → drain → scale-down. */
export async function promote(run: Run, plan: Plan, ready: ReadyColor, revision: number): Promise<void> {
  const to = plan.target;
  checkCancelled(run);
  await renewLock(run);
  await phase(run, 'switch', () => switchTraffic(run, plan.router, to, ready.service, revision));
  let failure: string | undefined;
  try {
    const verdict = await phase(
      run,
      'verify',
      () => verify(run, to, ready),
      (v) => v?.summary ?? 'endpoints converged',
      (v) => v?.passed === false,
    );
    if (verdict && !verdict.passed) failure = `post-switch smoke failed on ${to}: ${verdict.summary}`;
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    failure = errorMessage(error);
  }
  if (failure) return rollbackFailedSwitch(run, to, failure);
  // Cancelled while the gate ran: the switch is not verified, so it is undone (by the caller).
  checkCancelled(run);
  await markVerified(run);
  Object.assign(run.outcome, { result: 'deployed', liveColor: to, previousColor: plan.live, revision });
  if (!plan.live) return;
  await phase(run, 'drain', () => drain(run));
  const previous = plan.live;
  await phase(run, 'scale-down', () => scaleDown(run, previous, run.spec.keepPrevious, run.spec.autoscaledIdle ?? 'minimum'));
}

/** The post-switch gate failed: one write back to the previous colour, if it can still serve; then the failed colour is scaled down. */
async function rollbackFailedSwitch(run: Run, failed: Color, reason: string): Promise<void> {
  const { clock } = run.deps;
  const router = await run.router.read();
  const target = router.previousColor;
  const problems = target ? await servingProblems(finder(run), target) : [];
  if (target && problems.length) {
    // Routing to a colour that cannot serve would be worse than staying: keep the switch, say why.
    forgetSwitch(run);
    await saveJournal(run, {});
    run.outcome.rollback = {
      reason,
      restored: false,
      details: [`cannot route back to ${target}: ${problems.join('; ')}`, `traffic stays on ${failed}`],
    };
    throw new DeployFailure('gate', `${reason}. Could not roll back: ${target} cannot serve (${problems.join('; ')}).`, 'verify');
  }
  await phase(
    run,
    'rollback',
    () => restoreTraffic(run.router, router, reason, new Date(clock.now())),
    () => `router back to ${target ?? 'no colour (first deploy)'}`,
  );
  forgetSwitch(run);
  await saveJournal(run, {});
  run.outcome.rollback = {
    reason,
    restored: true,
    details: [`the router (${run.router.label}) routes to ${target ?? 'nothing (first deploy)'} again`],
  };
  Object.assign(run.outcome, { result: 'rolled-back', liveColor: target, previousColor: failed, revision: router.previousRevision });
  await phase(run, 'scale-down', async () => (await retireFailed(run, failed, reason)).join('; '));
  run.outcome.rollback.details.push(...(run.outcome.cleanup ?? []));
  throw new DeployFailure('gate', `Rolled back to ${target ?? 'no colour'}: ${reason}`, 'verify');
}
