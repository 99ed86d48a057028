import type { ActionContext } from '@pipeline-toolkit/core';
import {
  DEPLOY_JOURNAL,
  cancellation,
  deploy,
  deployFailure,
  deployStep,
  exitSoon,
  planDeploy,
  planMarkdown,
  planText,
  readDeployInputs,
  type DeployStepDeps,
} from '@pipeline-toolkit/k8s';

/** The journal the post step reads to undo an unverified switch and free the lock. */
export const JOURNAL = DEPLOY_JOURNAL;

export interface Deps extends DeployStepDeps {
  plan: typeof planDeploy;
  /** Called when the run ends after a cancel: exits once the exit code is set. */
  exitSoon: () => void;
}

// Node loads its fetch (undici) when the global is first read: only read it when it is called.
const defaults = (): Deps => ({ deploy, plan: planDeploy, signal: cancellation(), fetch: (...args) => fetch(...args), exitSoon });

export async function run(ctx: ActionContext, deps: Deps = defaults()): Promise<void> {
  const cwd = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const options = readDeployInputs(ctx.inputs, ctx.env, cwd, ctx.log);
  if (options.dryRun) {
    const plan = await deps.plan(options, ctx.log, ctx.env['RUNNER_TEMP']);
    ctx.log.info(planText(plan));
    await ctx.summary.write(planMarkdown(plan));
    await ctx.outputs.set({ result: 'unchanged' });
    return;
  }
  const outcome = await deployStep(ctx, options, deps);
  if (deps.signal.aborted) deps.exitSoon();
  const failure = deployFailure(outcome);
  if (failure) throw failure;
}
