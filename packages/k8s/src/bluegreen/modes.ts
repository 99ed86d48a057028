import { GateError } from '@pipeline-toolkit/core';
import { FIELD_MANAGER } from '../api.ts';
import { ANNOTATIONS, colorRelease, type Mode } from './model.ts';
import { deployIdle } from './deploy-idle.ts';
import { gate } from './gate.ts';
import type { Plan } from './preflight.ts';
import { renewLock } from './lock.ts';
import { promote } from './promote.ts';
import { restoreTraffic } from './rollback.ts';
import { newRouterService } from './router.ts';
import { checkCancelled, cleanupMode, colorDeployments, phase, servicePort, type Run } from './run.ts';
import { restoreReplicas, scaleDown } from './scale-down.ts';
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
    const revision = await phase(
      run,
      'deploy-idle',
      () => deployIdle(run, idle),
      (r) => `${colorRelease(run.spec.release, idle)} revision ${r}`,
    );
    run.outcome.revision = revision;
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
        [ANNOTATIONS.managedBy]: FIELD_MANAGER,
        [ANNOTATIONS.pendingColor]: plan.target,
        [ANNOTATIONS.pendingRevision]: String(revision),
      };
      if (plan.router.service) {
        await run.deps.api.patchService(run.spec.namespace, run.spec.release, {
          metadata: { resourceVersion: plan.router.service.metadata?.resourceVersion, annotations },
        });
      } else {
        // First deploy ever: the router exists from now on, selecting nothing until promote.
        await run.deps.api.createService(
          run.spec.namespace,
          newRouterService(run.spec.namespace, run.spec.release, ready.service, annotations),
        );
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
