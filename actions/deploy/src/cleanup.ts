import { type ActionContext } from '@pipeline-toolkit/core';
import { readDeployInputs, recover, type Journal } from '@pipeline-toolkit/k8s';
import { JOURNAL } from './main.ts';

/**
 * The post step (runs also when the job is cancelled): when the main step did not finish, restores
 * the last verified colour if its switch was never verified, and releases its lock. Does nothing
 * (and contacts nothing) after a main step that finished.
 */
export async function cleanup(ctx: ActionContext, restore: typeof recover = recover): Promise<void> {
  const journal = ctx.state.get<Journal>(JOURNAL);
  if (!journal || journal.finished) return;
  const cwd = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const options = readDeployInputs(ctx.inputs, ctx.env, cwd, ctx.log);
  ctx.log.warning(`The deploy of ${journal.release} did not finish; cleaning up.`);
  for (const note of await restore(options, journal, ctx.log, ctx.env['RUNNER_TEMP'])) ctx.log.info(`post: ${note}`);
}
