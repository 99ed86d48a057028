import type { ActionContext } from '@pipeline-toolkit/core';
import {
  DEPLOY_JOURNAL,
  deployActionDefaults,
  deployFailure,
  deployStep,
  dryRunStep,
  readDeployInputs,
  type DeployActionDeps,
} from '@pipeline-toolkit/k8s';

/** The journal the post step reads to undo an unverified switch and free the lock. */
export const JOURNAL = DEPLOY_JOURNAL;

export type Deps = DeployActionDeps;

export async function run(ctx: ActionContext, deps: Deps = deployActionDefaults()): Promise<void> {
  const cwd = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const options = readDeployInputs(ctx.inputs, ctx.env, cwd, ctx.log);
  if (options.dryRun) {
    await dryRunStep(ctx, options, deps.plan);
    await ctx.outputs.set({ result: 'unchanged' });
    return;
  }
  const outcome = await deployStep(ctx, options, deps);
  if (deps.signal.aborted) deps.exitSoon();
  const failure = deployFailure(outcome);
  if (failure) throw failure;
}
