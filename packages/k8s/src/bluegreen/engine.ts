import { errorMessage, GateError } from '@pipeline-toolkit/core';
import type { V1Service } from '../api.ts';
import {
  ANNOTATIONS,
  CancelledError,
  colorRelease,
  type Color,
  type DeploySpec,
  type EngineDeps,
  type Mode,
  type Outcome,
} from './model.ts';
import { deployIdle } from './deploy-idle.ts';
import { drain } from './drain.ts';
import { gate } from './gate.ts';
import { lock } from './lock.ts';
import { preflight, type Plan } from './preflight.ts';
import { servingProblems } from './readiness.ts';
import { releaseLock } from './release-lock.ts';
import { restoreTraffic } from './rollback.ts';
import { routerState } from './router.ts';
import { checkCancelled, colorDeployments, phase, saveJournal, type Run } from './run.ts';
import { restoreReplicas, scaleDown } from './scale-down.ts';
import { switchTraffic } from './switch.ts';
import { markVerified, verify } from './verify.ts';
import { waitReady, type ReadyColor } from './wait-ready.ts';

/**
 * Runs one blue-green deploy in the given mode and returns what happened. Never throws for a
 * deploy that failed: the outcome carries `error` (the caller decides the exit code) so that outputs
 * and the summary are always written. The lock is always released; an unverified switch is undone.
 *
 *   full     deploy idle → wait → pre-switch gate → switch → post-switch gate → drain → scale down
 *   deploy   deploy idle → wait → pre-switch gate, recorded on the router as pending (no switch)
 *   promote  switch to the pending colour → post-switch gate → drain → scale down
 *   rollback discard a pending colour, or route back to the previous colour
 */
export async function runDeploy(spec: DeploySpec, deps: EngineDeps, mode: Mode): Promise<Outcome> {
  const run: Run = {
    spec,
    deps,
    journal: { namespace: spec.namespace, release: spec.release, runId: spec.runId, lockHeld: false, finished: false },
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
    await phase(
      run,
      'lock',
      () => lock(run),
      (note) => note,
    );
    plan = await converge(run, await preflight(run));
    if (mode === 'full') await full(run, plan);
    else if (mode === 'deploy') await deployOnly(run, plan);
    else if (mode === 'promote') await promoteMode(run, plan);
    else await rollbackMode(run, plan);
  } catch (error) {
    run.outcome.error = errorMessage(error);
    if (run.journal.switchInFlight)
      await undoSwitch(run, error instanceof CancelledError ? 'the run was cancelled before the switch was verified' : errorMessage(error));
  } finally {
    if (run.journal.lockHeld) {
      await phase(
        run,
        'release-lock',
        () => releaseLock(deps.api, spec.namespace, spec.release, spec.runId),
        (n) => n,
      ).catch((error: unknown) => deps.log.warning(`Could not release the deploy lock: ${errorMessage(error)}`));
      run.journal.lockHeld = false;
    }
    await saveJournal(run, { finished: true });
  }
  return run.outcome;
}

/** A switch some earlier run made but never verified (it died): restore before doing anything else, if the old colour can serve. */
async function converge(run: Run, plan: Plan): Promise<Plan> {
  if (plan.router.verified || !plan.router.service) return plan;
  const reason = `run ${plan.router.runId ?? 'unknown'} switched to ${plan.router.liveColor} but never verified it`;
  const previous = plan.router.previousColor;
  const problems = previous ? await servingProblems(run.deps.api, run.spec.namespace, run.spec.release, previous) : [];
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
    () => restoreTraffic(run.deps.api, run.spec.namespace, plan.router, reason, new Date(run.deps.clock.now())),
    () => reason,
  );
  return preflight(run);
}

const cleanupMode = (run: Run) => (run.spec.keepPrevious === 'uninstall' ? 'uninstall' : 'scaled-down');
const servicePort = (service: V1Service): number => service.spec?.ports?.[0]?.port ?? 80;

/** deploy-idle → wait-ready → pre-switch gate; on any failure the idle colour is scaled down and traffic is untouched. */
async function prepareIdle(run: Run, plan: Plan): Promise<{ ready: ReadyColor; revision: number }> {
  const idle = plan.target;
  checkCancelled(run);
  const revision = await phase(
    run,
    'deploy-idle',
    () => deployIdle(run, idle),
    (r) => `${colorRelease(run.spec.release, idle)} revision ${r}`,
  );
  run.outcome.revision = revision;
  try {
    const ready = await phase(
      run,
      'wait-ready',
      () => waitReady(run, idle),
      (r) => `${r.deployments.length} deployment(s) ready, endpoints of ${r.service.metadata?.name} ready`,
    );
    const url = await run.deps.previewUrl(idle, ready.service.metadata?.name ?? '', servicePort(ready.service));
    const verdict = await phase(
      run,
      'pre-switch gate',
      () => gate(run, 'pre-switch', idle, url, run.deps.preSwitchGate),
      (v) => v?.summary,
    );
    if (verdict && !verdict.passed)
      throw new GateError(`Pre-switch smoke failed on ${idle}: ${verdict.summary}. Traffic stays on ${plan.live ?? 'nothing'}.`);
    return { ready, revision };
  } catch (error) {
    // Also on cancel: one write per Deployment, well within the runner's grace period.
    await phase(
      run,
      'scale-down',
      () => scaleDown(run, idle, cleanupMode(run)),
      (n) => n,
    ).catch(() => undefined);
    throw error;
  }
}

