import { DEFAULT_REQUEST_POLICY, exec, GateError, type Logger, type RequestPolicy } from '@pipeline-toolkit/core';
import { runDeploy } from './bluegreen/engine.ts';
import { systemClock } from './bluegreen/clock.ts';
import { helmRelease } from './bluegreen/deploy-idle.ts';
import { colorRelease, lockName, type Color, type Journal, type KeepPrevious, type Outcome } from './bluegreen/model.ts';
import { immutableSummary, plannedService, preflight, type Plan } from './bluegreen/preflight.ts';
import { leaseBody } from './bluegreen/lock.ts';
import { replicasToRestore } from './bluegreen/scale-down.ts';
import { recoverInterrupted } from './bluegreen/recover.ts';
import { cleanupMode, finder, type Run } from './bluegreen/run.ts';
import { routerFor } from './bluegreen/routers/index.ts';
import type { RouterObject, RouterState, RouterWrite } from './bluegreen/routers/router.ts';
import { colorObjects } from './bluegreen/workloads.ts';
import { autoscaledWorkloads, hpaName, pinPatch, type AutoscaledIdle } from './bluegreen/autoscale.ts';
import { connect, type Connection } from './connection.ts';
import { deployGates } from './gates.ts';
import { loadMetricsConfig } from './metrics/config.ts';
import { Helm } from './helm.ts';
import type { DeployOptions } from './inputs.ts';

export interface DeployIO {
  log: Logger;
  /** Aborted on SIGINT/SIGTERM (a cancelled job). */
  signal: AbortSignal;
  saveJournal(journal: Journal): Promise<void>;
  cwd: string;
  tempDir?: string;
}

/**
 * The deploy's request policy. It deliberately leaves out the step's cancellation: a cancelled run
 * must still undo an unverified switch and release its lock through the same API, so cancellation
 * stops the engine's waits and gates (`signal` in its deps) while each request stays bounded by
 * request-timeout and request-deadline.
 */
function policyOf(options: DeployOptions): RequestPolicy {
  return options.request ?? DEFAULT_REQUEST_POLICY;
}

function helmFor(options: DeployOptions, connection: Connection, log: Logger): Helm {
  return new Helm({ binary: options.helmBinary, exec, kubeconfig: () => connection.helmKubeconfig(), log });
}

/** Connects, builds the gates and URLs, and runs the engine. */
export async function deploy(options: DeployOptions, io: DeployIO): Promise<Outcome> {
  const { log } = io;
  const { namespace } = options.spec;
  // Gate files are read and validated before the cluster is contacted.
  const gates = await deployGates(options, { log, cwd: io.cwd, clock: systemClock, policy: policyOf(options) });
  const spec = gates.windowMs ? { ...options.spec, gateWindowMs: gates.windowMs } : options.spec;
  const connection = await connect(options.source, log, io.tempDir, policyOf(options));
  const proxies: { close(): Promise<void> }[] = [];
  let productionService: string | undefined;
  const throughApiServer = async (service: string, port: number) => {
    const proxy = await connection.serviceProxy(namespace, service, port);
    proxies.push(proxy);
    return proxy.url;
  };
  try {
    const outcome = await runDeploy(
      spec,
      {
        api: connection.api,
        helm: helmFor(options, connection, log),
        log,
        clock: systemClock,
        ...(gates.preSwitchGate ? { preSwitchGate: gates.preSwitchGate } : {}),
        ...(gates.postSwitchGate ? { postSwitchGate: gates.postSwitchGate } : {}),
        // A preview-url may name the colour: https://{color}.preview.example.com
        previewUrl: (color, service, port) =>
          options.previewUrl ? options.previewUrl.replaceAll('{color}', color) : throughApiServer(service, port),
        productionUrl: (service, port) => options.productionUrl ?? ((productionService = service), throughApiServer(service, port)),
        saveJournal: io.saveJournal,
        signal: io.signal,
      },
      options.mode,
    );
    // The proxy's loopback address is gone with this process: the output names the API server's own proxy path.
    if (!options.productionUrl && outcome.url && productionService)
      outcome.url = `${connection.server.replace(/\/$/, '')}/api/v1/namespaces/${namespace}/services/${productionService}/proxy/`;
    return outcome;
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
  }
}

/** The post step: undo an unverified switch and free the lock if the main step did not finish. */
export async function recover(options: DeployOptions, journal: Journal | undefined, log: Logger, tempDir?: string): Promise<string[]> {
  if (!journal || journal.finished) return [];
  const connection = await connect(options.source, log, tempDir, policyOf(options));
  return recoverInterrupted(connection.api, helmFor(options, connection, log), journal, log);
}

export interface DeployPlan {
  lines: [string, string][];
  /** The Helm command the run would execute (empty when it runs none). */
  helm: string[];
  /** The chart changes immutable fields of the idle colour: it is uninstalled first (this argv), then installed afresh. */
  recreate?: { argv: string[]; reason: string };
  /** The cluster writes the run would send, in order, exactly as it builds them. */
  writes: { what: string; body: unknown }[];
}

