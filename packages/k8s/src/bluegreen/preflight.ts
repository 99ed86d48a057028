import { ExternalError, GateError } from '@pipeline-toolkit/core';
import { helmRelease } from './deploy-idle.ts';
import { colorRelease, lockName, otherColor, type Color } from './model.ts';
import { chartProblems, claimTemplates, parseManifest, routedService, type ReleaseObjects } from './release-objects.ts';
import type { V1Service, WorkloadKind } from '../api.ts';
import type { RouterState } from './routers/router.ts';
import { finder, type Run } from './run.ts';
import { colorObjects, servingProblems } from './workloads.ts';

export interface Plan {
  router: RouterState;
  /** The colour taking traffic now (none before the first switch). */
  live?: Color;
  /** The colour this run deploys, promotes or restores. */
  target: Color;
  /** Why switching back to the live colour would not restore service (empty: fully reversible). */
  irreversible: string[];
  /** Modes full and deploy: what the chart renders for the target colour (`helm template`), and what the other colour owns. */
  rendered?: {
    target: ReleaseObjects;
    other: ReleaseObjects;
    helmMajor: number;
    /**
     * Workloads of the idle colour whose immutable fields the chart changes: the idle release is
     * uninstalled, then installed afresh (it takes no traffic). Preflight refused the deploy if any
     * of them belongs to another release.
     */
    recreate?: ImmutableChange[];
  };
}

/** The chart rendered locally for a colour (`helm template`): nothing is sent to the cluster. */
export async function render(run: Run, color: Color): Promise<ReleaseObjects> {
  return parseManifest(colorRelease(run.spec.release, color), await run.deps.helm.template(helmRelease(run.spec, color)));
}

/**
 * Reads the router, decides the colours and refuses what cannot be done — before anything is
 * changed: a router someone else changed, a missing Helm, a chart whose colours cannot be told
 * apart or that has no Service to route, an immutable field the chart would change.
 */
export async function preflight(run: Run): Promise<Plan> {
  const { spec, deps } = run;
  if (spec.release.length > 47)
    throw new ExternalError(
      `release '${spec.release}' is too long: '${lockName(spec.release)}' and Helm release names must stay within 53 characters.`,
    );
  const router = await run.router.read();
  const problems = run.router.problems(router);
  if (problems.length) throw new GateError(`Preflight refused the deploy: ${problems.join(' ')}`);
  // Before the lock and before anything changes: a run without a usable Helm stops here.
  const helmMajor = await deps.helm.major();
  const live = router.liveColor;
  let target: Color;
  const mode = run.outcome.mode;
  if (mode === 'promote') {
    if (!router.pending)
      throw new GateError(
        `Nothing to promote: the router (${run.router.label}) records no deployed, unpromoted colour. Run mode 'deploy' first.`,
      );
    target = router.pending.color;
  } else if (mode === 'rollback') {
    if (!router.pending && (!router.previousColor || !router.liveColor))
      throw new GateError(`Nothing to roll back: the router (${run.router.label}) records no previous colour and no pending one.`);
    target = router.pending?.color ?? router.previousColor!;
  } else {
    target = live ? otherColor(live) : 'blue';
  }
  if (mode !== 'rollback' && live && target === live)
    throw new GateError(`Preflight refused: the target colour ${target} is the live colour.`);
  let rendered: Plan['rendered'];
  if (mode === 'full' || mode === 'deploy') {
    const own = await render(run, target);
    const other = (await colorObjects(finder(run), otherColor(target))) ?? (await render(run, otherColor(target)));
    const changes = await immutableChanges(run, own);
    const liveRelease = live && colorRelease(spec.release, live);
    const refused = [...chartProblems(own, other), ...immutableRefusals(changes, own.release, liveRelease)];
    if (refused.length) throw new GateError(`Preflight refused the deploy: ${refused.join(' ')}`);
    rendered = { target: own, other, helmMajor, ...(changes.length ? { recreate: changes } : {}) };
  }
  return {
    router,
    ...(live ? { live } : {}),
    target,
    irreversible: live ? await reversibility(run, router) : [],
    ...(rendered ? { rendered } : {}),
  };
}

/** Whether the live colour could take traffic back right now: present, at full scale, ready, at its recorded revision. */
export async function reversibility(run: Run, router: RouterState): Promise<string[]> {
  if (!router.liveColor) return [];
  const problems = await servingProblems(finder(run), router.liveColor);
  const status = await run.deps.helm.status(colorRelease(run.spec.release, router.liveColor), run.spec.namespace);
  if (status && router.liveRevision !== undefined && status.revision !== router.liveRevision) {
    problems.push(`the live colour's release is at revision ${status.revision}, not the recorded ${router.liveRevision} (drifted)`);
  }
  return problems;
}

const same = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const sorted = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sorted)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value as Record<string, unknown>)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, sorted(v)]),
        )
      : value;

