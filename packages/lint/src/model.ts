import type { Exec, Logger } from '@pipeline-toolkit/core';

export const LINTERS = ['ruff', 'eslint', 'actionlint', 'helm', 'memory-bank', 'yamllint', 'mypy', 'shellcheck', 'hadolint'] as const;
export type LinterName = (typeof LINTERS)[number];

/** One problem a linter reported, with a path relative to the workspace (as annotations need). */
export interface LintFinding {
  linter: LinterName;
  severity: 'error' | 'warning';
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  rule?: string;
  message: string;
}

export interface LinterRun {
  linter: LinterName;
  /**
   * `ran`: the linter ran (findings may be empty); `missing`: not installed; `failed`: it could not
   * lint; `unchanged`: changed-files scope and none of its files changed, so it did not run.
   */
  outcome: 'ran' | 'missing' | 'failed' | 'unchanged';
  findings: LintFinding[];
  /** For missing/failed: what happened and what to do. */
  detail?: string;
  /** Asked for by name: if it cannot run, lint fails. Linters found by auto-detection only warn when missing. */
  required: boolean;
  durationMs: number;
  /** Fix mode: the files its fixes changed and their diff. */
  fixed?: { files: string[]; patch: string };
}

export interface LintContext {
  /** The directory to lint (the repository or its working directory). */
  cwd: string;
  /** Paths in findings are made relative to this (GITHUB_WORKSPACE, else cwd). */
  root: string;
  exec: Exec;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Fix mode: linters that can fix (ruff, ESLint) apply their fixes and report what is left. */
  fix?: boolean;
}

export interface Linter {
  name: LinterName;
  /** The tool's own name and home page (the SARIF run's driver). */
  tool: string;
  homepage?: string;
  /** The program it needs on PATH (undefined when it runs in-process). */
  program?: (ctx: LintContext) => string;
  /** How to install the program, shown when it is missing. */
  install: string;
  /** Whether the repository has something for this linter to check. */
  applies(ctx: LintContext): Promise<boolean>;
  /** The files it checks, relative to cwd with forward slashes: changed-files scope picks among them. */
  files(ctx: LintContext): Promise<string[]>;
  /**
   * Lints the project, or only `files` (a non-empty subset of files(), the changed ones). A linter
   * that needs the whole project lints it and keeps the findings on those files.
   */
  run(ctx: LintContext, files?: readonly string[]): Promise<LintFinding[]>;
}
