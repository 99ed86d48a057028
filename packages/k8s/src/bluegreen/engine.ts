import { errorMessage } from '@pipeline-toolkit/core';
import { CancelledError, type DeploySpec, type EngineDeps, type Mode, type Outcome } from './model.ts';
import { lock } from './lock.ts';
import { unpinLive } from './autoscale.ts';
import { runMode } from './modes.ts';
import { preflight, type Plan } from './preflight.ts';
import { servingProblems } from './workloads.ts';
import { releaseLock } from './release-lock.ts';
import { restoreTraffic } from './traffic.ts';
import { routerFor } from './routers/index.ts';
import { failureOf, finder, forgetSwitch, phase, saveJournal, type Run } from './run.ts';

/**
 * Runs one blue-green deploy in the given mode and returns what happened. Never throws for a
 * deploy that failed: the outcome carries `failure` (the caller decides the exit code) so that outputs
 * and the summary are always written. The lock is always released; an unverified switch is undone.
 *
 *   full     deploy idle → wait → pre-switch gate → switch → post-switch gate → drain → scale down
 *   deploy   deploy idle → wait → pre-switch gate, recorded on the router as pending (no switch)
 *   promote  switch to the pending colour → post-switch gate → drain → scale down
 *   rollback discard a pending colour, or route back to the previous colour
 */
export async function runDeploy(spec: DeploySpec, deps: EngineDeps, mode: Mode): Promise<Outcome> {
  const router = routerFor(deps.api, spec.namespace, spec.release, spec.router);
  const run: Run = {
    spec,
    deps,
    router,
    journal: {
      namespace: spec.namespace,
      release: spec.release,
      runId: spec.runId,
      router: router.config,
      lockHeld: false,
      finished: false,
    },
    outcome: { mode, result: 'failed', phases: [], gates: [] },
  };
  try {
    let plan = await phase(
      run,
      'preflight',
      () => preflight(run),
      (p) => `live ${p.live ?? 'none'}, target ${p.target}`,
    );
    run.outcome.liveColor = plan.live;
    if (plan.router.liveRevision !== undefined) run.outcome.revision = plan.router.liveRevision;
    await phase(run, 'lock', () => lock(run));
    plan = await converge(run, await preflight(run));
    // An interrupted run may have left the live colour's HPA pinned: it is unpinned before anything else.
    const unpinned = await unpinLive(deps.api, spec.namespace, spec.release, plan.live, deps.log);
    if (unpinned.length) run.outcome.cleanup = [...(run.outcome.cleanup ?? []), ...unpinned];
    await runMode(run, plan, mode);
  } catch (error) {
    run.outcome.failure = failureOf(error, 'preflight');
    run.outcome.error = run.outcome.failure.message;
    if (run.journal.switchInFlight)
      await undoSwitch(run, error instanceof CancelledError ? 'the run was cancelled before the switch was verified' : errorMessage(error));
  } finally {
    if (run.journal.lockHeld) {
      await phase(run, 'release-lock', () => releaseLock(deps.api, spec.namespace, spec.release, spec.runId)).catch((error: unknown) =>
        deps.log.warning(`Could not release the deploy lock: ${errorMessage(error)}`),
      );
      run.journal.lockHeld = false;
    }
    await saveJournal(run, { finished: true });
  }
  return run.outcome;
}

/** A switch some earlier run made but never verified (it died): restore before doing anything else, if the old colour can serve. */
async function converge(run: Run, plan: Plan): Promise<Plan> {
  if (plan.router.verified || !plan.router.object) return plan;
  const reason = `run ${plan.router.runId ?? 'unknown'} switched to ${plan.router.liveColor} but never verified it`;
  const previous = plan.router.previousColor;
  const problems = previous ? await servingProblems(finder(run), previous) : [];
  if (problems.length) {
    run.deps.log.warning(
      `${reason}; ${previous} cannot take traffic back (${problems.join('; ')}), so ${plan.router.liveColor} stays live.`,
    );
    return plan;
  }
  run.deps.log.warning(`Restoring traffic first: ${reason}.`);
  await phase(
    run,
    'rollback',
    () => restoreTraffic(run.router, plan.router, reason, new Date(run.deps.clock.now())),
    () => reason,
  );
  return preflight(run);
}

async function undoSwitch(run: Run, reason: string): Promise<void> {
  try {
    const router = await run.router.read();
    if (router.runId !== run.spec.runId || router.verified) return;
    const problems = router.previousColor ? await servingProblems(finder(run), router.previousColor) : [];
    if (problems.length) {
      run.outcome.rollback = { reason, restored: false, details: [`cannot route back to ${router.previousColor}: ${problems.join('; ')}`] };
      return forgetSwitch(run);
    }
    await restoreTraffic(run.router, router, reason, new Date(run.deps.clock.now()));
    run.outcome.rollback = {
      reason,
      restored: true,
      details: [`the router (${run.router.label}) routes to ${router.previousColor ?? 'nothing'} again`],
    };
    run.outcome.result = 'rolled-back';
    run.outcome.liveColor = router.previousColor;
    if (router.previousRevision !== undefined) run.outcome.revision = router.previousRevision;
    forgetSwitch(run);
  } catch (error) {
    run.deps.log.error(`Could not undo the unverified switch: ${errorMessage(error)}; the post step will retry.`);
  }
}