/**
 * The plan of a run without changing anything: the same preflight the run does (router, Helm,
 * chart rendered for both colours, immutable fields, the live colour's health) and the writes it
 * would then send, built by the same functions. Refuses (throws) exactly where the run would.
 */
export async function planDeploy(options: DeployOptions, log: Logger, tempDir?: string): Promise<DeployPlan> {
  const { namespace, release } = options.spec;
  // The dry run refuses a bad metrics config as the run would, before contacting the cluster.
  if (options.metricsConfig) await loadMetricsConfig(options.metricsConfig);
  const connection = await connect(options.source, log, tempDir, policyOf(options));
  const helm = helmFor(options, connection, log);
  const run: Run = {
    spec: options.spec,
    router: routerFor(connection.api, namespace, release, options.spec.router),
    deps: {
      api: connection.api,
      helm,
      log,
      clock: systemClock,
      previewUrl: () => '',
      productionUrl: () => '',
      saveJournal: async () => undefined,
      signal: new AbortController().signal,
    },
    journal: {
      namespace,
      release,
      runId: options.spec.runId,
      router: routerFor(connection.api, namespace, release, options.spec.router).config,
      lockHeld: false,
      finished: false,
    },
    outcome: { mode: options.mode, result: 'unchanged', phases: [], gates: [] },
  };
  const plan = await preflight(run);
  const { router, target } = plan;
  const { helmArgs, recreate, writes } = await modeWrites(run, plan, helm, new Date());
  const lease = leaseBody(run, new Date());
  writes.unshift({ what: `create Lease ${namespace}/${lease.metadata?.name} (the deploy lock)`, body: lease });
  writes.push({ what: `delete Lease ${namespace}/${lease.metadata?.name} (at the end, if still this run's)`, body: null });
  return {
    lines: [
      ['Cluster', `${options.sourceLabel} → ${connection.server}`],
      ['Release', `${release} in namespace ${namespace}`],
      ['Mode', options.mode],
      [
        'Router',
        router.object
          ? `${run.router.label} (resourceVersion ${router.object.metadata?.resourceVersion})`
          : `none yet: the first deploy creates ${run.router.label}`,
      ],
      ...(run.router.previewAddress
        ? ([['Preview', `${run.router.previewAddress} → ${target} before the pre-switch gate`]] as [string, string][])
        : []),
      ['Live colour', plan.live ?? 'none'],
      [options.mode === 'full' || options.mode === 'deploy' ? 'Idle colour (deploy target)' : 'Target colour', target],
      ['Helm', `Helm ${await helm.major()} (${helm.binary})`],
      ...(recreate
        ? ([
            ['Recreate', `${colorRelease(release, target)} takes no traffic and is uninstalled, then installed afresh: ${recreate.reason}`],
          ] as [string, string][])
        : []),
      ['Preflight', plan.irreversible.length ? `ok; a rollback could not restore ${plan.live}: ${plan.irreversible.join('; ')}` : 'ok'],
    ],
    helm: helmArgs,
    ...(recreate ? { recreate } : {}),
    writes,
  };
}

type Writes = DeployPlan['writes'];

/** A router write as the plan shows it: the verb, the object, what it does, and the exact body sent. */
const routerWrite = (write: RouterWrite): Writes[number] => ({
  what: `${write.verb} ${write.object} (the router: ${write.purpose}${write.verb === 'patch' ? '; merge patch, one request' : ''})`,
  body: write.body,
});

/** restoreReplicas(): the workloads of a colour scaled to 0 by an earlier run, scaled back before they are used again. */
async function scaleUpWrites(run: Run, color: Color, when: string): Promise<Writes> {
  return (await replicasToRestore(run, color)).map((w) => ({
    what:
      w.kind === 'HorizontalPodAutoscaler'
        ? `patch HorizontalPodAutoscaler ${run.spec.namespace}/${w.name}: restore the bounds an earlier run pinned (${when})`
        : `patch ${w.kind} ${run.spec.namespace}/${w.name}: scale 0→${w.replicas} (${when})`,
    body: w.patch,
  }));
}

/** scaleDown(): a colour that stops taking traffic, per keep-previous (an autoscaled workload through its HPA). */
async function retireWrites(run: Run, color: Color, how: KeepPrevious, when: string, autoscaled: AutoscaledIdle = 'zero'): Promise<Writes> {
  const name = colorRelease(run.spec.release, color);
  if (how === 'running') return [];
  if (how === 'uninstall') return [{ what: `helm uninstall ${name} (${when})`, body: null }];
  const workloads = (await colorObjects(finder(run), color))?.workloads ?? [];
  const hpas = autoscaled === 'minimum' ? await autoscaledWorkloads(run.deps.api, run.spec.namespace, workloads, run.deps.log) : [];
  const pinned = hpas.map((a) => ({
    what: `patch HorizontalPodAutoscaler ${run.spec.namespace}/${hpaName(a.hpa)}: pin to its minimum, for ${a.ref.kind} ${a.ref.name} (${when})`,
    body: pinPatch(a.hpa, run.spec.release, color),
  }));
  const zero = workloads.filter((w) => !hpas.some((a) => a.ref === w));
  return [...pinned, ...(zero.length ? [{ what: `scale ${name} to 0 (${when})`, body: zero.map((w) => `${w.kind} ${w.name}`) }] : [])];
}

