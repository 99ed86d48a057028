export { ALL_LINTERS, readLinters, readRequired, skippedLinters, selectLinters, runLinters, lintPassed, lintFailure } from './run.ts';
export { annotate, headline, lintOutputs, lintSummary } from './report.ts';
export { parseHelmLint } from './linters/helm.ts';
export { LINTERS, type LintContext, type LintFinding, type Linter, type LinterName, type LinterRun } from './model.ts';
