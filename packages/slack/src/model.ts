import { stripChar } from '@pipeline-toolkit/core';

/** The message model: what a notification says, independent of how Slack renders it. */

export const STATUSES = ['success', 'failure', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

export const LANGUAGES = ['en', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A job of the run that did not succeed, with where it failed and a link to its log. */
export interface FailedJob {
  name: string;
  /** failure, cancelled or timed_out (API) / failure or cancelled (needs). */
  conclusion: string;
  /** The first step that failed, when the GitHub API was asked. */
  step?: string;
  url?: string;
}

/** Counts and failed critical checks from a smoke-test result. */
export interface SmokeSummary {
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
  failedCritical: string[];
}

/** The workflow run being reported on, from the runner's GITHUB_* variables. */
export interface RunContext {
  serverUrl: string;
  apiUrl: string;
  repository?: string;
  branch?: string;
  sha?: string;
  runId?: string;
  runNumber?: string;
  runAttempt?: string;
  workflow?: string;
}

/**
 * The security scan's findings against its baseline (the security-scan action's new, fixed and
 * unchanged outputs). Without a baseline only `new` means something: every finding, none of them
 * known to be new.
 */
export interface SecuritySummary {
  new: number;
  fixed: number;
  unchanged: number;
  baseline: boolean;
}

export interface Message {
  status: Status;
  language: Language;
  title?: string;
  environmentUrl?: string;
  run: RunContext;
  failedJobs: FailedJob[];
  smoke?: SmokeSummary;
  /** Shown only when a scan ran. */
  security?: SecuritySummary;
  /** Slack mention tokens (`<!here>`, `<@U123>` …) already validated; used on failure only. */
  mentions: string[];
}

export function runContext(env: NodeJS.ProcessEnv): RunContext {
  const value = (name: string) => env[name]?.trim() || undefined;
  return {
    serverUrl: stripChar(value('GITHUB_SERVER_URL') ?? 'https://github.com', '/', 'end'),
    apiUrl: stripChar(value('GITHUB_API_URL') ?? 'https://api.github.com', '/', 'end'),
    repository: value('GITHUB_REPOSITORY'),
    // On pull_request events GITHUB_REF_NAME is `<n>/merge`; the head branch is what people recognise.
    branch: value('GITHUB_HEAD_REF') ?? value('GITHUB_REF_NAME'),
    sha: value('GITHUB_SHA'),
    runId: value('GITHUB_RUN_ID'),
    runNumber: value('GITHUB_RUN_NUMBER'),
    runAttempt: value('GITHUB_RUN_ATTEMPT'),
    workflow: value('GITHUB_WORKFLOW'),
  };
}