/** retireFailed(): a colour that failed is marked failed in Helm's record (unless uninstalled), then taken down. */
async function failedWrites(run: Run, color: Color, when: string): Promise<Writes> {
  const how = cleanupMode(run);
  const mark = { what: `mark Helm release ${colorRelease(run.spec.release, color)} failed (its latest revision's record)`, body: null };
  return [...(how === 'uninstall' ? [] : [mark]), ...(await retireWrites(run, color, how, when))];
}

const renewal = (run: Run, when: string) => ({
  what: `replace Lease ${run.spec.namespace}/${lockName(run.spec.release)} (renewed ${when})`,
  body: null,
});

/** The writes of the mode, built by the functions the run uses, in the order the run sends them. */
async function modeWrites(
  run: Run,
  plan: Plan,
  helm: Helm,
  now: Date,
): Promise<{ helmArgs: string[]; recreate?: DeployPlan['recreate']; writes: Writes }> {
  const { spec } = run;
  const { namespace, release } = spec;
  const { router, target } = plan;
  const mode = run.outcome.mode;
  const r = run.router;
  const mark = r.verifiedWrite(router);
  const verified = { what: `${mark.verb} ${mark.object} (the router: ${mark.purpose}, after the post-switch gate)`, body: mark.body };
  if (mode === 'full' || mode === 'deploy') {
    const rendered = plan.rendered!;
    const helmArgs = [helm.binary, ...helm.upgradeArgs(helmRelease(spec, target), rendered.helmMajor)];
    const recreate = rendered.recreate?.length
      ? {
          argv: [helm.binary, ...helm.uninstallArgs(colorRelease(release, target), namespace, spec.timeoutMs)],
          reason: immutableSummary(rendered.recreate),
        }
      : undefined;
    // Installed afresh after an uninstall, the release starts again at revision 1 (and has nothing to scale back up).
    const idle = recreate ? undefined : await helm.status(colorRelease(release, target), namespace);
    const revision = (idle?.revision ?? 0) + 1;
    const service = plannedService(rendered.target);
    const writes = [
      renewal(run, 'before the Helm upgrade'),
      ...(recreate ? [] : await scaleUpWrites(run, target, 'before the Helm upgrade')),
    ];
    // The preview goes in before the pre-switch gate; in the router's own object it moves the resourceVersion the switch is conditional on.
    const previews = await r.previewWrites(router, target, service);
    writes.push(...previews.map(routerWrite));
    // A preview that creates the router object itself (Ingress): the switch then patches what it created.
    const created = previews.find((w) => w.verb === 'create' && w.name === r.config.name);
    const before: RouterState = created ? { ...router, object: created.body as RouterObject } : router;
    if (mode === 'deploy') writes.push(routerWrite(r.pendingWrite(before, target, revision, service)));
    else {
      writes.push(renewal(run, 'before the switch'), routerWrite(r.switchWrite(before, target, service, revision, spec, now)), verified);
      if (plan.live)
        writes.push(...(await retireWrites(run, plan.live, spec.keepPrevious, 'after the drain', spec.autoscaledIdle ?? 'minimum')));
    }
    return { helmArgs, ...(recreate ? { recreate } : {}), writes };
  }
  if (mode === 'promote') {
    const objects = await colorObjects(finder(run), target);
    const service = objects && plannedService(objects);
    if (!service) throw new GateError(`Cannot promote ${target}: its release ${colorRelease(release, target)} is gone.`);
    const writes = [
      renewal(run, 'before the switch'),
      routerWrite(r.switchWrite(router, target, service, router.pending?.revision ?? 0, spec, now)),
      verified,
    ];
    if (plan.live)
      writes.push(...(await retireWrites(run, plan.live, spec.keepPrevious, 'after the drain', spec.autoscaledIdle ?? 'minimum')));
    return { helmArgs: [], writes };
  }
  if (router.pending) {
    const pending = router.pending.color;
    return {
      helmArgs: [],
      writes: [...(await retireWrites(run, pending, cleanupMode(run), 'discarded')), routerWrite(r.discardPendingWrite(router))],
    };
  }
  const failed = router.liveColor!;
  return {
    helmArgs: [],
    writes: [
      ...(await scaleUpWrites(run, target, 'before the switch back')),
      routerWrite(r.restoreWrite(router, 'rollback requested', now)),
      ...(await failedWrites(run, failed, 'after the switch back')),
    ],
  };
}
