import { existsSync, readFileSync } from 'node:fs';
import { parseRepository, type Repository } from './github.ts';

/** What the run knows about itself: GITHUB_* variables and the event payload. */
export interface RunContext {
  workspace: string;
  repository?: Repository | undefined;
  serverUrl: string;
  apiUrl: string;
  runId?: string | undefined;
  sha?: string | undefined;
  ref?: string | undefined;
  baseRef?: string | undefined;
  event: GitHubEvent;
}

export interface EventPull {
  number: number;
  title: string;
  html_url: string;
  merged?: boolean;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  user?: { login?: string };
}
interface GitHubEvent {
  number?: number;
  pull_request?: EventPull;
  repository?: { default_branch?: string };
}

export function runContext(env: NodeJS.ProcessEnv, cwd = process.cwd()): RunContext {
  const eventPath = env['GITHUB_EVENT_PATH'];
  const event = eventPath && existsSync(eventPath) ? (JSON.parse(readFileSync(eventPath, 'utf8') || '{}') as GitHubEvent) : {};
  return {
    workspace: env['GITHUB_WORKSPACE'] || cwd,
    repository: env['GITHUB_REPOSITORY'] ? parseRepository(env['GITHUB_REPOSITORY'], 'GITHUB_REPOSITORY') : undefined,
    serverUrl: (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/$/, ''),
    apiUrl: (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/$/, ''),
    runId: env['GITHUB_RUN_ID'] || undefined,
    sha: env['GITHUB_SHA'] || undefined,
    ref: env['GITHUB_REF'] || undefined,
    baseRef: env['GITHUB_BASE_REF'] || undefined,
    event,
  };
}
