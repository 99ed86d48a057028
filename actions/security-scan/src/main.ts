import {
  GateError,
  InputError,
  requestPolicy,
  stepCancellation,
  writablePath,
  writeRoots,
  type ActionContext,
  type Exec,
} from '@pipeline-toolkit/core';
import {
  baselineCounts,
  gateMessage,
  moreProblems,
  prepareScanners,
  readInstallInputs,
  readScanInputs,
  pullRequestBaseline,
  commentNewFindings,
  runScan,
  uploadThenGate,
} from '@pipeline-toolkit/sarif';

export interface Deps {
  exec?: Exec;
  which?: (name: string, env: NodeJS.ProcessEnv) => string | undefined;
  fetch?: typeof fetch;
  /** The step's cancellation (SIGINT/SIGTERM by default). */
  signal?: AbortSignal;
}

export async function run(ctx: ActionContext, deps: Deps = {}): Promise<void> {
  const options = readScanInputs(ctx.inputs);
  const token = options.upload ? ctx.inputs.string('github-token', { required: true }) : undefined;
  // the baseline lookup and the pull request comment use the token when one is given
  const apiToken = token ?? ctx.inputs.string('github-token');
  const { GITHUB_REPOSITORY: repository, GITHUB_SHA: sha, GITHUB_REF: ref } = ctx.env;
  if (options.upload && (!repository || !sha || !ref)) {
    throw new InputError('upload', "Input 'upload' needs GITHUB_REPOSITORY, GITHUB_SHA and GITHUB_REF (set by the runner).");
  }
  ctx.log.setSecret(apiToken);
  const policy = requestPolicy(ctx.inputs, deps.signal ?? stepCancellation(), { timeout: 'request-timeout', deadline: 'request-deadline' });
  const cwd = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const roots = writeRoots(ctx.env, cwd);
  const label = ctx.inputs.label('output-sarif');
  for (const file of [options.outputSarif, options.findingsFile]) writablePath(file, { input: 'output-sarif', label, roots, cwd });
  const links = repository && sha ? { serverUrl: ctx.env['GITHUB_SERVER_URL'] ?? 'https://github.com', repository, sha } : undefined;

  const install = readInstallInputs(ctx.inputs, ctx.env);
  // install-scanners: the pinned, verified scanners go first on PATH (and Trivy gets its database) before they run.
  const env = install
    ? await prepareScanners(install, options, { log: ctx.log, env: ctx.env, exec: deps.exec, fetch: deps.fetch })
    : ctx.env;
  const api =
    apiToken && repository
      ? { token: apiToken, repository, apiUrl: ctx.env['GITHUB_API_URL'] ?? 'https://api.github.com', policy, fetch: deps.fetch }
      : undefined;
  const found = await pullRequestBaseline(options, ctx.env, api, ctx.log);
  const result = await runScan(options, { log: ctx.log, env, cwd, exec: deps.exec, which: deps.which, links, ...found });
  for (const problem of result.problems) ctx.log.warning(problem);
  const more = moreProblems(result);
  if (more) ctx.log.warning(more);
  for (const a of result.annotations) ctx.log[a.level](a.message, a.properties);

  const { bySeverity, suppressed, total } = result.counts;
  await ctx.outputs.set({
    total,
    critical: bySeverity.CRITICAL,
    high: bySeverity.HIGH,
    medium: bySeverity.MEDIUM,
    low: bySeverity.LOW,
    info: bySeverity.INFO,
    suppressed,
    ...baselineCounts(result),
    baseline: result.baseline?.source ?? '',
    gate: result.gate.passed ? 'passed' : 'failed',
    'gate-scope': result.gate.scope ?? 'all',
    'sarif-file': result.sarifFile,
    'findings-file': result.findingsFile,
  });
  await ctx.summary.write(result.summary);
  await commentNewFindings(options, ctx.env, api, result, ctx.log);
  // Outputs, summary and the gate's verdict are in place before the upload: a failed upload loses none of them.
  const gateError = result.gate.passed ? undefined : new GateError(gateMessage(result));
  const upload = token && repository && sha && ref;
  await uploadThenGate(
    upload
      ? {
          sarifFile: result.sarifFile,
          token,
          env: ctx.env,
          log: ctx.log,
          fetch: deps.fetch,
          policy,
          waitForProcessing: options.waitForProcessing,
        }
      : undefined,
    gateError,
  );
}
