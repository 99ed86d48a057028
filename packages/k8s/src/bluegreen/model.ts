import type { Logger } from '@pipeline-toolkit/core';
import type { KubeApi } from '../api.ts';
import type { Helm } from '../helm.ts';
import type { PodDiagnosis } from './diagnose.ts';
import type { AutoscaledIdle } from './autoscale.ts';
import type { Route, RouterConfig } from './routers/router.ts';

export const COLORS = ['blue', 'green'] as const;
export type Color = (typeof COLORS)[number];
export const otherColor = (color: Color): Color => (color === 'blue' ? 'green' : 'blue');
export const isColor = (value: unknown): value is Color => value === 'blue' || value === 'green';

/** The label Helm's standard charts put on every object of a release (`helm create`); only read from routers written before selectors were recorded. */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
const PREFIX = 'pipeline-toolkit.dev/';
/** Where the deploy state lives: annotations of the router Service. */
export const ANNOTATIONS = {
  managedBy: `${PREFIX}managed-by`,
  liveColor: `${PREFIX}live-color`,
  liveRevision: `${PREFIX}live-revision`,
  previousColor: `${PREFIX}previous-color`,
  previousRevision: `${PREFIX}previous-revision`,
  /** JSON of the selector the router was given at the last switch (a different one means someone else changed it). */
  liveSelector: `${PREFIX}live-selector`,
  /** JSON of the selector to restore on rollback (exactly what the router selected before the switch). */
  previousSelector: `${PREFIX}previous-selector`,
  /** "false" from the switch until the post-switch gate passes; a post step restores unverified switches. */
  verified: `${PREFIX}verified`,
  runId: `${PREFIX}run-id`,
  runUrl: `${PREFIX}run-url`,
  switchedAt: `${PREFIX}switched-at`,
  /** A colour deployed and gated but not yet promoted (mode deploy, then promote in a later job). */
  pendingColor: `${PREFIX}pending-color`,
  pendingRevision: `${PREFIX}pending-revision`,
  /** On a Deployment we scaled to 0: the replicas to restore before it serves again. */
  replicas: `${PREFIX}replicas`,
  /** The last rollback: which colour, when, why. */
  rolledBack: `${PREFIX}rolled-back`,
} as const;

export const colorRelease = (release: string, color: Color): string => `${release}-${color}`;
export const lockName = (release: string): string => `${release}-deploy`;

export type Mode = 'full' | 'deploy' | 'promote' | 'rollback';
export type KeepPrevious = 'scaled-down' | 'running' | 'uninstall';
export type Result = 'deployed' | 'rolled-back' | 'failed' | 'unchanged';

export interface DeploySpec {
  namespace: string;
  /** Base name: releases `<release>-blue` / `<release>-green`, router Service `<release>`, Lease `<release>-deploy`. */
  release: string;
  chart: string;
  chartVersion?: string;
  valuesFiles: string[];
  set: string[];
  image?: string;
  tag?: string;
  /** Budget for Helm and for readiness, each. */
  timeoutMs: number;
  drainMs: number;
  keepPrevious: KeepPrevious;
  /** How long to wait for another run's lock before giving up (0: refuse at once). */
  lockTimeoutMs: number;
  /** Identifies this run in the lock and the router (stable across re-run attempts of the same run). */
  runId: string;
  runUrl?: string;
  /** How a colour that a HorizontalPodAutoscaler scales is taken out after the drain: pinned to the HPA's minimum (default) or set to 0. */
  autoscaledIdle?: AutoscaledIdle;
  /** Which router takes traffic (default: the Service router `<release>`). */
  router?: RouterConfig;
  /** How long the gates may hold the run beyond its timeouts (metrics analyses, promote-after): the lock lasts that much longer. */
  gateWindowMs?: number;
}

export interface GateRequest {
  phase: 'pre-switch' | 'post-switch';
  color: Color;
  url: string;
}
export interface GateVerdict {
  passed: boolean;
  /** One line: "5/5 checks passed" or what failed. */
  summary: string;
  /** Details for the job summary. */
  markdown?: string;
}
export type Gate = (request: GateRequest, signal: AbortSignal) => Promise<GateVerdict>;

