import { cutText, errorMessage, type Logger } from '@pipeline-toolkit/core';

/** A GitHub Deployment of one run to one environment; its statuses carry the environment URL. */
export interface GitHubDeploymentTarget {
  token: string;
  apiUrl: string;
  /** owner/name */
  repository: string;
  /** The commit deployed. */
  ref: string;
  environment: string;
  logUrl?: string;
}

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

/** GitHub refuses a status description over 140 characters; the cut falls between grapheme clusters. */
const DESCRIPTION_MAX = 140;

/**
 * Creates GitHub Deployments and their statuses with the REST API. GitHub being unreachable never
 * fails a deploy: problems are warnings.
 */
export class GitHubDeployments {
  readonly #target: GitHubDeploymentTarget;
  readonly #log: Logger;
  readonly #fetch: typeof fetch;
  #id: number | undefined;

  constructor(target: GitHubDeploymentTarget, log: Logger, fetchImpl: typeof fetch = fetch) {
    this.#target = target;
    this.#log = log;
    this.#fetch = fetchImpl;
  }

  async #post(path: string, body: unknown): Promise<{ id?: number } | undefined> {
    return (await this.#request('POST', path, body)) as { id?: number } | undefined;
  }

  async #request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const { apiUrl, repository, token } = this.#target;
    try {
      const response = await this.#fetch(`${apiUrl.replace(/\/$/, '')}/repos/${repository}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) {
        this.#log.warning(`GitHub ${path}: HTTP ${response.status} ${cutText(await response.text(), 200)}`);
        return undefined;
      }
      return (await response.json()) as unknown;
    } catch (error) {
      this.#log.warning(`GitHub ${path}: ${errorMessage(error)}`);
      return undefined;
    }
  }

  /** Creates the Deployment (no merge, no required contexts: the pipeline already gated it) and marks it in progress. */
  async start(description: string): Promise<void> {
    const { ref, environment } = this.#target;
    const created = await this.#post('/deployments', {
      ref,
      environment,
      description,
      auto_merge: false,
      required_contexts: [],
      production_environment: /prod/i.test(environment),
    });
    this.#id = created?.id;
    if (this.#id !== undefined) await this.status('in_progress', description);
  }

  /**
   * After a rollback: the commit's Deployments to the environment get a `failure` status, so that
   * GitHub stops showing the rolled-back commit as deployed (a new Deployment with a success
   * status would say the bad commit is live). Returns how many were marked.
   */
  async markRolledBack(description: string): Promise<number> {
    const { ref, environment } = this.#target;
    const query = new URLSearchParams({ sha: ref, environment, per_page: '100' });
    const listed = await this.#request('GET', `/deployments?${query.toString()}`);
    const ids = Array.isArray(listed) ? listed.map((d: { id?: unknown }) => d.id).filter((id): id is number => typeof id === 'number') : [];
    for (const id of ids) {
      await this.#post(`/deployments/${id}/statuses`, {
        state: 'failure',
        description: cutText(description, DESCRIPTION_MAX),
        ...(this.#target.logUrl ? { log_url: this.#target.logUrl } : {}),
      });
    }
    return ids.length;
  }

  async status(state: DeploymentState, description: string, environmentUrl?: string): Promise<void> {
    if (this.#id === undefined) return;
    await this.#post(`/deployments/${this.#id}/statuses`, {
      state,
      description: cutText(description, DESCRIPTION_MAX),
      ...(environmentUrl ? { environment_url: environmentUrl } : {}),
      ...(this.#target.logUrl ? { log_url: this.#target.logUrl } : {}),
      auto_inactive: true,
    });
  }
}
