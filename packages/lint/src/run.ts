import { errorMessage, findOnPath, type Inputs } from '@pipeline-toolkit/core';
import { actionlint } from './linters/actionlint.ts';
import { eslint } from './linters/eslint.ts';
import { helm } from './linters/helm.ts';
import { memoryBank } from './linters/memory-bank.ts';
import { hadolint } from './linters/hadolint.ts';
import { mypy } from './linters/mypy.ts';
import { ruff } from './linters/ruff.ts';
import { shellcheck } from './linters/shellcheck.ts';
import { yamllint } from './linters/yamllint.ts';
import { FIXERS, fixReport, snapshot } from './fix.ts';
import { count } from './report.ts';
import type { ScopeReport } from './scope.ts';
import { LINTERS, type LintContext, type Linter, type LinterName, type LinterRun } from './model.ts';

/** The registry: one module per linter. Everything user-facing (inputs, docs, outputs) follows this list. */
export const ALL_LINTERS: readonly Linter[] = [ruff, eslint, actionlint, helm, memoryBank, yamllint, mypy, shellcheck, hadolint];

/** The `linters` input (action) or `--linters` flag (CLI): `auto`, or a list of linter names. */
export function readLinters(inputs: Inputs): readonly LinterName[] | 'auto' {
  const list = inputs.enumList('linters', ['auto', ...LINTERS]);
  if (!list.length || list.includes('auto')) return 'auto';
  return list as LinterName[];
}

/** The `require` input / `--require` flag: linters that must run — one not installed fails lint. */
export function readRequired(inputs: Inputs): LinterName[] {
  return inputs.enumList('require', LINTERS);
}

/** The linters to run: the requested ones, or (`auto`) those for which the repository has files. */
export async function selectLinters(
  ctx: LintContext,
  requested: readonly LinterName[] | 'auto',
  required: readonly LinterName[] = [],
): Promise<Linter[]> {
  if (requested !== 'auto') return ALL_LINTERS.filter((l) => requested.includes(l.name) || required.includes(l.name));
  const applies = await Promise.all(ALL_LINTERS.map((l) => l.applies(ctx)));
  return ALL_LINTERS.filter((l, i) => applies[i] || required.includes(l.name));
}

async function runOne(ctx: LintContext, linter: Linter, required: boolean, files?: readonly string[]): Promise<LinterRun> {
  const start = performance.now();
  const elapsed = () => Math.round(performance.now() - start);
  const program = linter.program?.(ctx);
  if (program && !findOnPath(program, ctx.env)) {
    return {
      linter: linter.name,
      required,
      outcome: 'missing',
      findings: [],
      detail: `${linter.name} is not installed (looked for '${program}' on PATH). To install it: ${linter.install}.`,
      durationMs: elapsed(),
    };
  }
  try {
    const fixing = ctx.fix === true && FIXERS.includes(linter.name);
    const before = fixing ? await snapshot(ctx.cwd, files ?? (await linter.files(ctx))) : undefined;
    const findings = await linter.run(ctx, files);
    const fixed = before ? await fixReport(ctx, before) : undefined;
    return { linter: linter.name, required, outcome: 'ran', findings, durationMs: elapsed(), ...(fixed ? { fixed } : {}) };
  } catch (error) {
    return { linter: linter.name, required, outcome: 'failed', findings: [], detail: errorMessage(error), durationMs: elapsed() };
  }
}

/**
 * Runs the linters one after another (they are CPU-bound; running them together only slows each).
 * A linter is required — not installed fails lint — when it is named in `requested` or `required`;
 * one found by `auto` that is not installed is skipped with a warning. With a changed-files scope,
 * each linter gets its changed files (one with none does not run), and the scope's counts are
 * filled in: lintable files linted, and lintable files skipped because they did not change.
 */
export async function runLinters(
  ctx: LintContext,
  requested: readonly LinterName[] | 'auto',
  required: readonly LinterName[] = [],
  scope: ScopeReport = { mode: 'all' },
): Promise<LinterRun[]> {
  const runs: LinterRun[] = [];
  const changed = scope.mode === 'changed' ? new Set(scope.changed) : undefined;
  const lintable = new Set<string>();
  for (const linter of await selectLinters(ctx, requested, required)) {
    const must = requested !== 'auto' || required.includes(linter.name);
    let files: string[] | undefined;
    if (changed) {
      const all = await linter.files(ctx);
      for (const f of all) lintable.add(f);
      files = all.filter((f) => changed.has(f));
      if (!files.length) {
        runs.push({ linter: linter.name, required: must, outcome: 'unchanged', findings: [], durationMs: 0 });
        continue;
      }
    }
    runs.push(await ctx.log.group(`Lint: ${linter.name}`, () => runOne(ctx, linter, must, files)));
  }
  if (scope.mode === 'changed') {
    scope.linted = [...lintable].filter((f) => changed?.has(f)).length;
    scope.skipped = lintable.size - scope.linted;
  }
  return runs;
}

/** The linters that did not run because they are not installed and were not required. */
export function skippedLinters(runs: readonly LinterRun[]): LinterName[] {
  return runs.filter((r) => r.outcome === 'missing' && !r.required).map((r) => r.linter);
}

/** Lint fails on any error finding, on a linter that could not run, and on a requested linter that is missing. */
export function lintPassed(runs: readonly LinterRun[]): boolean {
  return runs.every(
    (r) =>
      (r.outcome === 'missing' ? !r.required : r.outcome === 'ran' || r.outcome === 'unchanged') &&
      !r.findings.some((f) => f.severity === 'error'),
  );
}

/** Why lint failed, in one line: error counts per linter and the linters that could not run. */
export function lintFailure(runs: readonly LinterRun[]): string {
  const reasons = runs.flatMap((r) => {
    const errors = count(r, 'error');
    if (r.outcome === 'failed') return [`${r.linter} could not run`];
    if (r.outcome === 'missing') return r.required ? [`${r.linter} is not installed`] : [];
    return errors ? [`${r.linter}: ${errors} error(s)`] : [];
  });
  return `Lint failed (${reasons.join('; ')}); see the annotations and the job summary.`;
}
