/**
 * Smoke tests: load a suite (a smoke.yml file or the built-in default), run it against a target,
 * report the result (console, JSON, JUnit, job summary). Heavy modules (yaml, zod, pg,
 * fast-xml-parser) are loaded only on the paths that use them.
 */
export { loadSuite, DEFAULT_CONFIG, type LoadOptions } from './suite.ts';
export { defaultSuite } from './defaults.ts';
export { runSuite, type RunOptions } from './runner.ts';
export { cancelOnSignals } from './cancel.ts';
export { resolveTarget, normalisedOrigin, type ResolvedTarget } from './target.ts';
export { readSmokeInputs, type SmokeInputs } from './options.ts';
export { jsonReport, type JsonReport } from './report/json.ts';
export { junitReport } from './report/junit.ts';
export { smokeFailure, summaryMarkdown } from './report/summary.ts';
export { writeReports } from './report/files.ts';
export type { Check, CheckKind, CheckResult, CheckStatus, Suite, SuiteResult, SuiteSummary } from './model.ts';
