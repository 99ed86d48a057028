import { DEFAULT_REQUEST_POLICY, ExternalError, GateError, errorMessage, guardedFetch, type ActionContext } from '@pipeline-toolkit/core';
import { deploy, planDeploy, recover } from './deploy.ts';
import type { Journal, Outcome } from './bluegreen/model.ts';
import { GitHubDeployments } from './github-deployment.ts';
import { readDeployInputs, type DeployOptions } from './inputs.ts';
import { deploySummary, planMarkdown, planText } from './summary.ts';

/**
 * The deploy as a step of an action (main + post), shared by the deploy action and the root
 * release action: the GitHub Deployment record, cancellation, outputs, summary and the post step.
 */

/** The state key of the journal the post step reads to undo an unverified switch and free the lock. */
export const DEPLOY_JOURNAL = 'deploy-journal';

/** Aborted when the runner cancels the job: SIGINT, then SIGTERM 7.5 s later. */
export function cancellation(): AbortSignal {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
  return controller.signal;
}

/** After a cancel, work still in flight (a smoke request) must not keep the step alive until the runner kills it. */
export const exitSoon = () => setImmediate(() => process.exit());

/** A GitHub Deployment record when github-token and environment are given (not for mode deploy, which changes no traffic). */
export function githubDeployment(ctx: ActionContext, options: DeployOptions, fetchImpl: typeof fetch): GitHubDeployments | undefined {
  const { GITHUB_REPOSITORY: repository, GITHUB_SHA: ref, GITHUB_API_URL: apiUrl = 'https://api.github.com' } = ctx.env;
  if (!options.githubToken || !options.environment || !repository || !ref || options.mode === 'deploy') return undefined;
  const target = {
    token: options.githubToken,
    apiUrl,
    repository,
    ref,
    environment: options.environment,
    ...(options.spec.runUrl ? { logUrl: options.spec.runUrl } : {}),
  };
  // Each record call on its own clock: the last one comes after the whole deploy.
  const policy = options.request ?? DEFAULT_REQUEST_POLICY;
  const guarded: typeof fetch = (input, init) => guardedFetch(policy, { fetch: fetchImpl })(input, init);
  return new GitHubDeployments(target, ctx.log, guarded);
}

export interface DeployStepDeps {
  deploy: typeof deploy;
  /** Aborted when the runner cancels the job (SIGINT, then SIGTERM). */
  signal: AbortSignal;
  fetch: typeof fetch;
}

/**
 * Runs the deploy with its GitHub Deployment record, saves the journal for the post step, and
 * writes the deploy outputs and summary. Returns the outcome, failed or not; throws only when the
 * deploy could not even start (cluster unreachable, bad credentials), after recording that.
 */
export async function deployStep(ctx: ActionContext, options: DeployOptions, deps: DeployStepDeps): Promise<Outcome> {
  const { release, namespace } = options.spec;
  const cwd = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const github = githubDeployment(ctx, options, deps.fetch);
  // A rollback creates no Deployment of its own: it marks the rolled-back commit's as failed.
  const rollback = options.mode === 'rollback';
  if (!rollback) await github?.start(`${options.mode} ${release} in ${namespace}`);
  const outcome = await deps
    .deploy(options, {
      log: ctx.log,
      signal: deps.signal,
      saveJournal: (journal) => ctx.state.save(DEPLOY_JOURNAL, journal),
      cwd,
      ...(ctx.env['RUNNER_TEMP'] ? { tempDir: ctx.env['RUNNER_TEMP'] } : {}),
    })
    .catch(async (error: unknown) => {
      await github?.status('error', errorMessage(error));
      throw error;
    });
  await ctx.outputs.set({
    result: outcome.result,
    'live-color': outcome.liveColor ?? '',
    'previous-color': outcome.previousColor ?? '',
    revision: outcome.revision ?? '',
    url: outcome.url ?? '',
    'preview-address': outcome.previewUrl ?? '',
  });
  await ctx.summary.write(deploySummary(outcome, release, namespace));
  const ok = !outcome.failure;
  if (rollback) {
    if (ok) await github?.markRolledBack(`rolled back: ${outcome.liveColor ?? 'the previous colour'} is live`);
  } else {
    await github?.status(
      ok ? 'success' : 'failure',
      ok ? `${outcome.liveColor} is live` : (outcome.failure?.message ?? outcome.result),
      outcome.url,
    );
  }
  return outcome;
}

/** What the deploy and release actions need: the deploy step, the dry-run plan and the exit after a cancel. */
export interface DeployActionDeps extends DeployStepDeps {
  plan: typeof planDeploy;
  /** Called when the run ends after a cancel: exits once the exit code is set. */
  exitSoon: () => void;
}

// Node loads its fetch (undici) when the global is first read: only read it when it is called.
export const deployActionDefaults = (): DeployActionDeps => ({
  deploy,
  plan: planDeploy,
  signal: cancellation(),
  fetch: (...args) => fetch(...args),
  exitSoon,
});

/**
 * The dry run: reads the router and shows the plan (log and summary) without changing anything.
 * `notes` are logged after the plan, before the summary is written. The caller sets the outputs.
 */
export async function dryRunStep(
  ctx: ActionContext,
  options: DeployOptions,
  plan: DeployActionDeps['plan'],
  notes: readonly string[] = [],
): Promise<void> {
  const shown = await plan(options, ctx.log, ctx.env['RUNNER_TEMP']);
  ctx.log.info(planText(shown));
  for (const note of notes) ctx.log.info(note);
  await ctx.summary.write(planMarkdown(shown));
}

/** The error that fails the step for a failed outcome, by the failure's kind: a gate verdict or a rollback (GateError), anything else (ExternalError); undefined when it succeeded. */
export function deployFailure(outcome: Outcome): GateError | ExternalError | undefined {
  const failure = outcome.failure;
  if (!failure) return undefined;
  return failure.kind === 'gate' || outcome.result === 'rolled-back' ? new GateError(failure.message) : new ExternalError(failure.message);
}

/**
 * The post step (runs also when the job is cancelled): when the main step did not finish, restores
 * the last verified colour if its switch was never verified, and releases its lock. Does nothing
 * (and contacts nothing) after a main step that finished.
 */
export async function cleanupDeploy(ctx: ActionContext, restore: typeof recover = recover): Promise<void> {
  const journal = ctx.state.get<Journal>(DEPLOY_JOURNAL);
  if (!journal || journal.finished) return;
  const cwd = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const options = readDeployInputs(ctx.inputs, ctx.env, cwd, ctx.log);
  ctx.log.warning(`The deploy of ${journal.release} did not finish; cleaning up.`);
  for (const note of await restore(options, journal, ctx.log, ctx.env['RUNNER_TEMP'])) ctx.log.info(`post: ${note}`);
}
