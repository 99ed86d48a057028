import { readFile } from 'node:fs/promises';
import { GateError, InputError, type ActionContext, type Exec } from '@pipeline-toolkit/core';
import { annotations, readOnlyTokenEvent, readScanInputs, runScan, summaryMarkdown, uploadSarif } from '@pipeline-toolkit/sarif';

export interface Deps {
  exec?: Exec;
  which?: (name: string, env: NodeJS.ProcessEnv) => string | undefined;
  fetch?: typeof fetch;
}

function runnerContext(env: NodeJS.ProcessEnv): { repository: string; sha: string; ref: string } {
  const [repository, sha, ref] = [env['GITHUB_REPOSITORY'], env['GITHUB_SHA'], env['GITHUB_REF']];
  if (!repository || !sha || !ref)
    throw new InputError('upload', "Input 'upload' needs GITHUB_REPOSITORY, GITHUB_SHA and GITHUB_REF (set by the runner).");
  return { repository, sha, ref };
}

export async function run(ctx: ActionContext, deps: Deps = {}): Promise<void> {
  const options = readScanInputs(ctx.inputs);
  const token = options.upload ? ctx.inputs.string('github-token', { required: true }) : undefined;
  const github = options.upload ? runnerContext(ctx.env) : undefined;
  ctx.log.setSecret(token);
  const cwd = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();

  const result = await runScan(options, { log: ctx.log, env: ctx.env, cwd, exec: deps.exec, which: deps.which });
  for (const problem of result.problems) ctx.log.warning(problem);
  for (const a of annotations(result.findings, result.tools)) ctx.log[a.level](a.message, a.properties);

  if (token && github) {
    const eventPath = ctx.env['GITHUB_EVENT_PATH'];
    const event: unknown = eventPath ? JSON.parse(await readFile(eventPath, 'utf8').catch(() => '{}')) : {};
    await uploadSarif({
      sarifFile: result.sarifFile,
      token,
      apiUrl: ctx.env['GITHUB_API_URL'] ?? 'https://api.github.com',
      repository: github.repository,
      commitSha: github.sha,
      ref: github.ref,
      readOnlyToken: readOnlyTokenEvent(event, ctx.env['GITHUB_ACTOR']),
      log: ctx.log,
      fetch: deps.fetch,
    });
  }

  const { bySeverity, suppressed, total } = result.counts;
  await ctx.outputs.set({
    total,
    critical: bySeverity.CRITICAL,
    high: bySeverity.HIGH,
    medium: bySeverity.MEDIUM,
    low: bySeverity.LOW,
    info: bySeverity.INFO,
    suppressed,
    gate: result.gate.passed ? 'passed' : 'failed',
    'sarif-file': result.sarifFile,
    'findings-file': result.findingsFile,
  });
  const links =
    ctx.env['GITHUB_REPOSITORY'] && ctx.env['GITHUB_SHA']
      ? {
          serverUrl: ctx.env['GITHUB_SERVER_URL'] ?? 'https://github.com',
          repository: ctx.env['GITHUB_REPOSITORY'],
          sha: ctx.env['GITHUB_SHA'],
        }
      : undefined;
  await ctx.summary.write(summaryMarkdown(result, links));
  if (!result.gate.passed) {
    const { failing, threshold } = result.gate;
    throw new GateError(
      `Security gate failed: ${failing} unsuppressed finding${failing === 1 ? '' : 's'} at or above ${threshold.toUpperCase()} (fail-on: ${threshold}).`,
    );
  }
}
