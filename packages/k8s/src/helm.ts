import { ExternalError, type Exec, type Logger } from '@pipeline-toolkit/core';
import type { HelmKubeconfig } from './connection.ts';

/** What to install or upgrade. */
export interface HelmRelease {
  release: string;
  namespace: string;
  /** A chart reference: a directory, a packaged .tgz, repo/name or oci://… */
  chart: string;
  chartVersion?: string;
  valuesFiles?: readonly string[];
  /** `key=value` pairs for --set. */
  set?: readonly string[];
  /** `key=value` pairs for --set-string (image tags must stay strings: 1.10 is not 1.1). */
  setString?: readonly string[];
  timeoutMs: number;
}

export interface HelmStatus {
  status: string;
  revision: number;
}

export interface HelmHistoryEntry {
  revision: number;
  status: string;
  chart: string;
  appVersion: string;
  description: string;
}

/** A release stuck in one of these is locked for Helm until someone recovers it (SIGKILL mid-upgrade). */
export const PENDING_STATUSES = ['pending-install', 'pending-upgrade', 'pending-rollback'] as const;

function valueArgs(spec: HelmRelease): string[] {
  const args: string[] = [];
  if (spec.chartVersion) args.push('--version', spec.chartVersion);
  for (const file of spec.valuesFiles ?? []) args.push('--values', file);
  for (const pair of spec.set ?? []) args.push('--set', pair);
  for (const pair of spec.setString ?? []) args.push('--set-string', pair);
  return args;
}

/** Helm's --timeout takes a Go duration; whole seconds, at least one. */
export const helmDuration = (ms: number): string => `${Math.max(1, Math.ceil(ms / 1000))}s`;

/**
 * How long a Helm process may run: its own --timeout and a minute for what Helm does around it
 * (rendering, hooks' clean-up); two minutes for commands without one (status, history). Helm's
 * API client has no overall deadline, so a silent API server would otherwise hang the step.
 */
export function helmDeadlineMs(args: readonly string[]): number {
  const index = args.indexOf('--timeout');
  const seconds = index >= 0 ? /^(\d+)s$/.exec(args[index + 1] ?? '')?.[1] : undefined;
  return seconds ? Number(seconds) * 1000 + 60_000 : 120_000;
}

/**
 * Helm through argv arrays only. Works with Helm 3 and Helm 4 (major version detected from
 * `helm version`): the flags used are the same in both, except that Helm 4 takes the wait strategy
 * as a value, so hooks-only waiting (Helm 3's behaviour without --wait) is spelled out for it, and
 * Helm 4's server-side apply is told to take back fields the toolkit changed (replicas).
 * Readiness is not left to Helm: the deploy engine waits itself, with fresh credentials per request.
 */
export class Helm {
  readonly binary: string;
  readonly #exec: Exec;
  readonly #kubeconfig: () => Promise<HelmKubeconfig>;
  readonly #log: Logger;
  #major: number | undefined;

  constructor(options: { binary?: string; exec: Exec; kubeconfig: () => Promise<HelmKubeconfig>; log: Logger; major?: number }) {
    this.binary = options.binary ?? 'helm';
    this.#exec = options.exec;
    this.#kubeconfig = options.kubeconfig;
    this.#log = options.log;
    this.#major = options.major;
  }

