import type { Exec } from '@pipeline-toolkit/core';
import type { ResolvedTarget } from '../target.ts';

/** What a check needs to run one attempt. */
export interface CheckContext {
  target: ResolvedTarget;
  env: Readonly<Record<string, string>>;
  timeoutMs: number;
  cwd: string;
  exec: Exec;
  /** Aborts a running request (the run was cancelled). */
  signal?: AbortSignal;
  /** Hides registered secrets in text quoted from an answer. */
  redact?: (text: string) => string;
  /** The URL to report instead of the requested one (captures are not shown). */
  reportedUrl?: string;
}
