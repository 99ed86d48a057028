/**
 * Runs the release workflow .github/workflows/release.yml with act (self-hosted mode) against a
 * local bare repository, offline but for the npm registry (`npm ci`):
 *
 *  - the toolkit repository is a git repository holding a snapshot of this checkout (its tracked
 *    and untracked-but-not-ignored files, dist/ as it is: the workflow's check-dist judges it);
 *    `origin` reads as
 *    github.com/org/pipeline-toolkit (act takes the repository name from it) and pushes to the bare
 *    repository (`remote.origin.pushurl`), so the tags the workflow pushes land there;
 *  - the GitHub API (GITHUB_API_URL) is a loopback stand-in: the CI runs of a commit, releases and
 *    their asset uploads, attestations (see startGitHub);
 *  - the pinned third-party actions are the stand-ins of test/act/actions/ (act's own checkout of
 *    the workflow's repository needs none).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actProcessEnv, parseLog, type ActRun } from './pipeline.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const REPOSITORY = 'org/pipeline-toolkit';
const standIns = path.join(here, 'actions');

export interface ReleaseRepo {
  root: string;
  /** The toolkit's working repository act runs in. */
  dir: string;
  /** The bare repository `origin` pushes to. */
  bare: string;
  /** act's private files (secrets, env, event, artifacts, cache). */
  private: string;
  git(...args: string[]): string;
  /** git in the bare repository. */
  origin(...args: string[]): string;
}

const identity = ['-c', 'user.name=pipeline-toolkit', '-c', 'user.email=pipeline-toolkit@example.invalid'];