  /** The major version, from `helm version --template {{.Version}}` (v3.19.0 → 3). */
  async major(): Promise<number> {
    if (this.#major !== undefined) return this.#major;
    let stdout: string;
    try {
      ({ stdout } = await this.#exec(this.binary, ['version', '--template', '{{.Version}}'], { logger: this.#log, timeoutMs: 60_000 }));
    } catch (error) {
      throw new ExternalError(
        `Helm could not be run as '${this.binary}' (${error instanceof Error ? error.message : String(error)}). Install Helm 3 or 4, or name the binary in input 'helm'.`,
        { cause: error },
      );
    }
    const match = /^v?(\d+)\./.exec(stdout.trim());
    if (!match) throw new ExternalError(`Could not read the Helm version from '${stdout.trim()}'.`);
    const major = Number(match[1]);
    if (major !== 3 && major !== 4) throw new ExternalError(`Helm ${stdout.trim()} is not supported: use Helm 3 or Helm 4.`);
    this.#major = major;
    return major;
  }

  /** The argv of `helm upgrade --install` (without --kubeconfig, which is added per call). */
  upgradeArgs(spec: HelmRelease, major: number): string[] {
    const args = [
      'upgrade',
      spec.release,
      spec.chart,
      '--install',
      '--namespace',
      spec.namespace,
      '--timeout',
      helmDuration(spec.timeoutMs),
    ];
    // Helm 4 applies server-side. The toolkit scales Deployments to 0 and back (it owns .spec.replicas
    // with its own field manager); the chart is the owner of record, so Helm takes the field back.
    if (major >= 4) args.push('--wait=hookOnly', '--force-conflicts');
    return [...args, ...valueArgs(spec)];
  }

  /** `helm template`: the manifests an upgrade would apply, rendered locally (nothing is sent to the cluster). */
  async template(spec: HelmRelease): Promise<string> {
    const { stdout } = await this.#run(['template', spec.release, spec.chart, '--namespace', spec.namespace, ...valueArgs(spec)]);
    return stdout;
  }

  async upgrade(spec: HelmRelease): Promise<HelmStatus> {
    await this.#run(this.upgradeArgs(spec, await this.major()));
    const status = await this.status(spec.release, spec.namespace);
    if (!status) throw new ExternalError(`Helm reported success but release '${spec.release}' is not in namespace '${spec.namespace}'.`);
    return status;
  }

  /** `helm status -o json`; undefined when the release does not exist. */
  async status(release: string, namespace: string): Promise<HelmStatus | undefined> {
    const result = await this.#run(['status', release, '--namespace', namespace, '--output', 'json'], [0, 1]);
    if (result.exitCode !== 0) {
      if (/release: not found/i.test(result.stderr)) return undefined;
      throw new ExternalError(`'helm status ${release}' failed: ${result.stderr.trim()}`);
    }
    const parsed = JSON.parse(result.stdout) as { version?: number; info?: { status?: string } };
    return { status: parsed.info?.status ?? 'unknown', revision: parsed.version ?? 0 };
  }

  /** `helm get manifest`: what the release's latest revision rendered and owns (hooks excluded); undefined when there is no such release. */
  async manifest(release: string, namespace: string): Promise<string | undefined> {
    const result = await this.#run(['get', 'manifest', release, '--namespace', namespace], [0, 1]);
    if (result.exitCode !== 0) {
      if (/release: not found/i.test(result.stderr)) return undefined;
      throw new ExternalError(`'helm get manifest ${release}' failed: ${result.stderr.trim()}`);
    }
    return result.stdout;
  }

  async history(release: string, namespace: string): Promise<HelmHistoryEntry[]> {
    const result = await this.#run(['history', release, '--namespace', namespace, '--output', 'json', '--max', '20'], [0, 1]);
    if (result.exitCode !== 0) {
      if (/release: not found/i.test(result.stderr)) return [];
      throw new ExternalError(`'helm history ${release}' failed: ${result.stderr.trim()}`);
    }
    const entries = JSON.parse(result.stdout) as {
      revision: number;
      status: string;
      chart: string;
      app_version: string;
      description: string;
    }[];
    return entries.map((e) => ({
      revision: e.revision,
      status: e.status,
      chart: e.chart,
      appVersion: e.app_version,
      description: e.description,
    }));
  }

  async rollback(release: string, namespace: string, revision: number, timeoutMs: number): Promise<void> {
    await this.#run(['rollback', release, String(revision), '--namespace', namespace, '--timeout', helmDuration(timeoutMs)]);
  }

  /** The argv of `helm uninstall` (without --kubeconfig, which is added per call). */
  uninstallArgs(release: string, namespace: string, timeoutMs: number): string[] {
    return ['uninstall', release, '--namespace', namespace, '--timeout', helmDuration(timeoutMs)];
  }

  async uninstall(release: string, namespace: string, timeoutMs: number): Promise<void> {
    await this.#run(this.uninstallArgs(release, namespace, timeoutMs));
  }

  /**
   * A release left pending-* (Helm killed with SIGKILL mid-operation) blocks every later upgrade
   * with "another operation is in progress". Recover it: roll back to the last deployed revision,
   * or uninstall a release that never finished its first install. Returns what was done, if anything.
   */
  async recoverPending(release: string, namespace: string, timeoutMs: number): Promise<string | undefined> {
    const status = await this.status(release, namespace);
    if (!status || !(PENDING_STATUSES as readonly string[]).includes(status.status)) return undefined;
    const history = await this.history(release, namespace);
    const lastGood = [...history].reverse().find((e) => e.status === 'deployed' || e.status === 'superseded');
    if (lastGood) {
      await this.rollback(release, namespace, lastGood.revision, timeoutMs);
      return `release ${release} was ${status.status} at revision ${status.revision}; rolled back to revision ${lastGood.revision}`;
    }
    await this.uninstall(release, namespace, timeoutMs);
    return `release ${release} was ${status.status} with no deployed revision; uninstalled it`;
  }

  async #run(args: string[], okExitCodes: readonly number[] = [0]) {
    const kubeconfig = await this.#kubeconfig();
    try {
      return await this.#exec(this.binary, [...args, '--kubeconfig', kubeconfig.path], {
        okExitCodes,
        logger: this.#log,
        timeoutMs: helmDeadlineMs(args),
        timeoutInput: 'timeout',
      });
    } finally {
      await kubeconfig.dispose();
    }
  }
}
