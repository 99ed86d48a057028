import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  errorMessage,
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
  prepareScanners,
  readInstallInputs,
  readScanInputs,
  commentBody,
  commentMarker,
  findBaseBaseline,
  isPullRequestEvent,
  upsertComment,
  runScan,
  uploadForRun,
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
  const pullRequest = pullRequestNumber(ctx.env);
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
  let found: { foundBaseline?: { file: string; shown: string }; baselineNotFound?: string } = {};
  if (isPullRequestEvent(ctx.env) && !options.baseline) {
    if (!api) found = { baselineNotFound: "no github-token was given to look up the base branch's findings" };
    else {
      try {
        const answer = await findBaseBaseline(api, {
          workflowRef: ctx.env['GITHUB_WORKFLOW_REF'],
          baseRef: ctx.env['GITHUB_BASE_REF'],
          artifact: options.baselineArtifact,
          dir: path.join(ctx.env['RUNNER_TEMP'] ?? tmpdir(), 'security-scan-baseline'),
        });
        if ('missing' in answer) {
          ctx.log.notice(`No baseline from the base branch: ${answer.missing}.`);
          found = { baselineNotFound: answer.missing };
        } else found = { foundBaseline: answer };
      } catch (error) {
        ctx.log.notice(`No baseline from the base branch: ${errorMessage(error)}`);
        found = { baselineNotFound: `the base branch's findings could not be had (${errorMessage(error)})` };
      }
    }
  }
  const result = await runScan(options, { log: ctx.log, env, cwd, exec: deps.exec, which: deps.which, links, ...found });
  for (const problem of result.problems) ctx.log.warning(problem);
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
    gate: result.gate.passed ? 'passed' : 'failed',
    'gate-scope': result.gate.scope ?? 'all',
    'sarif-file': result.sarifFile,
    'findings-file': result.findingsFile,
  });
  await ctx.summary.write(result.summary);
  if (api && pullRequest && (options.prComment ?? true)) {
    try {
      const marker = commentMarker(options.categoryPrefix);
      await upsertComment(api, pullRequest, commentBody(result.baseline, result.baselineNote, options.categoryPrefix), marker);
    } catch (error) {
      // a fork's read-only token cannot comment: the summary has the same
      ctx.log.notice(`Pull request comment not written: ${errorMessage(error)}`);
    }
  }
  // Outputs, summary and the gate's verdict are in place before the upload: a failed upload loses none of them.
  const gateError = result.gate.passed ? undefined : new GateError(gateMessage(result));
  if (token && repository && sha && ref) {
    try {
      await uploadForRun({ sarifFile: result.sarifFile, token, env: ctx.env, log: ctx.log, fetch: deps.fetch, policy });
    } catch (error) {
      if (!gateError) throw error;
      ctx.log.error(errorMessage(error));
    }
  }
  if (gateError) throw gateError;
}

/** The pull request's number from the event payload (GITHUB_EVENT_PATH), on pull request events. */
function pullRequestNumber(env: NodeJS.ProcessEnv): number | undefined {
  if (!isPullRequestEvent(env) || !env['GITHUB_EVENT_PATH']) return undefined;
  try {
    const event = JSON.parse(readFileSync(env['GITHUB_EVENT_PATH'], 'utf8')) as { pull_request?: { number?: unknown }; number?: unknown };
    const n = Number(event.pull_request?.number ?? event.number);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}
