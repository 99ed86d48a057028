import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { json, startServer, type LoopbackServer, type RecordedRequest } from '@pipeline-toolkit/testing';

/**
 * A loopback GitHub that speaks the REST routes the memory bank uses, over real HTTP, with real
 * git semantics where they matter: commits point at trees and parents, and moving a branch
 * without `force` is refused (422 "Update is not a fast forward") unless it is a fast-forward.
 */

interface Commit {
  tree: string;
  parents: string[];
  message: string;
}

interface Pull {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body?: string;
  head: string;
  base: string;
  files: { filename: string; status: string }[];
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  user?: { login: string };
}

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

export class FakeGitHub {
  readonly owner = 'acme';
  readonly repo = 'shop';
  readonly trees = new Map<string, Map<string, string>>();
  readonly commits = new Map<string, Commit>();
  readonly refs = new Map<string, string>();
  readonly pulls: Pull[] = [];
  server!: LoopbackServer;
  /** Called before every non-forced ref update is checked: lets a test land a competing commit first. */
  beforeRefUpdate: ((branch: string) => void) | undefined;
  /** Branches that refuse non-forced updates as GitHub does for protected branches. */
  readonly protectedBranches = new Set<string>();
  /** The first `n` branch reads wait for each other, so that `n` racing writers start from the same head. */
  #barrier: { size: number; waiting: (() => void)[] } | undefined;

  static async start(): Promise<FakeGitHub> {
    const fake = new FakeGitHub();
    fake.server = await startServer((req, res) => fake.#handle(req, res));
    return fake;
  }

  get url(): string {
    return this.server.url;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  holdBranchReads(size: number): void {
    this.#barrier = { size, waiting: [] };
  }

  #tree(files: Map<string, string>): string {
    const id = sha(JSON.stringify([...files].sort()));
    this.trees.set(id, new Map(files));
    return id;
  }

  #commit(tree: string, parents: string[], message: string): string {
    const id = sha(`${tree}${parents.join()}${message}${this.commits.size}`);
    this.commits.set(id, { tree, parents, message });
    return id;
  }

  /** Commits `files` (path → text, merged over the head's files) on `branch`, creating it if needed. */
  push(branch: string, files: Record<string, string>, message = 'commit'): string {
    const head = this.refs.get(branch);
    const base = head ? this.files(branch) : new Map<string, string>();
    for (const [p, text] of Object.entries(files)) base.set(p, text);
    const id = this.#commit(this.#tree(base), head ? [head] : [], message);
    this.refs.set(branch, id);
    return id;
  }

  files(branch: string): Map<string, string> {
    const head = this.refs.get(branch);
    if (!head) throw new Error(`no branch ${branch}`);
    return new Map(this.trees.get(this.commits.get(head)?.tree ?? '') ?? []);
  }

  file(branch: string, path: string): string | undefined {
    return this.files(branch).get(path);
  }

  addPull(pull: Omit<Pull, 'state'> & { state?: Pull['state'] }): void {
    this.pulls.push({ state: 'open', ...pull });
  }

  async #handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const url = new URL(req.url, 'http://x');
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (!url.pathname.startsWith(prefix)) return json(res, 404, { message: 'Not Found' });
    const route = decodeURIComponent(url.pathname.slice(prefix.length));
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    let m: RegExpExecArray | null;