async function full(run: Run, plan: Plan): Promise<void> {
  if (plan.irreversible.length) run.deps.log.warning(`A rollback could not restore ${plan.live}: ${plan.irreversible.join('; ')}.`);
  const { ready, revision } = await prepareIdle(run, plan);
  await promote(run, plan, ready, revision);
}

async function deployOnly(run: Run, plan: Plan): Promise<void> {
  const { ready, revision } = await prepareIdle(run, plan);
  await phase(
    run,
    'record pending',
    async () => {
      const annotations = {
        [ANNOTATIONS.managedBy]: 'pipeline-toolkit',
        [ANNOTATIONS.pendingColor]: plan.target,
        [ANNOTATIONS.pendingRevision]: String(revision),
      };
      if (plan.router.service) {
        await run.deps.api.patchService(run.spec.namespace, run.spec.release, {
          metadata: { resourceVersion: plan.router.service.metadata?.resourceVersion, annotations },
        });
      } else {
        // First deploy ever: the router exists from now on, selecting nothing until promote.
        const ports = (ready.service.spec?.ports ?? []).map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: p.targetPort ?? p.port,
          protocol: p.protocol ?? 'TCP',
        }));
        await run.deps.api.createService(run.spec.namespace, {
          metadata: {
            name: run.spec.release,
            namespace: run.spec.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'pipeline-toolkit' },
            annotations,
          },
          spec: { type: 'ClusterIP', ports },
        });
      }
      return `${plan.target} revision ${revision} awaits promote`;
    },
    (n) => n,
  );
  run.outcome.result = 'deployed';
}

async function promoteMode(run: Run, plan: Plan): Promise<void> {
  const target = plan.target;
  const ready = await phase(
    run,
    'wait-ready',
    () => waitReady(run, target),
    () => `${target} still ready`,
  );
  const status = await run.deps.helm.status(colorRelease(run.spec.release, target), run.spec.namespace);
  const expected = plan.router.pending?.revision;
  if (!status || (expected !== undefined && status.revision !== expected)) {
    throw new GateError(
      `Refusing to promote ${target}: its release is at revision ${status?.revision ?? 'none'}, but revision ${expected} was deployed and gated. Deploy again.`,
    );
  }
  await promote(run, plan, ready, status.revision);
}

