export { ALL_LINTERS, readLinters, readRequired, skippedLinters, selectLinters, runLinters, lintPassed, lintFailure } from './run.ts';
export { annotate, fixedFiles, headline, lintOutputs, lintSummary, scopeLine } from './report.ts';
export { lint, readLintRequest, type LintRequest, type LintResult } from './lint.ts';
export { lintSarif, type LintSarifOptions } from './sarif.ts';
export { changedFiles, readScope, resolveScope, type ScopeMode, type ScopeReport } from './scope.ts';
export { checkFixAllowed, fixReport, snapshot, FIXERS } from './fix.ts';
export { parseHelmLint } from './linters/helm.ts';
export { parseYamllint, DEFAULT_YAMLLINT_CONFIG } from './linters/yamllint.ts';
export { LINTERS, type LintContext, type LintFinding, type Linter, type LinterName, type LinterRun } from './model.ts';
