import { ExternalError, GateError } from '@pipeline-toolkit/core';
import type { V1Deployment } from '../api.ts';
import { helmRelease } from './deploy-idle.ts';
import { colorRelease, lockName, otherColor, type Color } from './model.ts';
import { readRouter, routerProblems, type RouterState } from './router.ts';
import { colorDeployments, type Run } from './run.ts';
import { deploymentsWaiting } from './readiness.ts';

export interface Plan {
  router: RouterState;
  /** The colour taking traffic now (none before the first switch). */
  live?: Color;
  /** The colour this run deploys, promotes or restores. */
  target: Color;
  /** Why switching back to the live colour would not restore service (empty: fully reversible). */
  irreversible: string[];
}

/**
 * Reads the router, decides the colours and refuses what cannot be done safely — before anything
 * is changed. Selector conflicts are refused here with the reason.
 */
export async function preflight(run: Run): Promise<Plan> {
  const { spec, deps } = run;
  if (spec.release.length > 47)
    throw new ExternalError(
      `release '${spec.release}' is too long: '${lockName(spec.release)}' and Helm release names must stay within 53 characters.`,
    );
  const router = await readRouter(deps.api, spec.namespace, spec.release);
  const problems = routerProblems(router, spec.release);
  if (problems.length) throw new GateError(`Preflight refused the deploy: ${problems.join(' ')}`);
  const live = router.liveColor;
  let target: Color;
  if (run.outcome.mode === 'promote') {
    if (!router.pending)
      throw new GateError(
        `Nothing to promote: the router '${spec.release}' records no deployed, unpromoted colour. Run mode 'deploy' first.`,
      );
    target = router.pending.color;
  } else if (run.outcome.mode === 'rollback') {
    target = router.pending?.color ?? router.previousColor ?? otherColor(live ?? 'blue');
  } else {
    target = live ? otherColor(live) : 'blue';
  }
  if (run.outcome.mode !== 'rollback' && live && target === live)
    throw new GateError(`Preflight refused: the target colour ${target} is the live colour.`);
  if (run.outcome.mode === 'full' || run.outcome.mode === 'deploy') {
    const immutable = await selectorChanges(run, target);
    if (immutable.length) throw new GateError(`Preflight refused the deploy: ${immutable.join(' ')}`);
  }
  return { router, ...(live ? { live } : {}), target, irreversible: live ? await reversibility(run, router) : [] };
}

/** Whether the live colour could take traffic back right now: present, at full scale, ready, at its recorded revision. */
export async function reversibility(run: Run, router: RouterState): Promise<string[]> {
  if (!router.liveColor) return [];
  const deployments = await colorDeployments(run, router.liveColor);
  if (!deployments.length) return [`the live colour ${router.liveColor} has no Deployment (deleted or uninstalled)`];
  const problems = deploymentsWaiting(deployments);
  const status = await run.deps.helm.status(colorRelease(run.spec.release, router.liveColor), run.spec.namespace);
  if (!status) problems.push(`the live colour's release ${colorRelease(run.spec.release, router.liveColor)} is gone`);
  else if (router.liveRevision !== undefined && status.revision !== router.liveRevision) {
    problems.push(`the live colour's release is at revision ${status.revision}, not the recorded ${router.liveRevision} (drifted)`);
  }
  return problems;
}

const sameLabels = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());

type Rendered = V1Deployment & { kind?: string };

/**
 * A Deployment's selector is immutable: if the chart now renders a different selector for a
 * Deployment the idle colour already has, Helm would fail half-way. Found before anything changes
 * by rendering the chart locally (`helm template`).
 */
export async function selectorChanges(run: Run, color: Color): Promise<string[]> {
  const existing = await colorDeployments(run, color);
  if (!existing.length) return [];
  const { loadAllYaml } = await import('@kubernetes/client-node');
  const documents = loadAllYaml(await run.deps.helm.template(helmRelease(run.spec, color))) as (Rendered | null)[];
  const rendered = documents.filter((d): d is Rendered => d?.kind === 'Deployment');
  const problems: string[] = [];
  for (const current of existing) {
    const next = rendered.find((d) => d.metadata?.name === current.metadata?.name);
    if (next && !sameLabels(current.spec?.selector?.matchLabels, next.spec?.selector?.matchLabels)) {
      problems.push(
        `Deployment ${current.metadata?.name} selects ${JSON.stringify(current.spec?.selector?.matchLabels)} but the chart now renders ${JSON.stringify(next.spec?.selector?.matchLabels)}; a Deployment selector is immutable. Uninstall ${colorRelease(run.spec.release, color)} (it takes no traffic) and deploy again.`,
      );
    }
  }
  return problems;
}
