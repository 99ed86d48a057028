import path from 'node:path';
import { ExternalError, writeFileInside, type Logger } from '@pipeline-toolkit/core';
import { readBankText } from './bank-file.ts';
import { GitHubError, refPath, repoPath, type GitHub, type Repository } from './github.ts';

/**
 * Where CI writes memory-bank changes: the checked-out files, a commit on the branch through the
 * GitHub git data API, or a pull request. A change is a list of edits — functions from a file's
 * current text to its new text — so that a store can re-read and re-apply them when another
 * workflow changed the branch in between.
 */

export interface FileEdit {
  /** Path from the repository root, POSIX (`memory-bank/progress.md`). */
  path: string;
  apply(current: string | undefined): string;
}

export interface Change {
  edits: readonly FileEdit[];
  message: string;
  /** A name for the change (`deploy-production-123`): the pull-request branch is `memory-bank/<key>`. */
  key: string;
}

export interface ApplyResult {
  changed: boolean;
  files: string[];
  commitSha?: string;
  pullRequestUrl?: string;
}

export interface BankStore {
  apply(change: Change): Promise<ApplyResult>;
}

/** Writes the files of the work tree; nothing is committed. */
export class LocalStore implements BankStore {
  readonly #root: string;
  constructor(root: string) {
    this.#root = root;
  }
  async apply(change: Change): Promise<ApplyResult> {
    const files: string[] = [];
    for (const edit of change.edits) {
      const file = path.resolve(this.#root, edit.path);
      const current = await readBankText(file, 'dir').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      const next = edit.apply(current);
      if (next === current) continue;
      // Never through a symbolic link, never outside the root.
      await writeFileInside(file, next, { input: 'dir', label: "Input 'dir'", roots: [this.#root] });
      files.push(edit.path);
    }
    return { changed: files.length > 0, files };
  }
}

interface RefAnswer {
  object: { sha: string };
}
interface ContentAnswer {
  content?: string;
  encoding?: string;
  sha: string;
}

/**
 * The branch moved under us: 409, or 422 "Update is not a fast forward". Other 422 answers (a
 * protected branch, an invalid tree) would fail the same way again, so they are not retried.
 */
function branchMoved(error: unknown): error is GitHubError {
  if (!(error instanceof GitHubError)) return false;
  return error.status === 409 || (error.status === 422 && /fast.forward|reference cannot be updated/i.test(error.message));
}

/**
 * Commits to a branch through the git data API (tree → commit → fast-forward the ref). When the
 * ref moved meanwhile GitHub refuses the fast-forward (422, or 409); the store then re-reads the
 * files at the new head and re-applies the edits, so concurrent runs all land.
 */
export class CommitStore implements BankStore {
  readonly #github: GitHub;
  readonly #repository: Repository;
  readonly #branch: string;
  readonly #log: Logger | undefined;
  readonly #attempts: number;
  readonly #delayMs: number;

  constructor(github: GitHub, repository: Repository, branch: string, options: { log?: Logger; attempts?: number; delayMs?: number } = {}) {
    this.#github = github;
    this.#repository = repository;
    this.#branch = branch;
    this.#log = options.log;
    this.#attempts = options.attempts ?? 6;
    this.#delayMs = options.delayMs ?? 250;
  }

  async apply(change: Change): Promise<ApplyResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#attempt(change);
      } catch (error) {
        if (!branchMoved(error) || attempt >= this.#attempts) throw protectedHint(error);
        this.#log?.info(
          `${this.#branch} moved while committing (${error.status}); re-reading and re-applying (attempt ${attempt + 1}/${this.#attempts})`,
        );
        await new Promise((resolve) => setTimeout(resolve, this.#delayMs * attempt * (0.5 + Math.random())));
      }
    }
  }

  async #read(file: string, ref: string): Promise<string | undefined> {
    const repo = repoPath(this.#repository);
    let answer: ContentAnswer;
    try {
      answer = await this.#github.request<ContentAnswer>('GET', `${repo}/contents/${refPath(file)}`, { ref });
    } catch (error) {
      if (error instanceof GitHubError && error.status === 404) return undefined;
      throw error;
    }
    if (answer.encoding === 'base64' && answer.content !== undefined) return Buffer.from(answer.content, 'base64').toString('utf8');
    // Files over 1 MB come without content: read the blob.
    const blob = await this.#github.request<{ content: string }>('GET', `${repo}/git/blobs/${answer.sha}`);
    return Buffer.from(blob.content, 'base64').toString('utf8');
  }

  async #attempt(change: Change): Promise<ApplyResult> {
    const repo = repoPath(this.#repository);
    const head = (await this.#github.request<RefAnswer>('GET', `${repo}/git/ref/heads/${refPath(this.#branch)}`)).object.sha;
    const commit = await this.#github.request<{ tree: { sha: string } }>('GET', `${repo}/git/commits/${head}`);
    const tree: { path: string; mode: '100644'; type: 'blob'; content: string }[] = [];
    for (const edit of change.edits) {
      const current = await this.#read(edit.path, head);
      const next = edit.apply(current);
      if (next !== current) tree.push({ path: edit.path, mode: '100644', type: 'blob', content: next });
    }
    if (tree.length === 0) return { changed: false, files: [] };
    const newTree = await this.#github.request<{ sha: string }>('POST', `${repo}/git/trees`, { base_tree: commit.tree.sha, tree });
    const created = await this.#github.request<{ sha: string }>('POST', `${repo}/git/commits`, {
      message: change.message,
      tree: newTree.sha,
      parents: [head],
    });
    await this.#github.request('PATCH', `${repo}/git/refs/heads/${refPath(this.#branch)}`, { sha: created.sha, force: false });
    return { changed: true, files: tree.map((t) => t.path), commitSha: created.sha };
  }
}

function protectedHint(error: unknown): unknown {
  if (error instanceof GitHubError && /protected branch/i.test(error.message)) {
    return new ExternalError(`${error.message}\nThe branch is protected: use mode pull-request, or allow the token to push to it.`, {
      cause: error,
    });
  }
  return error;
}

interface PullAnswer {
  number: number;
  html_url: string;
}

/**
 * Opens (or updates) one pull request per change key from the branch `memory-bank/<key>`: a re-run
 * updates the same pull request, and concurrent workflows never share a branch.
 */
export class PullRequestStore implements BankStore {
  readonly #github: GitHub;
  readonly #repository: Repository;
  readonly #base: string;
  readonly #log: Logger | undefined;

  constructor(github: GitHub, repository: Repository, base: string, options: { log?: Logger } = {}) {
    this.#github = github;
    this.#repository = repository;
    this.#base = base;
    this.#log = options.log;
  }

  async #openPull(branch: string): Promise<PullAnswer | undefined> {
    const pulls = await this.#github.paginate<PullAnswer>(`${repoPath(this.#repository)}/pulls`, {
      state: 'open',
      head: `${this.#repository.owner}:${branch}`,
      base: this.#base,
    });
    return pulls[0];
  }

  async apply(change: Change): Promise<ApplyResult> {
    const repo = repoPath(this.#repository);
    const branch = `memory-bank/${change.key}`;
    let pull = await this.#openPull(branch);
    if (!pull) {
      // Start the branch from the base (again, if an earlier pull request from it was merged or closed).
      const base = (await this.#github.request<RefAnswer>('GET', `${repo}/git/ref/heads/${refPath(this.#base)}`)).object.sha;
      try {
        await this.#github.request('GET', `${repo}/git/ref/heads/${refPath(branch)}`);
        await this.#github.request('PATCH', `${repo}/git/refs/heads/${refPath(branch)}`, { sha: base, force: true });
      } catch (error) {
        if (!(error instanceof GitHubError && error.status === 404)) throw error;
        await this.#github.request('POST', `${repo}/git/refs`, { ref: `refs/heads/${branch}`, sha: base });
      }
    }
    const result = await new CommitStore(this.#github, this.#repository, branch, this.#log ? { log: this.#log } : {}).apply(change);
    if (pull) return { ...result, pullRequestUrl: pull.html_url };
    if (!result.changed) return result;
    try {
      pull = await this.#github.request<PullAnswer>('POST', `${repo}/pulls`, {
        title: change.message.split('\n')[0],
        head: branch,
        base: this.#base,
        body: `${change.message}\n\nOpened by the memory-bank action; re-runs update this pull request.`,
      });
    } catch (error) {
      // Another run of the same change opened it first.
      if (!(error instanceof GitHubError && error.status === 422)) throw error;
      pull = await this.#openPull(branch);
      if (!pull) throw new ExternalError(`Could not open a pull request from ${branch}: ${error.message}`);
    }
    return { ...result, pullRequestUrl: pull.html_url };
  }
}
