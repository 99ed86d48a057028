import { codeBlock, details, formatDuration, heading, table, type Logger } from '@pipeline-toolkit/core';
import type { LintFinding, LinterRun } from './model.ts';
import type { ScopeReport } from './scope.ts';

/** GitHub shows at most 10 error and 10 warning annotations per step; a few more are kept for the log. */
const ANNOTATIONS_PER_LEVEL = 50;
const SUMMARY_FINDINGS = 100;
/** The fix diff shown in the job summary (which holds at most 1 MiB); the whole diff is in the log. */
const SUMMARY_DIFF_CHARS = 60_000;

/** How many of a linter's findings have this severity. */
export const count = (run: LinterRun, severity: LintFinding['severity']) => run.findings.filter((f) => f.severity === severity).length;

/** Not installed and not required: the linter did not run and lint does not fail for it. */
const skipped = (run: LinterRun) => run.outcome === 'missing' && !run.required;

/** The files fix mode changed, relative to the workspace root. */
export const fixedFiles = (runs: readonly LinterRun[]) => [...new Set(runs.flatMap((r) => r.fixed?.files ?? []))].sort();

/** The lint step's outputs: the result, error and warning totals, the counts per linter, scope and fixes. */
export function lintOutputs(runs: readonly LinterRun[], passed: boolean, scope: ScopeReport = { mode: 'all' }) {
  const errors = runs.reduce((sum, r) => sum + count(r, 'error'), 0);
  const findings = runs.reduce((sum, r) => sum + r.findings.length, 0);
  return {
    result: passed ? 'passed' : 'failed',
    errors,
    warnings: findings - errors,
    skipped: runs
      .filter(skipped)
      .map((r) => r.linter)
      .join(','),
    linters: runs.map((r) => ({
      linter: r.linter,
      outcome: skipped(r) ? 'skipped' : r.outcome,
      errors: count(r, 'error'),
      warnings: count(r, 'warning'),
    })),
    scope: scope.mode,
    'skipped-files': scope.mode === 'changed' ? scope.skipped : 0,
    'fixed-files': fixedFiles(runs).join(','),
  };
}

/** One annotation per finding, errors first, on the file and line it names. */
export function annotate(log: Logger, runs: readonly LinterRun[]): void {
  const findings = runs.flatMap((r) => r.findings);
  for (const severity of ['error', 'warning'] as const) {
    for (const f of findings.filter((x) => x.severity === severity).slice(0, ANNOTATIONS_PER_LEVEL)) {
      const message = `${f.message}${f.rule ? ` (${f.linter} ${f.rule})` : ` (${f.linter})`}`;
      log[severity](message, {
        title: `${f.linter}${f.rule ? ` ${f.rule}` : ''}`,
        file: f.file,
        line: f.line,
        col: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
      });
    }
  }
  for (const run of runs) {
    if (run.outcome === 'ran' || !run.detail) continue;
    const level = run.outcome === 'missing' && !run.required ? 'warning' : 'error';
    const title = run.outcome === 'failed' ? 'could not run' : run.required ? 'not installed' : 'skipped (not installed)';
    log[level](run.detail, { title: `${run.linter} ${title}` });
  }
}

const status = (run: LinterRun) =>
  run.outcome === 'missing'
    ? run.required
      ? '❌ not installed'
      : '⚠️ skipped (not installed)'
    : run.outcome === 'failed'
      ? '❌ could not run'
      : run.outcome === 'unchanged'
        ? '⏭️ no changed files'
        : count(run, 'error')
          ? '❌ errors'
          : '✅ clean';

/** `Lint passed`, or `Lint passed, 2 of 3 linters skipped (not installed)`: never a clean pass that was not one. */
export function headline(runs: readonly LinterRun[], passed: boolean): string {
  const left = runs.filter(skipped).length;
  return `Lint ${passed ? 'passed' : 'failed'}${left ? `, ${left} of ${runs.length} linter${runs.length === 1 ? '' : 's'} skipped (not installed)` : ''}`;
}

/** One line on what was linted: every file, or the changed ones and how many unchanged files were skipped. */
export function scopeLine(scope: ScopeReport): string | undefined {
  if (scope.mode === 'all') return scope.fallback;
  const base = /^[0-9a-f]{40,64}$/.test(scope.base) ? scope.base.slice(0, 12) : scope.base;
  return `Changed files only (compared with \`${base}\`): ${scope.linted} changed file(s) linted, ${scope.skipped} unchanged file(s) skipped.`;
}

function fixSection(runs: readonly LinterRun[]): string | undefined {
  const fixing = runs.filter((r) => r.fixed);
  if (!fixing.length) return undefined;
  const files = fixedFiles(runs);
  if (!files.length) return `Fix mode: ${fixing.map((r) => r.linter).join(' and ')} had nothing to fix.\n`;
  const patch = fixing.map((r) => r.fixed?.patch ?? '').join('');
  const shown =
    patch.length > SUMMARY_DIFF_CHARS ? `${patch.slice(0, SUMMARY_DIFF_CHARS)}\n… (diff cut; the whole diff is in the log)` : patch;
  return details(`Fixes applied to ${files.length} file(s): ${files.join(', ')}`, codeBlock(shown, 'diff'));
}

export function lintSummary(runs: readonly LinterRun[], passed: boolean, scope: ScopeReport = { mode: 'all' }): string {
  const line = scopeLine(scope);
  if (!runs.length)
    return `${heading('Lint')}\n${line ? `${line}\n\n` : ''}No linter applies to this repository (no Python, ESLint config, workflows, charts, YAML, shell scripts, Dockerfiles or memory bank found).\n`;
  const parts = [
    heading(headline(runs, passed)),
    ...(line ? [`${line}\n`] : []),
    table(
      ['Linter', 'Result', 'Errors', 'Warnings', 'Time'],
      runs.map((r) => [r.linter, status(r), count(r, 'error'), count(r, 'warning'), formatDuration(r.durationMs)]),
    ),
  ];
  const fixes = fixSection(runs);
  if (fixes) parts.push(fixes);
  const problems = runs.filter((r) => r.outcome !== 'ran' && r.detail);
  if (problems.length) parts.push(problems.map((r) => `- **${r.linter}**: ${r.detail}`).join('\n') + '\n');
  const findings = runs.flatMap((r) => r.findings);
  if (findings.length) {
    const shown = findings.slice(0, SUMMARY_FINDINGS);
    const rows = shown.map((f) => [f.severity, `${f.file}${f.line ? `:${f.line}` : ''}`, f.linter, f.rule ?? '', f.message]);
    const more = findings.length > shown.length ? `\n${findings.length - shown.length} more not shown.\n` : '';
    parts.push(details(`${findings.length} finding(s)`, table(['Severity', 'Where', 'Linter', 'Rule', 'Message'], rows) + more));
  }
  return parts.join('\n');
}
