import { DEFAULT_REQUEST_POLICY, exec, type Logger, type RequestPolicy } from '@pipeline-toolkit/core';
import { runDeploy } from './bluegreen/engine.ts';
import { systemClock } from './bluegreen/clock.ts';
import { helmRelease } from './bluegreen/deploy-idle.ts';
import { ANNOTATIONS, colorRelease, INSTANCE_LABEL, otherColor, type Journal, type Outcome } from './bluegreen/model.ts';
import { recoverInterrupted } from './bluegreen/recover.ts';
import { readRouter, routerProblems } from './bluegreen/router.ts';
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
  return recoverInterrupted(connection.api, journal, log);
}

export interface DeployPlan {
  lines: [string, string][];
  helm: string[];
  patch: unknown;
}

/**
 * The plan of a deploy without changing anything: reads the router (GET only), names the live and
 * idle colours, and shows the Helm command and the router write a full deploy would send.
 */
export async function planDeploy(options: DeployOptions, log: Logger, tempDir?: string): Promise<DeployPlan> {
  const { namespace, release } = options.spec;
  const connection = await connect(options.source, log, tempDir, policyOf(options));
  const router = await readRouter(connection.api, namespace, release);
  const live = router.liveColor;
  const target =
    options.mode === 'promote'
      ? router.pending?.color
      : options.mode === 'rollback'
        ? (router.pending?.color ?? router.previousColor)
        : live
          ? otherColor(live)
          : 'blue';
  const helm = helmFor(options, connection, log);
  const detected = await helm.major().catch(() => undefined);
  const major = detected ?? 3;
  const helmArgs = target ? [helm.binary, ...helm.upgradeArgs(helmRelease(options.spec, target), major)] : [];
  const selector = target ? { ...(router.selector ?? {}), [INSTANCE_LABEL]: colorRelease(release, target) } : null;
  const patch = router.service
    ? {
        metadata: {
          resourceVersion: router.service.metadata?.resourceVersion,
          annotations: { [ANNOTATIONS.liveColor]: target, [ANNOTATIONS.previousColor]: live ?? null, [ANNOTATIONS.verified]: 'false' },
        },
        spec: { selector },
      }
    : {
        create: `Service ${namespace}/${release}`,
        spec: {
          selector: `${INSTANCE_LABEL}=${target ? colorRelease(release, target) : '?'} plus the chart Service's other selector labels`,
        },
      };
  const problems = routerProblems(router, release);
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
      ['Live colour', live ?? 'none'],
      [options.mode === 'full' || options.mode === 'deploy' ? 'Idle colour (deploy target)' : 'Target colour', target ?? 'nothing to do'],
      ['Helm', detected ? `Helm ${detected} (${helm.binary})` : `${helm.binary} not found; command shown for Helm 3`],
      ['Preflight', problems.length ? `WOULD REFUSE: ${problems.join(' ')}` : 'ok'],
    ],
    helm: helmArgs,
    patch,
  };
}