/** What survives the main step for the post step (also on cancel): enough to undo an unverified switch and free the lock. */
export interface Journal {
  namespace: string;
  release: string;
  runId: string;
  lockHeld: boolean;
  /** Set while HorizontalPodAutoscalers of a colour are being pinned, unpinned or their target set to 0; the post step then makes sure the live colour is not left pinned. */
  autoscaling?: { color: Color; change: 'pin' | 'unpin' | 'zero'; hpas: string[] } | undefined;
  /** The router this run drives (absent in journals of runs before routers had kinds: the Service router). */
  router?: RouterConfig;
  /** Set right before the switch write is sent, cleared when the post-switch gate passed or traffic was restored. */
  switchInFlight?: { to: Color; from?: Color; previousRoute: Route | null };
  /** The router writes this run sent, in order (`switch to green`, `route preview-host to green` …): what the post step and a re-run find done. */
  routerWrites?: string[];
  finished: boolean;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface EngineDeps {
  api: KubeApi;
  helm: Helm;
  log: Logger;
  clock: Clock;
  /** Gates; a missing gate is skipped (and shown as skipped). */
  preSwitchGate?: Gate;
  postSwitchGate?: Gate;
  /** Where the pre-switch gate reaches a colour (the preview) and the post-switch gate production. */
  previewUrl(color: Color, service: string, port: number): Promise<string> | string;
  productionUrl(router: string, port: number): Promise<string> | string;
  /** Persists the journal for the post step. */
  saveJournal(journal: Journal): Promise<void>;
  signal: AbortSignal;
  /** Poll interval while waiting for readiness. */
  pollMs?: number;
}

export interface PhaseRecord {
  name: string;
  startedAt: number;
  endedAt: number;
  outcome: 'ok' | 'failed' | 'skipped';
  detail?: string;
}

export interface GateRecord extends GateVerdict {
  phase: GateRequest['phase'];
  color: Color;
  url: string;
}

export interface Outcome {
  mode: Mode;
  result: Result;
  liveColor?: Color;
  previousColor?: Color;
  /** Helm revision of the live colour's release. */
  revision?: number;
  url?: string;
  phases: PhaseRecord[];
  gates: GateRecord[];
  /** Why a colour did not become ready, per pod, collected before it was cleaned up. */
  diagnosis?: { color: Color; pods: PodDiagnosis[] };
  /** What happened to a colour taken out of service (scaled down, uninstalled, marked failed in Helm). */
  cleanup?: string[];
  /** What was rolled back and why, or what could not be restored. */
  rollback?: { reason: string; restored: boolean; details: string[] };
  /** The preview address of the deployed colour (router with a preview host). */
  previewUrl?: string;
  /** Why the run failed: what the step, the exit code and the summary read. */
  failure?: PhaseFailure;
  /** The failure's message (failure.message), for logs and older readers. */
  error?: string;
}

/**
 * What kind of failure stopped a run:
 *   refused    preflight or the lock refused before anything changed
 *   not-ready  the idle colour did not become ready in time
 *   gate       a smoke gate failed (pre-switch: no switch; post-switch: rolled back or could not be)
 *   cancelled  the runner cancelled the job
 *   error      anything else (API, Helm, network)
 */
export type FailureKind = 'refused' | 'not-ready' | 'gate' | 'cancelled' | 'error';

/** A failed phase, typed: read by the step (exit code, GitHub Deployment) and the summary, never matched by its text. */
export interface PhaseFailure {
  kind: FailureKind;
  /** The phase that failed (`preflight`, `wait-ready`, `pre-switch gate`, `verify` …). */
  phase: string;
  message: string;
}

/** A failure that knows its kind, and its phase when it is raised outside one (a gate's verdict); the engine records it as a PhaseFailure. */
export class DeployFailure extends Error {
  readonly kind: FailureKind;
  readonly phase?: string;
  constructor(kind: FailureKind, message: string, phase?: string) {
    super(message);
    this.name = 'DeployFailure';
    this.kind = kind;
    if (phase) this.phase = phase;
  }
}

/** Raised when the run is cancelled (SIGINT/SIGTERM from the runner). */
export class CancelledError extends Error {
  constructor() {
    super('The deploy was cancelled.');
    this.name = 'CancelledError';
  }
}
