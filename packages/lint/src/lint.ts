import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, type Inputs } from '@pipeline-toolkit/core';
import { checkFixAllowed } from './fix.ts';
import type { LintContext, LinterName, LinterRun } from './model.ts';
import { ALL_LINTERS, lintPassed, readLinters, readRequired, runLinters } from './run.ts';
import { baseOf, readEvent, readScope, resolveScope, type ScopeMode, type ScopeReport } from './scope.ts';

/** Everything the lint action and `pipeline-toolkit lint` are asked, read and checked before anything runs. */
export interface LintRequest {
  requested: readonly LinterName[] | 'auto';
  required: readonly LinterName[];
  scope: ScopeMode;
  /** The `base` input: what changed-files scope compares with (default: from the event). */
  base?: string;
  fix: boolean;
  allowFixOnDefaultBranch: boolean;
  /** Where to write the SARIF file (absolute), if anywhere. */
  sarifFile?: string;
  categoryPrefix: string;
}

const CATEGORY = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/** Reads the inputs (action) or flags (CLI) of lint; `sarifFile` is resolved by the caller, which knows where it may write. */
export function readLintRequest(inputs: Inputs, env: NodeJS.ProcessEnv): Omit<LintRequest, 'sarifFile'> {
  const categoryPrefix = inputs.string('category-prefix', { default: 'lint' }).trim();
  if (!CATEGORY.test(categoryPrefix)) {
    throw new InputError(
      'category-prefix',
      `${inputs.label('category-prefix')} must be letters, digits, '.', '_' or '-', in '/'-separated parts (e.g. lint or lint/backend), got '${categoryPrefix}'.`,
    );
  }
  return {
    requested: readLinters(inputs),
    required: readRequired(inputs),
    scope: readScope(inputs, env),
    base: inputs.string('base')?.trim() || undefined,
    fix: inputs.boolean('fix', false),
    allowFixOnDefaultBranch: inputs.boolean('allow-fix-on-default-branch', false),
    categoryPrefix,
  };
}

export interface LintResult {
  runs: LinterRun[];
  passed: boolean;
  scope: ScopeReport;
  sarifFile?: string;
}

/**
 * Lints: checks fix mode is allowed and finds the changed files (changed scope), runs the linters,
 * writes the SARIF file when asked. `labels` name the inputs in messages (`Input 'fix'` or `--fix`).
 */
export async function lint(ctx: LintContext, request: LintRequest, label: (name: string) => string): Promise<LintResult> {
  if (request.fix)
    await checkFixAllowed(ctx, request.allowFixOnDefaultBranch, { fix: label('fix'), allow: label('allow-fix-on-default-branch') });
  const base =
    request.scope === 'changed'
      ? baseOf(request.base, await readEvent(ctx.env), { base: label('base'), scope: label('scope') })
      : undefined;
  const scope = await resolveScope(ctx, request.scope, base);
  const runs = await runLinters({ ...ctx, fix: request.fix }, request.requested, request.required, scope);
  for (const run of runs) if (run.fixed?.patch) ctx.log.info(`Fixes by ${run.linter}:\n${run.fixed.patch}`);
  if (request.sarifFile) {
    const { lintSarif } = await import('./sarif.ts');
    const sarif = lintSarif(runs, { categoryPrefix: request.categoryPrefix, linters: ALL_LINTERS });
    await mkdir(path.dirname(request.sarifFile), { recursive: true });
    await writeFile(request.sarifFile, `${JSON.stringify(sarif, null, 2)}\n`);
  }
  return { runs, passed: lintPassed(runs), scope, ...(request.sarifFile ? { sarifFile: request.sarifFile } : {}) };
}
