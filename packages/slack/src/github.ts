import { DEFAULT_REQUEST_POLICY, guardedFetch, type RequestPolicy } from '@pipeline-toolkit/core';
import type { getOctokit } from '@actions/github';
import type { FailedJob, Status } from './model.ts';

/** The workflow run a notification is about, as the GitHub API names it. */
export interface RunRef {
  owner: string;
  repo: string;
  runId: number;
  attempt: number;
}

/** The two questions the notifier asks the GitHub API. Injected, so that tests can answer them. */
export interface RunsApi {
  /** Jobs of this attempt that failed, were cancelled or timed out, each with its first failed step. */
  failedJobs(run: RunRef): Promise<FailedJob[]>;
  /** The outcome of the previous completed run of the same workflow on the same branch, if there is one. */
  previousOutcome(run: RunRef): Promise<Status | undefined>;
  /**
   * The required reviewers of a deployment environment (GitHub logins, and teams as `org/slug`),
   * from its protection rules; empty when it has none. Optional: a caller may know no API for it.
   */
  requiredReviewers?(run: RunRef, environment: string): Promise<string[]>;
}

interface ApiEnvironment {
  protection_rules?: {
    type?: string;
    reviewers?: { type?: string; reviewer?: { login?: string; slug?: string } | null }[];
  }[];
}

/** Reviewers of an environment answer: users by login, teams as `<owner>/<slug>` (a team of the repository's organisation). */
export function reviewersOf(environment: ApiEnvironment, owner: string): string[] {
  const names: string[] = [];
  for (const rule of environment.protection_rules ?? []) {
    if (rule.type !== 'required_reviewers') continue;
    for (const { type, reviewer } of rule.reviewers ?? []) {
      if (type === 'User' && reviewer?.login) names.push(reviewer.login);
      else if (type === 'Team' && reviewer?.slug) names.push(`${owner}/${reviewer.slug}`);
    }
  }
  return [...new Set(names)];
}

interface ApiStep {
  name: string;
  conclusion: string | null;
  number: number;
}
interface ApiJob {
  name: string;
  status: string;
  conclusion: string | null;
  html_url: string | null;
  steps?: ApiStep[];
}
interface ApiRun {
  id: number;
  run_number: number;
  workflow_id: number;
  head_branch: string | null;
  conclusion: string | null;
}

const FAILED = ['failure', 'cancelled', 'timed_out'];

/** Failed jobs of a jobs listing. Jobs still running (the notifying job itself) are left out. */
export function failedJobsOf(jobs: readonly ApiJob[]): FailedJob[] {
  return jobs
    .filter((job) => job.status === 'completed' && job.conclusion !== null && FAILED.includes(job.conclusion))
    .map((job) => {
      const steps = [...(job.steps ?? [])].sort((a, b) => a.number - b.number);
      const step =
        steps.find((s) => s.conclusion === 'failure') ?? steps.find((s) => s.conclusion !== null && FAILED.includes(s.conclusion));
      return {
        name: job.name,
        conclusion: job.conclusion as string,
        ...(step ? { step: step.name } : {}),
        ...(job.html_url ? { url: job.html_url } : {}),
      };
    });
}

/** A run conclusion as a notification status; neutral, skipped, stale … say nothing about success. */
export function outcomeOf(conclusion: string | null): Status | undefined {
  if (conclusion === 'success') return 'success';
  if (conclusion === 'failure' || conclusion === 'timed_out' || conclusion === 'startup_failure') return 'failure';
  if (conclusion === 'cancelled') return 'cancelled';
  return undefined;
}

/**
 * The GitHub REST implementation. Octokit (with its HTTP stack) is imported on the first call
 * only, so that validating inputs, dry runs and success messages never load it. `baseUrl` is
 * GITHUB_API_URL, so GitHub Enterprise Server works the same way.
 */
export function githubRunsApi(token: string, baseUrl: string, policy: RequestPolicy = DEFAULT_REQUEST_POLICY): RunsApi {
  let client: Promise<Octokit> | undefined;
  const octokit = () =>
    (client ??= import('@actions/github').then(({ getOctokit }) =>
      getOctokit(token, { baseUrl, request: { fetch: guardedFetch(policy) } }),
    ));
  return {
    async failedJobs(run) {
      const api = await octokit();
      const jobs: ApiJob[] = await api.paginate('GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs', {
        owner: run.owner,
        repo: run.repo,
        run_id: run.runId,
        attempt_number: run.attempt,
        per_page: 100,
      });
      return failedJobsOf(jobs);
    },
    async previousOutcome(run) {
      const api = await octokit();
      const { data: current } = (await api.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
        owner: run.owner,
        repo: run.repo,
        run_id: run.runId,
      })) as { data: ApiRun };
      if (!current.head_branch) return undefined;
      const { data } = (await api.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
        owner: run.owner,
        repo: run.repo,
        workflow_id: current.workflow_id,
        branch: current.head_branch,
        status: 'completed',
        per_page: 30,
      })) as { data: { workflow_runs: ApiRun[] } };
      const previous = data.workflow_runs
        .filter((r) => r.id !== current.id && r.run_number < current.run_number)
        .sort((a, b) => b.run_number - a.run_number)
        .find((r) => outcomeOf(r.conclusion) !== undefined);
      return previous ? outcomeOf(previous.conclusion) : undefined;
    },
    async requiredReviewers(run, environment) {
      const api = await octokit();
      const { data } = (await api.request('GET /repos/{owner}/{repo}/environments/{environment_name}', {
        owner: run.owner,
        repo: run.repo,
        environment_name: environment,
      })) as { data: ApiEnvironment };
      return reviewersOf(data, run.owner);
    },
  };
}

type Octokit = ReturnType<typeof getOctokit>;
