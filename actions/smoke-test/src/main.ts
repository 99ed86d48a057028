import { existingPath, GateError, writablePath, writeRoots, type ActionContext, type Exec } from '@pipeline-toolkit/core';
import {
  cancelOnSignals,
  loadSuite,
  readSmokeInputs,
  runSuite,
  smokeFailure,
  summaryMarkdown,
  writeReports,
} from '@pipeline-toolkit/smoke';

export interface Deps {
  exec?: Exec;
  sleep?: (ms: number) => Promise<void>;
}

export async function run(ctx: ActionContext, deps: Deps = {}): Promise<void> {
  const options = readSmokeInputs(ctx.inputs, { junitFile: 'smoke-junit.xml', jsonFile: 'smoke-result.json' });
  const cwd = ctx.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const rule = (input: string) => ({ input, label: ctx.inputs.label(input), cwd });
  if (options.config) existingPath(options.config, { ...rule('config'), roots: [cwd], kind: 'file' });
  if (options.envFile) existingPath(options.envFile, { ...rule('env-file'), roots: [cwd], kind: 'file' });
  if (options.jsonFile) writablePath(options.jsonFile, { ...rule('json-file'), roots: writeRoots(ctx.env, cwd) });
  if (options.junitFile) writablePath(options.junitFile, { ...rule('junit-file'), roots: writeRoots(ctx.env, cwd) });

  const suite = await loadSuite({ config: options.config, envFile: options.envFile, env: ctx.env, cwd });
  const cancel = cancelOnSignals();
  const result = await runSuite(suite, {
    signal: cancel.signal,
    target: options.target,
    targetLabel: options.targetLabel,
    tags: options.tags,
    waitUntilHealthyMs: options.waitUntilHealthyMs,
    failOnFlaky: options.failOnFlaky,
    failFast: options.failFast,
    allowMutating: options.allowMutating,
    log: ctx.log,
    cwd,
    deps,
  }).finally(cancel.dispose);

  const files = await writeReports(result, { json: options.jsonFile, junit: options.junitFile, cwd }, ctx.log.redactor);
  const { passed, failed, flaky, skipped } = result.summary;
  await ctx.outputs.set({
    result: result.result,
    passed,
    failed,
    flaky,
    skipped,
    'junit-file': files.junit ?? '',
    'json-file': files.json ?? '',
  });
  await ctx.summary.write(summaryMarkdown(result, ctx.log.redactor));
  if (result.result === 'failed') throw new GateError(smokeFailure(result));
}