/** switch → verify (→ rollback) → drain → scale-down. */
async function promote(run: Run, plan: Plan, ready: ReadyColor, revision: number): Promise<void> {
  const to = plan.target;
  checkCancelled(run);
  await phase(
    run,
    'switch',
    () => switchTraffic(run, plan, to, ready.service, revision),
    (n) => n,
  );
  let failure: string | undefined;
  try {
    const verdict = await phase(
      run,
      'verify',
      () => verify(run, to, servicePort(ready.service)),
      (v) => v?.summary ?? 'endpoints converged',
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
  await phase(
    run,
    'drain',
    () => drain(run),
    (n) => n,
  );
  const previous = plan.live;
  await phase(
    run,
    'scale-down',
    () => scaleDown(run, previous, run.spec.keepPrevious),
    (n) => n,
  );
}

/** The post-switch gate failed: one write back to the previous colour, if it can still serve; then the failed colour is scaled down. */
async function rollbackFailedSwitch(run: Run, failed: Color, reason: string): Promise<void> {
  const { api, clock } = run.deps;
  const router = routerState(run.spec.release, await api.readService(run.spec.namespace, run.spec.release));
  const target = router.previousColor;
  const problems = target ? await servingProblems(api, run.spec.namespace, run.spec.release, target) : [];
  if (target && problems.length) {
    // Routing to a colour that cannot serve would be worse than staying: keep the switch, say why.
    forgetSwitch(run);
    await saveJournal(run, {});
    run.outcome.rollback = {
      reason,
      restored: false,
      details: [`cannot route back to ${target}: ${problems.join('; ')}`, `traffic stays on ${failed}`],
    };
    throw new GateError(`${reason}. Could not roll back: ${target} cannot serve (${problems.join('; ')}).`);
  }
  await phase(
    run,
    'rollback',
    () => restoreTraffic(api, run.spec.namespace, router, reason, new Date(clock.now())),
    () => `router back to ${target ?? 'no colour (first deploy)'}`,
  );
  forgetSwitch(run);
  await saveJournal(run, {});
  run.outcome.rollback = {
    reason,
    restored: true,
    details: [`router selects ${target ?? 'nothing (first deploy)'} again`, `${failed} scaled down`],
  };
  Object.assign(run.outcome, { result: 'rolled-back', liveColor: target, previousColor: failed });
  await phase(
    run,
    'scale-down',
    () => scaleDown(run, failed, cleanupMode(run)),
    (n) => n,
  );
  throw new GateError(`Rolled back to ${target ?? 'no colour'}: ${reason}`);
}

async function undoSwitch(run: Run, reason: string): Promise<void> {
  try {
    const router = routerState(run.spec.release, await run.deps.api.readService(run.spec.namespace, run.spec.release));
    if (router.runId !== run.spec.runId || router.verified) return;
    const problems = router.previousColor
      ? await servingProblems(run.deps.api, run.spec.namespace, run.spec.release, router.previousColor)
      : [];
    if (problems.length) {
      run.outcome.rollback = { reason, restored: false, details: [`cannot route back to ${router.previousColor}: ${problems.join('; ')}`] };
      return forgetSwitch(run);
    }
    await restoreTraffic(run.deps.api, run.spec.namespace, router, reason, new Date(run.deps.clock.now()));
    run.outcome.rollback = { reason, restored: true, details: [`router selects ${router.previousColor ?? 'nothing'} again`] };
    run.outcome.result = 'rolled-back';
    run.outcome.liveColor = router.previousColor;
    forgetSwitch(run);
  } catch (error) {
    run.deps.log.error(`Could not undo the unverified switch: ${errorMessage(error)}; the post step will retry.`);
  }
}

function forgetSwitch(run: Run): void {
  const { switchInFlight: _settled, ...journal } = run.journal;
  run.journal = journal;
}

async function rollbackMode(run: Run, plan: Plan): Promise<void> {
  const { router } = plan;
  if (router.pending) {
    const pending = router.pending.color;
    await phase(
      run,
      'scale-down',
      () => scaleDown(run, pending, cleanupMode(run)),
      (n) => n,
    );
    await phase(
      run,
      'discard pending',
      () =>
        run.deps.api.patchService(run.spec.namespace, run.spec.release, {
          metadata: { annotations: { [ANNOTATIONS.pendingColor]: null, [ANNOTATIONS.pendingRevision]: null } },
        }),
      () => `${pending} will not be promoted`,
    );
    Object.assign(run.outcome, { result: 'unchanged', liveColor: plan.live });
    return;
  }
  const target = router.previousColor;
  if (!target || !router.liveColor)
    throw new GateError(`Nothing to roll back: the router '${run.spec.release}' records no previous colour.`);
  const failed = router.liveColor;
  const restored = await phase(
    run,
    'scale-up',
    () => restoreReplicas(run, target),
    (r) => (r.length ? r.join(', ') : 'already at scale'),
  );
  if (!(await colorDeployments(run, target)).length) {
    run.outcome.rollback = { reason: 'requested', restored: false, details: [`${target} has no Deployment any more (uninstalled?)`] };
    throw new GateError(`Cannot roll back to ${target}: its release has no Deployment any more.`);
  }
  const ready = await phase(
    run,
    'wait-ready',
    () => waitReady(run, target),
    () => `${target} ready`,
  );
  const status = await run.deps.helm.status(colorRelease(run.spec.release, target), run.spec.namespace);
  const drift =
    status && router.previousRevision !== undefined && status.revision !== router.previousRevision
      ? [`${target} is at revision ${status.revision}, recorded ${router.previousRevision}`]
      : [];
  await phase(
    run,
    'rollback',
    () => restoreTraffic(run.deps.api, run.spec.namespace, router, 'rollback requested', new Date(run.deps.clock.now())),
    () => `router back to ${target}`,
  );
  await phase(
    run,
    'verify',
    () => verify(run, target, servicePort(ready.service)),
    (v) => v?.summary ?? 'endpoints converged',
  );
  run.outcome.rollback = {
    reason: 'rollback requested',
    restored: true,
    details: [`router selects ${target} again`, ...restored.map((r) => `scaled up ${r}`), ...drift],
  };
  Object.assign(run.outcome, { result: 'rolled-back', liveColor: target, previousColor: failed, revision: status?.revision });
  await phase(
    run,
    'scale-down',
    () => scaleDown(run, failed, run.spec.keepPrevious),
    (n) => n,
  );
}
