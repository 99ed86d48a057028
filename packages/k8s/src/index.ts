/**
 * Kubernetes access and the Helm blue-green engine. The only package that imports
 * @kubernetes/client-node, and only inside connect(): importing this module stays cheap, so an
 * action's input validation and dry runs never load the client.
 */
export { FIELD_MANAGER, KubeError, isConflict, type KubeApi } from './api.ts';
export { connect, type Connection, type HelmKubeconfig } from './connection.ts';
export { decodeKubeconfig, type ClusterSource } from './source.ts';
export { Helm, helmDuration, PENDING_STATUSES, type HelmRelease, type HelmStatus, type HelmHistoryEntry } from './helm.ts';
export { runDeploy } from './bluegreen/engine.ts';
export { recoverInterrupted } from './bluegreen/recover.ts';
export { systemClock } from './bluegreen/clock.ts';
export { routerState, selectedColor } from './bluegreen/routers/service.ts';
export {
  routerFor,
  ROUTER_KINDS,
  type Route,
  type Router,
  type RouterConfig,
  type RouterKind,
  type RouterState,
  type RouterWrite,
} from './bluegreen/routers/index.ts';
export {
  ANNOTATIONS,
  COLORS,
  CancelledError,
  DeployFailure,
  colorRelease,
  lockName,
  otherColor,
  type Color,
  type DeploySpec,
  type EngineDeps,
  type Gate,
  type GateRecord,
  type GateRequest,
  type GateVerdict,
  type Journal,
  type KeepPrevious,
  type Mode,
  type Outcome,
  type FailureKind,
  type PhaseFailure,
  type PhaseRecord,
  type Result,
} from './bluegreen/model.ts';
export { readDeployInputs, MODES, KEEP_PREVIOUS, type DeployOptions } from './inputs.ts';
export { deploy, recover, planDeploy, type DeployIO, type DeployPlan } from './deploy.ts';
export { deploySummary, phaseTimeline, planText, planMarkdown } from './summary.ts';
export { smokeGate, deployGates } from './gates.ts';
export { AUTOSCALED_IDLE, PINNED, pinOf, type AutoscaledIdle } from './bluegreen/autoscale.ts';
export { loadMetricsConfig, metricsConfig, type MetricsConfig } from './metrics/config.ts';
export { metricsGate, phaseGate } from './metrics/gate.ts';
export { GitHubDeployments, type GitHubDeploymentTarget, type DeploymentState } from './github-deployment.ts';
export {
  DEPLOY_JOURNAL,
  cancellation,
  cleanupDeploy,
  deployActionDefaults,
  deployFailure,
  deployStep,
  dryRunStep,
  exitSoon,
  githubDeployment,
  type DeployActionDeps,
  type DeployStepDeps,
} from './step.ts';