/** A snapshot of this checkout as a git repository with a bare origin. */
export async function prepareReleaseRepo(): Promise<ReleaseRepo> {
  const root = await mkdtemp(path.join(tmpdir(), 'ptk-release-'));
  await chmod(root, 0o700);
  const dir = path.join(root, 'pipeline-toolkit');
  const bare = path.join(root, 'origin.git');
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8' });
  for (const file of listed.split('\0').filter(Boolean)) {
    if (!existsSync(path.join(repoRoot, file))) continue; // deleted in the working tree
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await cp(path.join(repoRoot, file), path.join(dir, file), { verbatimSymlinks: true });
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const origin = (...args: string[]) =>
    execFileSync('git', args, { cwd: bare, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', `https://github.com/${REPOSITORY}.git`);
  git('config', 'remote.origin.pushurl', bare);
  // The scripts that run here (build, release) find their dependencies through this link; it is
  // removed before act copies the repository (the workflow's `npm ci` would delete through it).
  await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  const priv = path.join(root, 'act');
  await mkdir(path.join(priv, 'artifacts'), { recursive: true });
  return { root, dir, bare, private: priv, git, origin };
}

export function commitAll(repo: ReleaseRepo, message: string): string {
  repo.git('add', '-A', '--', '.', ':!node_modules');
  repo.git(...identity, 'commit', '-q', '-m', message);
  return repo.git('rev-parse', 'HEAD');
}

export function annotatedTag(repo: ReleaseRepo, tag: string, commit: string): void {
  repo.git(...identity, 'tag', '-a', tag, '-m', `pipeline-toolkit ${tag}`, commit);
}

export async function dropNodeModules(repo: ReleaseRepo): Promise<void> {
  await rm(path.join(repo.dir, 'node_modules'), { force: true });
}

export interface StoredRelease {
  id: number;
  tag_name: string;
  target_commitish: string;
  name: string;
  body: string;
  draft: boolean;
  make_latest?: string;
  assets: { name: string; bytes: Buffer }[];
}

export interface GitHubStandIn {
  url: string;
  token: string;
  /** The conclusion the CI workflow's run of `sha` reports. */
  ci: { sha: string; conclusion: string };
  releases: StoredRelease[];
  attestations: { bundle: { dsseEnvelope: { payload: string } } }[];
  /** Every request, in order, as "METHOD path". */
  log: string[];
  close(): Promise<void>;
}

/**
 * The GitHub REST routes the release workflow uses, as GitHub answers them: workflow runs filtered
 * by head_sha, releases (a published release is immutable: asset uploads to it are refused), asset
 * uploads on the upload_url the release names, and attestations. A wrong token is a 401.
 */
export async function startGitHub(token: string): Promise<GitHubStandIn> {
  const state: Omit<GitHubStandIn, 'url' | 'close'> = {
    token,
    ci: { sha: '', conclusion: 'success' },
    releases: [],
    attestations: [],
    log: [],
  };
  let url = '';
  let nextId = 100;
  const repo = `/repos/${REPOSITORY}`;
  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const view = (r: StoredRelease) => ({
    id: r.id,
    tag_name: r.tag_name,
    name: r.name,
    draft: r.draft,
    immutable: !r.draft,
    html_url: `https://github.com/${REPOSITORY}/releases/tag/${r.tag_name}`,
    upload_url: `${url}/uploads${repo}/releases/${r.id}/assets{?name,label}`,
    assets: r.assets.map((a) => ({ name: a.name, size: a.bytes.length })),
  });
  const handle = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://stand-in');
    const route = `${req.method} ${u.pathname}`;
    state.log.push(route);
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { message: 'Bad credentials' });
    const json = () => JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && u.pathname === `/api${repo}/actions/workflows/ci.yml/runs`) {
      const sha = u.searchParams.get('head_sha');
      const runs =
        sha === state.ci.sha && u.searchParams.get('branch') === 'main'
          ? [{ id: 7001, status: 'completed', conclusion: state.ci.conclusion, head_sha: sha }]
          : [];
      return send(res, 200, { total_count: runs.length, workflow_runs: runs });
    }
    if (req.method === 'GET' && (m = new RegExp(`^/api${repo}/releases/tags/(.+)$`).exec(u.pathname))) {
      const found = state.releases.find((r) => r.tag_name === decodeURIComponent(m![1]!));
      return found ? send(res, 200, view(found)) : send(res, 404, { message: 'Not Found' });
    }
    if (req.method === 'POST' && u.pathname === `/api${repo}/releases`) {
      const b = json();
      if (state.releases.some((r) => r.tag_name === b['tag_name'])) return send(res, 422, { message: 'Validation Failed: already_exists' });
      const release: StoredRelease = {
        id: nextId++,
        tag_name: String(b['tag_name']),
        target_commitish: String(b['target_commitish']),
        name: String(b['name']),
        body: String(b['body']),
        draft: b['draft'] === true,
        assets: [],
      };
      state.releases.push(release);
      return send(res, 201, view(release));
    }
    if ((m = new RegExp(`^/(api|uploads)${repo}/releases/(\\d+)(/assets)?$`).exec(u.pathname))) {
      const release = state.releases.find((r) => r.id === Number(m![2]));
      if (!release) return send(res, 404, { message: 'Not Found' });
      if (m[1] === 'uploads' && m[3] && req.method === 'POST') {
        if (!release.draft) return send(res, 422, { message: 'Cannot upload assets to an immutable release.' });
        const name = u.searchParams.get('name') ?? '';
        if (release.assets.some((a) => a.name === name)) return send(res, 422, { message: 'Validation Failed: already_exists' });
        release.assets.push({ name, bytes: body });
        return send(res, 201, { name, size: body.length, state: 'uploaded' });
      }
      if (m[1] === 'api' && !m[3] && req.method === 'PATCH') {
        const b = json();
        if (!release.draft) return send(res, 422, { message: 'Cannot modify an immutable release.' });
        if (b['draft'] === false) release.draft = false;
        if (typeof b['make_latest'] === 'string') release.make_latest = b['make_latest'];
        return send(res, 200, view(release));
      }
      if (m[1] === 'api' && !m[3] && req.method === 'DELETE') {
        state.releases.splice(state.releases.indexOf(release), 1);
        return send(res, 204);
      }
    }
    if (req.method === 'POST' && u.pathname === `/api${repo}/attestations`) {
      state.attestations.push(json() as GitHubStandIn['attestations'][number]);
      return send(res, 201, { id: state.attestations.length });
    }
    return send(res, 404, { message: `no route ${route}` });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, Buffer.concat(chunks), res);
      } catch (error) {
        send(res, 500, { message: String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** The release workflow's pinned actions that need a stand-in, mapped to it. */
export function releaseActionMappings(workflow: string): Record<string, string> {
  const mappings: Record<string, string> = {};
  for (const [, owner, name, ref] of workflow.matchAll(/^[ \t]*(?:-[ \t]+)?uses:[ \t]+([\w.-]+)\/([\w.-]+)@([\w.-]+)/gm)) {
    if (name === 'checkout') continue; // act checks out the workflow's own repository itself
    const folder = path.join(standIns, name!);
    if (!existsSync(path.join(folder, 'action.yml')))
      throw new Error(`${owner}/${name}@${ref} has no offline stand-in in test/act/actions/${name}/`);
    mappings[`${owner}/${name}@${ref}`] = folder;
  }
  return mappings;
}

export async function runRelease(
  act: string,
  repo: ReleaseRepo,
  options: { github: GitHubStandIn; version: string; path: string; timeoutMs: number },
): Promise<ActRun> {
  const file = async (name: string, text: string) => {
    const p = path.join(repo.private, name);
    await writeFile(p, text, { mode: 0o600 });
    return p;
  };
  const secretFile = await file('secrets.env', `GITHUB_TOKEN='${options.github.token}'\n`);
  const envFile = await file(
    'env.env',
    `GITHUB_API_URL='${options.github.url}/api'\nPTK_ACT_ARTIFACTS='${path.join(repo.private, 'artifacts')}'\n`,
  );
  const event = await file('event.json', JSON.stringify({ inputs: { version: options.version }, ref: 'refs/heads/main' }));
  const workflow = await readFile(path.join(repo.dir, '.github/workflows/release.yml'), 'utf8');
  const args = [
    'workflow_dispatch',
    '--workflows',
    '.github/workflows/release.yml',
    '--eventpath',
    event,
    '--platform',
    'ubuntu-latest=-self-hosted',
    '--json',
    '--secret-file',
    secretFile,
    '--env-file',
    envFile,
    '--action-cache-path',
    path.join(repo.private, 'cache'),
    '--action-offline-mode',
    '--no-cache-server',
    '--container-daemon-socket',
    '-',
    '--defaultbranch',
    'main',
    ...Object.entries(releaseActionMappings(workflow)).flatMap(([key, folder]) => ['--local-repository', `${key}=${folder}`]),
  ];
  const child = spawn(act, args, {
    cwd: repo.dir,
    env: actProcessEnv(options.path),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  await writeFile(path.join(repo.private, `act-${Date.now()}.log`), stdout);
  return { exitCode, stderr, ...parseLog(stdout) };
}
