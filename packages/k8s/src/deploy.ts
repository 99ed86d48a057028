import { DEFAULT_REQUEST_POLICY, exec, GateError, type Logger, type RequestPolicy } from '@pipeline-toolkit/core';
import { runDeploy } from './bluegreen/engine.ts';
import { systemClock } from './bluegreen/clock.ts';
import { helmRelease } from './bluegreen/deploy-idle.ts';
import { colorRelease, type Journal, type Outcome } from './bluegreen/model.ts';
import { discardPendingPatch, pendingWrite, verifiedPatch } from './bluegreen/modes.ts';
import { immutableSummary, plannedService, preflight } from './bluegreen/preflight.ts';
import { recoverInterrupted } from './bluegreen/recover.ts';
import { restorePatch } from './bluegreen/rollback.ts';
import { finder, type Run } from './bluegreen/run.ts';
import { switchWrite, type RouterWrite } from './bluegreen/switch.ts';
import { colorObjects } from './bluegreen/workloads.ts';
import { connect, type Connection } from './connection.ts';
import { smokeGate } from './gates.ts';
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

/** The deploy's request policy with the step's cancellation. */
function policyOf(options: DeployOptions, signal?: AbortSignal): RequestPolicy {
  const policy = options.request ?? DEFAULT_REQUEST_POLICY;
  return signal ? { ...policy, signal } : policy;
}

function helmFor(options: DeployOptions, connection: Connection, log: Logger): Helm {
  return new Helm({ binary: options.helmBinary, exec, kubeconfig: () => connection.helmKubeconfig(), log });
}

/** Connects, builds the gates and URLs, and runs the engine. */
export async function deploy(options: DeployOptions, io: DeployIO): Promise<Outcome> {
  const { log } = io;
  const { namespace, release } = options.spec;
  const connection = await connect(options.source, log, io.tempDir, policyOf(options, io.signal));
  const gate = options.smokeConfig ? await smokeGate(options.smokeConfig, log, io.cwd) : undefined;
  const proxies: { close(): Promise<void> }[] = [];
  const throughApiServer = async (service: string, port: number) => {
    const proxy = await connection.serviceProxy(namespace, service, port);
    proxies.push(proxy);
    return proxy.url;
  };
  try {
    const outcome = await runDeploy(
      options.spec,
      {
        api: connection.api,
        helm: helmFor(options, connection, log),
        log,
        clock: systemClock,
        ...(gate ? { preSwitchGate: gate, postSwitchGate: gate } : {}),
        // A preview-url may name the colour: https://{color}.preview.example.com
        previewUrl: (color, service, port) =>
          options.previewUrl ? options.previewUrl.replaceAll('{color}', color) : throughApiServer(service, port),
        productionUrl: (router, port) => options.productionUrl ?? throughApiServer(router, port),
        saveJournal: io.saveJournal,
        signal: io.signal,
      },
      options.mode,
    );
    if (!options.productionUrl && outcome.url)
      outcome.url = `${connection.server.replace(/\/$/, '')}/api/v1/namespaces/${namespace}/services/${release}/proxy/`;
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
  const connection = await connect(options.source, log, tempDir, policyOf(options));
  const helm = helmFor(options, connection, log);
  const run: Run = {
    spec: options.spec,
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
    journal: { namespace, release, runId: options.spec.runId, lockHeld: false, finished: false },
    outcome: { mode: options.mode, result: 'unchanged', phases: [], gates: [] },
  };
  const plan = await preflight(run);
  const { router, target } = plan;
  const now = new Date();
  const writes: DeployPlan['writes'] = [];
  let helmArgs: string[] = [];
  let recreate: DeployPlan['recreate'];
  const describe = (write: RouterWrite) =>
    'create' in write
      ? { what: `create Service ${namespace}/${release} (the router)`, body: write.create }
      : { what: `patch Service ${namespace}/${release} (merge patch, one request)`, body: write.patch };
  if (options.mode === 'full' || options.mode === 'deploy') {
    const rendered = plan.rendered!;
    helmArgs = [helm.binary, ...helm.upgradeArgs(helmRelease(options.spec, target), rendered.helmMajor)];
    if (rendered.recreate?.length)
      recreate = {
        argv: [helm.binary, ...helm.uninstallArgs(colorRelease(release, target), namespace, options.spec.timeoutMs)],
        reason: immutableSummary(rendered.recreate),
      };
    // Installed afresh after an uninstall, the release starts again at revision 1.
    const idle = recreate ? undefined : await helm.status(colorRelease(release, target), namespace);
    const revision = (idle?.revision ?? 0) + 1;
    const service = plannedService(rendered.target);
    if (options.mode === 'full') {
      writes.push(describe(switchWrite(options.spec, router, target, service, revision, now)));
      writes.push({ what: `patch Service ${namespace}/${release} (after the post-switch gate)`, body: verifiedPatch() });
      if (plan.live && options.spec.keepPrevious !== 'running') {
        const previous = await colorObjects(finder(run), plan.live);
        writes.push(
          options.spec.keepPrevious === 'uninstall'
            ? { what: `helm uninstall ${colorRelease(release, plan.live)} (after the drain)`, body: null }
            : {
                what: `scale ${colorRelease(release, plan.live)} to 0 (after the drain)`,
                body: (previous?.workloads ?? []).map((w) => `${w.kind} ${w.name}`),
              },
        );
      }
    } else writes.push(describe(pendingWrite(options.spec, router, target, revision, service)));
  } else if (options.mode === 'promote') {
    const objects = await colorObjects(finder(run), target);
    const service = objects && plannedService(objects);
    if (!service) throw new GateError(`Cannot promote ${target}: its release ${colorRelease(release, target)} is gone.`);
    writes.push(describe(switchWrite(options.spec, router, target, service, router.pending?.revision ?? 0, now)));
    writes.push({ what: `patch Service ${namespace}/${release} (after the post-switch gate)`, body: verifiedPatch() });
  } else if (router.pending) {
    writes.push({ what: `scale ${colorRelease(release, target)} down`, body: null });
    writes.push({ what: `patch Service ${namespace}/${release}`, body: discardPendingPatch() });
  } else {
    writes.push({
      what: `patch Service ${namespace}/${release} (merge patch, one request)`,
      body: restorePatch(router, 'rollback requested', now),
    });
  }
  return {
    lines: [
      ['Cluster', `${options.sourceLabel} → ${connection.server}`],
      ['Release', `${release} in namespace ${namespace}`],
      ['Mode', options.mode],
      [
        'Router',
        router.service
          ? `Service ${release} (resourceVersion ${router.service.metadata?.resourceVersion})`
          : `none yet: the first deploy creates Service ${release}`,
      ],
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
