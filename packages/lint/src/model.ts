import type { Exec, Logger } from '@pipeline-toolkit/core';

export const LINTERS = ['ruff', 'eslint', 'actionlint', 'helm', 'memory-bank'] as const;
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
  /** `ran`: the linter ran (findings may be empty); `missing`: not installed; `failed`: it could not lint. */
  outcome: 'ran' | 'missing' | 'failed';
  findings: LintFinding[];
  /** For missing/failed: what happened and what to do. */
  detail?: string;
  /** Asked for by name: if it cannot run, lint fails. Linters found by auto-detection only warn when missing. */
  required: boolean;
  durationMs: number;
}

export interface LintContext {
  /** The directory to lint (the repository or its working directory). */
  cwd: string;
  /** Paths in findings are made relative to this (GITHUB_WORKSPACE, else cwd). */
  root: string;
  exec: Exec;
  log: Logger;
  env: NodeJS.ProcessEnv;
}

export interface Linter {
  name: LinterName;
  /** The program it needs on PATH (undefined when it runs in-process). */
  program?: (ctx: LintContext) => string;
  /** How to install the program, shown when it is missing. */
  install: string;
  /** Whether the repository has something for this linter to check. */
  applies(ctx: LintContext): Promise<boolean>;
  run(ctx: LintContext): Promise<LintFinding[]>;
}