    if (req.method === 'GET' && (m = /^\/git\/ref\/heads\/(.+)$/.exec(route))) {
      const branch = m[1] as string;
      if (this.#barrier) {
        const barrier = this.#barrier;
        await new Promise<void>((resolve) => {
          barrier.waiting.push(resolve);
          if (barrier.waiting.length >= barrier.size) {
            this.#barrier = undefined;
            for (const release of barrier.waiting) release();
          }
        });
      }
      const head = this.refs.get(branch);
      return head
        ? json(res, 200, { ref: `refs/heads/${branch}`, object: { sha: head, type: 'commit' } })
        : json(res, 404, { message: 'Not Found' });
    }
    if (req.method === 'GET' && (m = /^\/git\/commits\/(\w+)$/.exec(route))) {
      const commit = this.commits.get(m[1] as string);
      return commit
        ? json(res, 200, { sha: m[1], tree: { sha: commit.tree }, parents: commit.parents.map((p) => ({ sha: p })) })
        : json(res, 404, { message: 'Not Found' });
    }
    if (req.method === 'GET' && (m = /^\/contents\/(.+)$/.exec(route))) {
      const commit = this.commits.get(url.searchParams.get('ref') ?? '');
      const text = commit && this.trees.get(commit.tree)?.get(m[1] as string);
      if (text === undefined || text === null) return json(res, 404, { message: 'Not Found' });
      const encoded = Buffer.from(text)
        .toString('base64')
        .replace(/(.{60})/g, '$1\n');
      return json(res, 200, { type: 'file', encoding: 'base64', content: encoded, sha: sha(text), path: m[1] });
    }
    if (req.method === 'POST' && route === '/git/trees') {
      const base = this.trees.get(String(body['base_tree']));
      if (!base) return json(res, 422, { message: 'Invalid tree info' });
      const files = new Map(base);
      for (const entry of body['tree'] as { path: string; content: string }[]) files.set(entry.path, entry.content);
      return json(res, 201, { sha: this.#tree(files) });
    }
    if (req.method === 'POST' && route === '/git/commits') {
      const id = this.#commit(String(body['tree']), body['parents'] as string[], String(body['message']));
      return json(res, 201, { sha: id, html_url: `https://github.com/${this.owner}/${this.repo}/commit/${id}` });
    }
    if (req.method === 'PATCH' && (m = /^\/git\/refs\/heads\/(.+)$/.exec(route))) {
      const branch = m[1] as string;
      const next = String(body['sha']);
      if (this.protectedBranches.has(branch))
        return json(res, 422, { message: `Protected branch update failed for refs/heads/${branch}.` });
      if (!body['force']) {
        this.beforeRefUpdate?.(branch);
        const head = this.refs.get(branch);
        if (!this.commits.get(next)?.parents.includes(head ?? '')) return json(res, 422, { message: 'Update is not a fast forward' });
      }
      this.refs.set(branch, next);
      return json(res, 200, { ref: `refs/heads/${branch}`, object: { sha: next } });
    }
    if (req.method === 'POST' && route === '/git/refs') {
      const ref = String(body['ref']).replace(/^refs\/heads\//, '');
      if (this.refs.has(ref)) return json(res, 422, { message: 'Reference already exists' });
      this.refs.set(ref, String(body['sha']));
      return json(res, 201, { ref: body['ref'], object: { sha: body['sha'] } });
    }
    if (req.method === 'GET' && route === '/pulls') {
      const head = url.searchParams.get('head');
      const base = url.searchParams.get('base');
      const state = url.searchParams.get('state') ?? 'open';
      const found = this.pulls.filter(
        (p) => (state === 'all' || p.state === state) && (!head || `${this.owner}:${p.head}` === head) && (!base || p.base === base),
      );
      return json(
        res,
        200,
        found.map((p) => this.#pullJson(p)),
      );
    }
    if (req.method === 'POST' && route === '/pulls') {
      if (this.pulls.some((p) => p.state === 'open' && p.head === body['head']))
        return json(res, 422, { message: 'A pull request already exists' });
      const pull: Pull = {
        number: 100 + this.pulls.length,
        state: 'open',
        title: String(body['title']),
        body: String(body['body']),
        head: String(body['head']),
        base: String(body['base']),
        files: [],
      };
      this.pulls.push(pull);
      return json(res, 201, this.#pullJson(pull));
    }
    if (req.method === 'GET' && (m = /^\/pulls\/(\d+)\/files$/.exec(route))) {
      const pull = this.pulls.find((p) => p.number === Number(m?.[1]));
      return pull ? json(res, 200, pull.files) : json(res, 404, { message: 'Not Found' });
    }
    if (req.method === 'GET' && (m = /^\/pulls\/(\d+)$/.exec(route))) {
      const pull = this.pulls.find((p) => p.number === Number(m?.[1]));
      return pull ? json(res, 200, this.#pullJson(pull)) : json(res, 404, { message: 'Not Found' });
    }
    if (req.method === 'GET' && (m = /^\/commits\/(\w+)\/pulls$/.exec(route))) {
      return json(
        res,
        200,
        this.pulls.filter((p) => p.merge_commit_sha === m?.[1]).map((p) => this.#pullJson(p)),
      );
    }
    json(res, 404, { message: `Not Found: ${req.method} ${route}` });
  }

  #pullJson(p: Pull): Record<string, unknown> {
    return {
      number: p.number,
      state: p.state,
      title: p.title,
      body: p.body ?? null,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${p.number}`,
      head: { ref: p.head },
      base: { ref: p.base },
      merged_at: p.merged_at ?? null,
      merge_commit_sha: p.merge_commit_sha ?? null,
      user: p.user ?? { login: 'octocat' },
    };
  }
}
