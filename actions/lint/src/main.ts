import { exec, existingPath, GateError, type ActionContext, type Exec } from '@pipeline-toolkit/core';
import { annotate, lintFailure, lintOutputs, lintPassed, lintSummary, readLinters, readRequired, runLinters } from '@pipeline-toolkit/lint';

export async function run(ctx: ActionContext, deps: { exec: Exec } = { exec }): Promise<void> {
  const requested = readLinters(ctx.inputs);
  const required = readRequired(ctx.inputs);
  const root = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const label = ctx.inputs.label('working-directory');
  const given = ctx.inputs.string('working-directory', { default: '.' });
  const cwd = existingPath(given, { input: 'working-directory', label, roots: [root], kind: 'directory' });

  const runs = await runLinters({ cwd, root, exec: deps.exec, log: ctx.log, env: ctx.env }, requested, required);
  const passed = lintPassed(runs);
  annotate(ctx.log, runs);
  await ctx.outputs.set(lintOutputs(runs, passed));
  await ctx.summary.write(lintSummary(runs, passed));
  if (!passed) throw new GateError(lintFailure(runs));
}
