import { errorMessage, ExternalError, GateError, type ActionContext } from '@pipeline-toolkit/core';
import { deploy, deploySummary, planDeploy, planMarkdown, planText, readDeployInputs } from '@pipeline-toolkit/k8s';
import { cancellation, exitSoon, githubDeployment } from './runtime.ts';

/** The journal the post step reads to undo an unverified switch and free the lock. */
export const JOURNAL = 'deploy-journal';

export interface Deps {
  deploy: typeof deploy;
  plan: typeof planDeploy;
  /** Aborted when the runner cancels the job (SIGINT, then SIGTERM). */
  signal: AbortSignal;
  fetch: typeof fetch;
  /** Called when the run ends after a cancel: exits once the exit code is set. */
  exitSoon: () => void;
}

// Node loads its fetch (undici) when the global is first read: only read it when it is called.
const defaults = (): Deps => ({ deploy, plan: planDeploy, signal: cancellation(), fetch: (...args) => fetch(...args), exitSoon });

export async function run(ctx: ActionContext, deps: Deps = defaults()): Promise<void> {
  const cwd = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const options = readDeployInputs(ctx.inputs, ctx.env, cwd, ctx.log);
  const { release, namespace } = options.spec;
  if (options.dryRun) {
    const plan = await deps.plan(options, ctx.log, ctx.env['RUNNER_TEMP']);
    ctx.log.info(planText(plan));
    await ctx.summary.write(planMarkdown(plan));
    await ctx.outputs.set({ result: 'unchanged' });
    return;
  }
  const github = githubDeployment(ctx, options, deps.fetch);
  await github?.start(`${options.mode} ${release} in ${namespace}`);
  const outcome = await deps
    .deploy(options, {
      log: ctx.log,
      signal: deps.signal,
      saveJournal: (journal) => ctx.state.save(JOURNAL, journal),
      cwd,
      ...(ctx.env['RUNNER_TEMP'] ? { tempDir: ctx.env['RUNNER_TEMP'] } : {}),
    })
    .catch(async (error: unknown) => {
      // Could not even start (cluster unreachable, bad credentials): the Deployment record says so.
      await github?.status('error', errorMessage(error));
      throw error;
    });
  await ctx.outputs.set({
    result: outcome.result,
    'live-color': outcome.liveColor ?? '',
    'previous-color': outcome.previousColor ?? '',
    revision: outcome.revision ?? '',
    url: outcome.url ?? '',
  });
  await ctx.summary.write(deploySummary(outcome, release, namespace));
  const ok = !outcome.error;
  await github?.status(ok ? 'success' : 'failure', ok ? `${outcome.liveColor} is live` : (outcome.error ?? outcome.result), outcome.url);
  if (deps.signal.aborted) deps.exitSoon();
  if (outcome.error)
    throw outcome.result === 'rolled-back' || outcome.error.startsWith('Pre-switch')
      ? new GateError(outcome.error)
      : new ExternalError(outcome.error);
}
