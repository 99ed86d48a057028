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
  /** `scope` was given (not the pull-request default): without a base to compare with it is an error, not a fallback. */
  scopeGiven?: boolean;
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
  const base = inputs.string('base')?.trim() || undefined;
  if (base && !/^[^\s-][^\s]*$/.test(base)) {
    throw new InputError('base', `${inputs.label('base')} must be a branch, tag or commit (e.g. main or a commit SHA), got '${base}'.`);
  }
  return {
    requested: readLinters(inputs),
    required: readRequired(inputs),
    scope: readScope(inputs, env),
    scopeGiven: !!inputs.string('scope')?.trim(),
    base,
    fix: inputs.boolean('fix', false),
    allowFixOnDefaultBranch: inputs.boolean('allow-fix-on-default-branch', false),
    categoryPrefix,
  };
}

/** The scope to lint: changed files since the base, or all (the pull-request default falls back to all without a base). */
async function chooseScope(ctx: LintContext, request: LintRequest, label: (name: string) => string): Promise<ScopeReport> {
  if (request.scope === 'all') return { mode: 'all' };
  const event = await readEvent(ctx.env);
  const labels = { base: label('base'), scope: label('scope') };
  let base: string;
  try {
    base = baseOf(request.base, event, labels);
  } catch (error) {
    if (request.scopeGiven) throw error;
    const fallback = 'The event names no base commit to compare with: linting all files.';
    ctx.log.info(fallback);
    return { mode: 'all', fallback };
  }
  return resolveScope(ctx, 'changed', base);
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
  const scope = await chooseScope(ctx, request, label);
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
