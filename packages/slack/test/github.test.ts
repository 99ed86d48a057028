import { afterEach, describe, expect, it } from '@jest/globals';
import { failedJobsOf, githubRunsApi, outcomeOf } from '@pipeline-toolkit/slack';
import { runHistory, runJobs, startGitHub, type GitHubStandIn } from './fakes.ts';

const ref = { owner: 'acme', repo: 'shop', runId: 9876543210, attempt: 1 };
let github: GitHubStandIn | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

describe('githubRunsApi against a GitHub API stand-in', () => {
  it('lists the failed jobs of the attempt across pages, with first failed step and link, leaving out the running job', async () => {
    github = await startGitHub({ pageSize: 2 });
    const jobs = await githubRunsApi(github.token, github.url).failedJobs({ ...ref, attempt: 2 });
    expect(jobs).toEqual([
      {
        name: 'test (ubuntu-latest, 24)',
        conclusion: 'failure',
        step: 'Run tests',
        url: 'https://github.com/acme/shop/actions/runs/9876543210/job/3',
      },
      {
        name: 'deploy / blue-green',
        conclusion: 'cancelled',
        step: 'Wait for rollout',
        url: 'https://github.com/acme/shop/actions/runs/9876543210/job/5',
      },
      { name: 'e2e', conclusion: 'timed_out', step: 'Run e2e', url: 'https://github.com/acme/shop/actions/runs/9876543210/job/6' },
    ]);
    const urls = github.requests.map((r) => r.url);
    expect(urls).toHaveLength(4); // 7 jobs, 2 per page: followed every Link rel="next"
    expect(urls[0]).toBe('/repos/acme/shop/actions/runs/9876543210/attempts/2/jobs?per_page=100');
    expect(urls[3]).toContain('page=4');
    expect(github.requests[0]?.headers.authorization).toBe(`token ${github.token}`);
  });

  it('fails with the API error when the token is refused', async () => {
    github = await startGitHub({ token: 'ghs_theRightToken0000000000000000000000' });
    await expect(githubRunsApi('ghs_aWrongToken00000000000000000000000000', github.url).failedJobs(ref)).rejects.toThrow('Bad credentials');
  });

  it('finds the outcome of the previous completed run of the same workflow on the same branch', async () => {
    github = await startGitHub({ runs: runHistory('success') });
    const api = githubRunsApi(github.token, github.url);
    expect(await api.previousOutcome(ref)).toBe('success');
    expect(github.requests.map((r) => r.url)).toEqual([
      '/repos/acme/shop/actions/runs/9876543210',
      '/repos/acme/shop/actions/workflows/7/runs?branch=main&status=completed&per_page=30',
    ]);
  });

  it('skips runs whose conclusion says nothing (skipped, neutral) and in-progress ones', async () => {
    github = await startGitHub({ runs: runHistory('skipped') });
    expect(await githubRunsApi(github.token, github.url).previousOutcome(ref)).toBe('failure');
    await github.close();
    github = await startGitHub({ runs: runHistory(null) });
    expect(await githubRunsApi(github.token, github.url).previousOutcome(ref)).toBe('failure');
  });

  it('has no previous outcome for the first run on a branch', async () => {
    github = await startGitHub({ runs: runHistory('success').filter((r) => r.run_number >= 42) });
    expect(await githubRunsApi(github.token, github.url).previousOutcome(ref)).toBeUndefined();
  });
});

describe('job and run mapping', () => {
  it('prefers a failed step over a cancelled one and keeps jobs without steps', () => {
    expect(failedJobsOf([{ name: 'x', status: 'completed', conclusion: 'failure', html_url: null }])).toEqual([
      { name: 'x', conclusion: 'failure' },
    ]);
    expect(failedJobsOf(runJobs()).map((j) => j.name)).not.toContain('notify');
    expect(outcomeOf('startup_failure')).toBe('failure');
    expect(outcomeOf('neutral')).toBeUndefined();
  });
});
