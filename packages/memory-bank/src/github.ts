import {
  DEFAULT_REQUEST_POLICY,
  ExternalError,
  guardedFetch,
  InputError,
  requestFailure,
  type RequestPolicy,
} from '@pipeline-toolkit/core';

/**
 * The few GitHub REST calls the memory bank makes, through Octokit (@actions/github), loaded only
 * when a call is about to be made: reading and validating inputs never pays for it.
 */
export interface GitHub {
  /** `path` is a literal API path (`/repos/o/r/pulls`); query parameters go in `params` for GET. */
  request<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, params?: Record<string, unknown>): Promise<T>;
  /** All pages of a list endpoint. */
  paginate<T>(path: string, params?: Record<string, unknown>): Promise<T[]>;
}

export interface Repository {
  owner: string;
  repo: string;
}

/** An API answer other than 2xx; `status` lets callers treat 404 or 409/422 as expected outcomes. */
export class GitHubError extends ExternalError {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'GitHubError';
    this.status = status;
  }
}

export function repoPath(repository: Repository): string {
  return `/repos/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.repo)}`;
}

/** `heads/feature/x` with each segment encoded, for the git refs API. */
export function refPath(ref: string): string {
  return ref.split('/').map(encodeURIComponent).join('/');
}

export function parseRepository(value: string, input = 'repository'): Repository {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value.trim());
  if (!match) throw new InputError(input, `'${value}' is not a repository: expected owner/name.`);
  return { owner: match[1] as string, repo: match[2] as string };
}

/** owner/name from a remote URL (`git@github.com:o/r.git`, `https://github.example.com/o/r`). */
export function repositoryFromRemote(url: string): Repository | undefined {
  const match = /[:/]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match ? { owner: match[1] as string, repo: match[2] as string } : undefined;
}

export async function createGitHub(
  token: string,
  baseUrl = process.env['GITHUB_API_URL'] || 'https://api.github.com',
  policy: RequestPolicy = DEFAULT_REQUEST_POLICY,
): Promise<GitHub> {
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(token, { baseUrl, request: { fetch: guardedFetch(policy) } });
  const call = async <T>(fn: () => Promise<T>, what: string): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      // Octokit wraps its fetch's errors as HTTP 500: a timeout is said as a timeout.
      const failure = requestFailure(error);
      if (failure) throw failure;
      const status = (error as { status?: number }).status;
      if (typeof status !== 'number') throw new ExternalError(`GitHub API ${what} failed: ${(error as Error).message}`, { cause: error });
      const detail = (error as { response?: { data?: { message?: string } } }).response?.data?.message ?? (error as Error).message;
      throw new GitHubError(status, `GitHub API ${what} answered ${status}: ${detail}`);
    }
  };
  return {
    request: <T>(method: string, path: string, params: Record<string, unknown> = {}) =>
      call(async () => (await octokit.request(`${method} ${path}`, params)).data as T, `${method} ${path}`),
    paginate: <T>(path: string, params: Record<string, unknown> = {}) =>
      call(async () => (await octokit.paginate(`GET ${path}`, { per_page: 100, ...params })) as T[], `GET ${path}`),
  };
}
