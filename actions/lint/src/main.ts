import {
  exec,
  existingPath,
  GateError,
  InputError,
  requestPolicy,
  stepCancellation,
  writablePath,
  writeRoots,
  type ActionContext,
  type Exec,
} from '@pipeline-toolkit/core';
import { annotate, lint, lintFailure, lintOutputs, lintSummary, readLintRequest } from '@pipeline-toolkit/lint';

export interface Deps {
  exec: Exec;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export async function run(ctx: ActionContext, deps: Deps = { exec }): Promise<void> {
  const request = readLintRequest(ctx.inputs, ctx.env);
  const root = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const label = ctx.inputs.label('working-directory');
  const given = ctx.inputs.string('working-directory', { default: '.' });
  const cwd = existingPath(given, { input: 'working-directory', label, roots: [root], kind: 'directory' });
  const upload = ctx.inputs.boolean('upload', false);
  const waitForProcessing = ctx.inputs.boolean('wait-for-processing', true);
  const sarif = ctx.inputs.string('sarif', { default: upload ? 'lint.sarif' : '' }).trim();
  const sarifFile = sarif
    ? writablePath(sarif, { input: 'sarif', label: ctx.inputs.label('sarif'), roots: writeRoots(ctx.env, root), cwd: root })
    : undefined;
  const token = upload ? ctx.inputs.string('github-token', { required: true }) : undefined;
  const { GITHUB_REPOSITORY: repository, GITHUB_SHA: sha, GITHUB_REF: ref } = ctx.env;
  if (upload && (!repository || !sha || !ref)) {
    throw new InputError('upload', "Input 'upload' needs GITHUB_REPOSITORY, GITHUB_SHA and GITHUB_REF (set by the runner).");
  }
  ctx.log.setSecret(token);
  const policy = requestPolicy(ctx.inputs, deps.signal ?? stepCancellation());

  const lintCtx = { cwd, root, exec: deps.exec, log: ctx.log, env: ctx.env };
  const result = await lint(lintCtx, { ...request, ...(sarifFile ? { sarifFile } : {}) }, (name) => ctx.inputs.label(name));
  annotate(ctx.log, result.runs);
  await ctx.outputs.set({ ...lintOutputs(result.runs, result.passed, result.scope), 'sarif-file': result.sarifFile ?? '' });
  await ctx.summary.write(lintSummary(result.runs, result.passed, result.scope));
  const gateError = result.passed ? undefined : new GateError(lintFailure(result.runs));
  if (!token || !result.sarifFile) {
    if (gateError) throw gateError;
    return;
  }
  // the upload code is loaded only when there is something to upload
  const { uploadThenGate } = await import('@pipeline-toolkit/sarif/upload');
  await uploadThenGate(
    { sarifFile: result.sarifFile, token, env: ctx.env, log: ctx.log, fetch: deps.fetch, policy, uploader: 'lint', waitForProcessing },
    gateError,
  );
}
