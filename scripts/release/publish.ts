/**
 * The release job's one step after the attestation: tag, release, move the major tag. Node
 * built-ins only (this job does not run `npm ci`).
 *
 *  1. the annotated tag vX.Y.Z at the verified commit, pushed without force (a workflow_dispatch
 *     run); a pushed tag must already point at that commit;
 *  2. the GitHub release, created as a draft, its assets uploaded, then published: with immutable
 *     releases enabled, a published release and its assets never change again, so nothing is
 *     added after publishing; a draft left by a failed run is deleted and made again, a published
 *     release of the same version is an error;
 *  3. the major tag vX moved to the release's commit (force-pushed: a lightweight tag is a
 *     pointer, not a release), unless a higher vX.*.* release exists.
 *
 *   node scripts/release/publish.ts --version X.Y.Z --sha SHA --assets DIR --notes FILE
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { github, type GitHub } from './github.ts';
import { compareVersions, parseVersion, VERSION } from './version.ts';

interface Release {
  id: number;
  draft: boolean;
  upload_url: string;
  html_url?: string;
  immutable?: boolean;
}

export interface PublishOptions {
  root: string;
  repository: string;
  version: string;
  sha: string;
  assets: string;
  notes: string;
  /** Extra environment for git (the token's auth header, never on a command line). */
  gitEnv?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

const isRelease = (tag: string) => tag.startsWith('v') && VERSION.test(tag.slice(1));
const parts = (tag: string) => parseVersion(tag.slice(1));
const compare = (a: string, b: string) => compareVersions(a.slice(1), b.slice(1));

export async function publish(api: GitHub, o: PublishOptions): Promise<{ url: string; majorMoved: boolean }> {
  const log = o.log ?? console.log;
  const tag = `v${o.version}`;
  if (!isRelease(tag)) throw new Error(`'${o.version.slice(0, 40)}' is not X.Y.Z`);
  if (!/^[0-9a-f]{40}$/.test(o.sha)) throw new Error('--sha must be a full commit id');
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: o.root,
      encoding: 'utf8',
      env: { ...process.env, ...o.gitEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();

  // 1. The tag.
  if (git('tag', '--list', tag)) {
    if (git('rev-parse', `${tag}^{commit}`) !== o.sha) throw new Error(`tag ${tag} exists and does not point at ${o.sha}`);
    log(`Tag ${tag} exists at ${o.sha}.`);
  } else {
    git(
      '-c',
      'user.name=github-actions[bot]',
      '-c',
      'user.email=41898282+github-actions[bot]@users.noreply.github.com',
      'tag',
      '-a',
      tag,
      '-m',
      `pipeline-toolkit ${tag}`,
      o.sha,
    );
    git('push', 'origin', `refs/tags/${tag}`);
    log(`Pushed tag ${tag} → ${o.sha}.`);
  }

  // 2. The release: draft, assets, published.
  const repo = `/repos/${o.repository}`;
  const found = await api.request<Release>('GET', `${repo}/releases/tags/${tag}`);
  if (found.status === 200) {
    if (!found.data.draft)
      throw new Error(`release ${tag} is already published (${found.data.html_url ?? found.data.id}); releases never change`);
    await api.request('DELETE', `${repo}/releases/${found.data.id}`);
    log(`Deleted the draft release ${tag} left by an earlier run.`);
  }
  const tags = git('tag', '--list', 'v*').split('\n').filter(isRelease);
  const latest = tags.every((t) => compare(t, tag) <= 0);
  const created = await api.request<Release>('POST', `${repo}/releases`, {
    tag_name: tag,
    target_commitish: o.sha,
    name: tag,
    body: readFileSync(o.notes, 'utf8'),
    draft: true,
    prerelease: false,
  });
  if (created.status !== 201) throw new Error(`creating release ${tag}: HTTP ${created.status}`);
  const files = readdirSync(o.assets).sort();
  for (const name of files) {
    await api.upload(created.data.upload_url, name, readFileSync(path.join(o.assets, name)));
    log(`Uploaded ${name}.`);
  }
  const published = await api.request<Release>('PATCH', `${repo}/releases/${created.data.id}`, {
    draft: false,
    make_latest: latest ? 'true' : 'false',
  });
  if (published.status !== 200 || published.data.draft) throw new Error(`publishing release ${tag}: HTTP ${published.status}`);
  const url = published.data.html_url ?? '';
  log(`Published ${tag}${published.data.immutable ? ' (immutable)' : ''}: ${url}`);

  // 3. The major tag.
  const major = `v${parts(tag)[0]}`;
  const higher = tags.find((t) => parts(t)[0] === parts(tag)[0] && compare(t, tag) > 0);
  if (higher) {
    log(`${major} stays where it is: ${higher} is a higher ${major} release.`);
    return { url, majorMoved: false };
  }
  git('push', '--force', 'origin', `${o.sha}:refs/tags/${major}`);
  log(`Moved ${major} → ${tag} (${o.sha}).`);
  return { url, majorMoved: true };
}

if (import.meta.main) {
  try {
    const { values } = parseArgs({
      options: { version: { type: 'string' }, sha: { type: 'string' }, assets: { type: 'string' }, notes: { type: 'string' } },
      strict: true,
    });
    if (!values.version || !values.sha || !values.assets || !values.notes)
      throw new Error('usage: publish.ts --version X.Y.Z --sha SHA --assets DIR --notes FILE');
    const token = process.env['GITHUB_TOKEN'] ?? '';
    const server = process.env['GITHUB_SERVER_URL'] || 'https://github.com';
    // The token reaches git as an auth header through git's environment config, never argv.
    const gitEnv = {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: `http.${server}/.extraheader`,
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
    };
    const lines: string[] = [];
    const result = await publish(github(), {
      root: process.cwd(),
      repository: process.env['GITHUB_REPOSITORY'] ?? '',
      version: values.version,
      sha: values.sha,
      assets: values.assets,
      notes: values.notes,
      gitEnv,
      log: (line) => {
        lines.push(line);
        console.log(line);
      },
    });
    const summary = process.env['GITHUB_STEP_SUMMARY'];
    if (summary) appendFileSync(summary, `## Release v${values.version}\n\n${lines.map((l) => `- ${l}`).join('\n')}\n\n${result.url}\n`);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    console.log(`::error title=Release failed::${text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`);
    process.exitCode = 1;
  }
}
