import { errorMessage, GateError } from '@pipeline-toolkit/core';
import { colorRelease, DeployFailure, otherColor, type Mode } from './model.ts';
import { deployIdle, recreateIdle } from './deploy-idle.ts';
import { gate } from './gate.ts';
import { immutableSummary, type Plan } from './preflight.ts';
import { renewLock } from './lock.ts';
import { promote } from './promote.ts';
import { restoreTraffic, routePreview, sendWrite } from './traffic.ts';
import { checkCancelled, cleanupMode, finder, phase, servicePort, type Run } from './run.ts';
import { restoreReplicas, retireFailed, scaleDown } from './scale-down.ts';
import { colorObjects } from './workloads.ts';
import { verify } from './verify.ts';
import { waitReady, type ReadyColor } from './wait-ready.ts';

/** Runs the phases of one mode, from a plan made under the lock. */
export function runMode(run: Run, plan: Plan, mode: Mode): Promise<void> {
  if (mode === 'full') return full(run, plan);
  if (mode === 'deploy') return deployOnly(run, plan);
  if (mode === 'promote') return promoteMode(run, plan);
  return rollbackMode(run, plan);
}

/** deploy-idle → wait-ready → pre-switch gate; on any failure (Helm's too) the idle colour is scaled down and traffic is untouched. */
async function prepareIdle(run: Run, plan: Plan): Promise<{ ready: ReadyColor; revision: number }> {
  const idle = plan.target;
  checkCancelled(run);
  await renewLock(run);
  try {
    const recreate = plan.rendered?.recreate;
    if (recreate?.length) {
      run.deps.log.warning(
        `The chart changes immutable fields of ${colorRelease(run.spec.release, idle)}, which takes no traffic: ${immutableSummary(recreate)}. It is uninstalled and installed afresh.`,
      );
      await phase(run, 'recreate-idle', () => recreateIdle(run, idle, recreate));
    }
    const revision = await phase(
      run,
      'deploy-idle',
      () => deployIdle(run, idle),
      (r) => `${colorRelease(run.spec.release, idle)} revision ${r}`,
    );
    const ready = await phase(
      run,
      'wait-ready',
      () => waitReady(run, idle, plan.rendered?.other),
      (r) =>
        `${r.workloads.map((w) => `${w.ref.kind} ${w.ref.name}`).join(', ')} ready; endpoints of Service ${r.service.metadata?.name} ready${r.autoscalers.length ? `; ${r.autoscalers.join('; ')}` : ''}`,
    );
    if (run.router.previewAddress) {
      const address = run.router.previewAddress;
      plan.router = await phase(
        run,
        'preview',
        () => routePreview(run, plan.router, idle, ready.service),
        () => `${address} → ${idle}`,
      );
      run.outcome.previewUrl = address;
    }
    const url = await run.deps.previewUrl(idle, ready.service.metadata?.name ?? '', servicePort(ready.service));
    const verdict = await phase(
      run,
      'pre-switch gate',
      () => gate(run, 'pre-switch', idle, url, run.deps.preSwitchGate),
      (v) => v?.summary,
      (v) => v?.passed === false,
    );
    if (verdict && !verdict.passed)
      throw new DeployFailure(
        'gate',
        `Pre-switch smoke failed on ${idle}: ${verdict.summary}. Traffic stays on ${plan.live ?? 'nothing'}.`,
        'pre-switch gate',
      );
    return { ready, revision };
  } catch (error) {
    // Also on cancel: a few writes, well within the runner's grace period. The diagnosis (wait-ready) is already taken.
    await phase(run, 'scale-down', async () => (await retireFailed(run, idle, errorMessage(error).split('\n')[0] ?? '')).join('; ')).catch(
      () => undefined,
    );
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
  await phase(run, 'record pending', async () => {
    await sendWrite(run, run.router.pendingWrite(plan.router, plan.target, revision, ready.service));
    return `${plan.target} revision ${revision} awaits promote`;
  });
  run.outcome.result = 'deployed';
}

async function promoteMode(run: Run, plan: Plan): Promise<void> {
  const target = plan.target;
  const other = await colorObjects(finder(run), otherColor(target));
  const ready = await phase(
    run,
    'wait-ready',
    () => waitReady(run, target, other),
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

async function rollbackMode(run: Run, plan: Plan): Promise<void> {
  const { router } = plan;
  if (router.pending) {
    const pending = router.pending.color;
    await phase(run, 'scale-down', () => scaleDown(run, pending, cleanupMode(run)));
    await phase(
      run,
      'discard pending',
      () => sendWrite(run, run.router.discardPendingWrite(router)),
      () => `${pending} will not be promoted`,
    );
    Object.assign(run.outcome, { result: 'unchanged', liveColor: plan.live });
    return;
  }
  const target = router.previousColor;
  if (!target || !router.liveColor)
    throw new GateError(`Nothing to roll back: the router (${run.router.label}) records no previous colour.`);
  const failed = router.liveColor;
  const restored = await phase(
    run,
    'scale-up',
    () => restoreReplicas(run, target),
    (r) => (r.length ? r.join(', ') : 'already at scale'),
  );
  const objects = await colorObjects(finder(run), target);
  if (!objects?.workloads.length) {
    run.outcome.rollback = {
      reason: 'requested',
      restored: false,
      details: [`${target}'s release ${colorRelease(run.spec.release, target)} is gone (uninstalled?)`],
    };
    throw new GateError(`Cannot roll back to ${target}: its release ${colorRelease(run.spec.release, target)} is gone.`);
  }
  const failedObjects = await colorObjects(finder(run), failed);
  const ready = await phase(
    run,
    'wait-ready',
    () => waitReady(run, target, failedObjects),
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
    () => restoreTraffic(run.router, router, 'rollback requested', new Date(run.deps.clock.now())),
    () => `router back to ${target}`,
  );
  await phase(
    run,
    'verify',
    () => verify(run, target, ready),
    (v) => v?.summary ?? 'endpoints converged',
    (v) => v?.passed === false,
  );
  run.outcome.rollback = {
    reason: 'rollback requested',
    restored: true,
    details: [`the router (${run.router.label}) routes to ${target} again`, ...restored.map((r) => `scaled up ${r}`), ...drift],
  };
  Object.assign(run.outcome, { result: 'rolled-back', liveColor: target, previousColor: failed, revision: status?.revision });
  await phase(run, 'scale-down', async () => (await retireFailed(run, failed, 'rollback requested')).join('; '));
}