/** Helm's record of which release owns an object (set on every object it installs). */
export const HELM_RELEASE_ANNOTATION = 'meta.helm.sh/release-name';

/** A live workload the chart would change in a field Kubernetes refuses to update. */
export interface ImmutableChange {
  kind: WorkloadKind | 'Service';
  name: string;
  /** What differs, in words: `selects {…} but the chart now renders {…}`. */
  changed: string[];
  /** The Helm release the live object belongs to (its meta.helm.sh/release-name); undefined when none. */
  owner?: string;
  /** The live object's pod selector: its pods must be gone before the object is created again. */
  selector: Record<string, string>;
}

/** The StatefulSet fields Kubernetes refuses to change, in the shape parseManifest() records them. */
function statefulSetImmutable(spec: Record<string, unknown>): Record<string, unknown> {
  const s = spec as {
    serviceName?: string;
    podManagementPolicy?: string;
    volumeClaimTemplates?: { metadata?: { name?: string }; spec?: unknown }[];
  };
  return {
    serviceName: s.serviceName ?? '',
    podManagementPolicy: s.podManagementPolicy ?? 'OrderedReady',
    volumeClaimTemplates: claimTemplates(s.volumeClaimTemplates),
  };
}

/**
 * A workload's selector (and a StatefulSet's serviceName, podManagementPolicy and
 * volumeClaimTemplates), and whether a Service is headless, cannot change: Helm would fail half-way.
 * Every workload and Service the chart renders is looked up by its name — whatever labels the live
 * one carries — and compared.
 */
export async function immutableChanges(run: Run, rendered: ReleaseObjects): Promise<ImmutableChange[]> {
  const changes: ImmutableChange[] = [];
  for (const next of rendered.workloads) {
    const current = await run.deps.api.readWorkload(run.spec.namespace, next.kind, next.name);
    if (!current) continue;
    const changed: string[] = [];
    const selector = (current.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
    if (!same(selector, next.selector))
      changed.push(`selects ${JSON.stringify(selector)} but the chart now renders ${JSON.stringify(next.selector)}`);
    if (next.kind === 'StatefulSet') {
      const live = statefulSetImmutable((current.spec ?? {}) as Record<string, unknown>);
      for (const [field, value] of Object.entries(next.immutable))
        if (!same(live[field], value))
          changed.push(`has ${field} ${JSON.stringify(live[field])}, the chart now renders ${JSON.stringify(value)}`);
    }
    const owner = current.metadata?.annotations?.[HELM_RELEASE_ANNOTATION];
    if (changed.length) changes.push({ kind: next.kind, name: next.name, changed, selector, ...(owner ? { owner } : {}) });
  }
  // A Service cannot become headless (clusterIP None) or stop being headless.
  const headless = (s: V1Service) => s.spec?.clusterIP === 'None';
  const describe = (s: V1Service) => (headless(s) ? 'headless (clusterIP None)' : 'not headless');
  for (const next of rendered.services) {
    const name = next.metadata?.name ?? '';
    const current = await run.deps.api.readService(run.spec.namespace, name);
    if (!current || headless(current) === headless(next)) continue;
    const owner = current.metadata?.annotations?.[HELM_RELEASE_ANNOTATION];
    changes.push({
      kind: 'Service',
      name,
      changed: [`is ${describe(current)} but the chart now renders it ${describe(next)}`],
      selector: {},
      ...(owner ? { owner } : {}),
    });
  }
  return changes;
}

/**
 * Immutable changes that recreating the idle colour cannot fix safely (empty: every changed object
 * belongs to the idle colour's own release, which takes no traffic). An object of the live colour,
 * of another release or of no release is never deleted: the deploy is refused.
 */
export function immutableRefusals(changes: readonly ImmutableChange[], idle: string, live: string | undefined): string[] {
  return changes
    .filter((c) => c.owner !== idle)
    .map(
      (c) =>
        `${c.kind} ${c.name} ${c.changed.join(' and ')}; these fields are immutable, and ${c.name} belongs to ${
          c.owner ? `release ${c.owner}${c.owner === live ? ', the live colour' : ''}` : 'no Helm release'
        }, not to ${idle}, so it cannot be recreated safely. Nothing was changed; rename the object in the chart (build its name from {{ .Release.Name }}).`,
    );
}

/** One line per change, for the log, the phase detail and the dry run. */
export const immutableSummary = (changes: readonly ImmutableChange[]): string =>
  changes.map((c) => `${c.kind} ${c.name} ${c.changed.join(' and ')}`).join('; ');

/** The Service the router will copy from a render (preflight proved there is one). */
export const plannedService = (objects: ReleaseObjects) => {
  const service = routedService(objects);
  if (!service) throw new ExternalError(`${objects.release} renders no Service the router can copy.`);
  return service;
};
