import { requestPolicy, type ActionContext } from '@pipeline-toolkit/core';
import { ciSummary, createGitHub, lintGate, readCiInputs, runCi, runContext, type CiDeps } from '@pipeline-toolkit/memory-bank';

export type Deps = Pick<CiDeps, 'github' | 'now'>;

const defaults: Deps = { github: createGitHub };

/**
 * record-deploy / record-progress: upsert an entry (files, commit or pull request);
 * index: regenerate decisionLog.md's ADR table; lint: annotate every problem and fail when any.
 */
export async function run(ctx: ActionContext, deps: Deps = defaults): Promise<void> {
  const request = readCiInputs(ctx.inputs, ctx.log);
  const policy = requestPolicy(ctx.inputs);
  const github = deps.github === createGitHub ? (token: string, url: string) => createGitHub(token, url, policy) : deps.github;
  const result = await runCi(request, runContext(ctx.env), { ...deps, ...(github ? { github } : {}), log: ctx.log });
  for (const problem of result.problems ?? []) {
    ctx.log.error(problem.message, { file: problem.file, line: problem.line, title: `memory-bank lint: ${problem.rule}` });
  }
  if (result.note) ctx.log.notice(result.note);
  else if (request.command !== 'lint')
    ctx.log.info(result.changed ? `Updated ${result.files.join(', ')}` : 'Already up to date: nothing changed.');
  await ctx.outputs.set({
    changed: result.changed,
    files: result.files,
    'commit-sha': result.commitSha ?? '',
    'pull-request-url': result.pullRequestUrl ?? '',
  });
  await ctx.summary.write(ciSummary(result));
  lintGate(result);
}
