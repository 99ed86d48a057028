/**
 * The release workflow's gate (the verify job, after `npm ci`). Refuses, naming what is wrong,
 * unless:
 *  - the version is X.Y.Z: the `version` input of a workflow_dispatch run on main, or the pushed
 *    tag vX.Y.Z (whose commit must be on main);
 *  - the tag does not exist yet (dispatch) or points at the commit being released (tag push), and
 *    the version is greater than every release tag already on main;
 *  - the packages carry the version and CHANGELOG.md has a non-empty [X.Y.Z] section (prepared
 *    with `npm run release -- X.Y.Z --write`);
 *  - the CI workflow's last run for this commit on main succeeded ("main is green").
 * Node built-ins only, so that a refusal comes before `npm ci`; the breaking-change guard
 * (scripts/release/guard.ts) and check-dist run as their own steps after it. Writes the notes to
 * <out>/notes.md and the step outputs version, tag and major.
 *
 *   node scripts/release/preflight.ts --out DIR
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sectionBody } from './changelog.ts';
import { github, type GitHub } from './github.ts';
import { compareVersions, parseVersion, printable, releaseTags, treeVersion, VERSION } from './version.ts';

export interface Context {
  root: string;
  event: string;
  ref: string;
  sha: string;
  repository: string;
  versionInput: string;
  ciWorkflow: string;
}

interface WorkflowRuns {
  workflow_runs?: { id: number; status: string; conclusion: string | null; head_sha: string; html_url?: string; run_attempt?: number }[];
}

const git = (root: string, ...args: string[]) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function isAncestor(root: string, commit: string, of: string): boolean {
  try {
    execFileSync('git', ['merge-base', '--is-ancestor', commit, of], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The version being released, from the event. */
export function releaseVersion(ctx: Context): string {
  if (ctx.event === 'workflow_dispatch') {
    if (ctx.ref !== 'refs/heads/main') throw new Error(`releases are made from main; this run was started on '${printable(ctx.ref)}'`);
    const version = ctx.versionInput.trim().replace(/^v(?=\d)/, '');
    parseVersion(version, "input 'version'");
    return version;
  }
  if (ctx.event === 'push') {
    const tag = /^refs\/tags\/v(.*)$/.exec(ctx.ref)?.[1];
    if (tag === undefined || !VERSION.test(tag)) throw new Error(`'${printable(ctx.ref)}' is not a release tag (vX.Y.Z)`);
    return tag;
  }
  throw new Error(`event '${printable(ctx.event)}' does not start a release (workflow_dispatch or a pushed vX.Y.Z tag)`);
}

export async function preflight(ctx: Context, api: GitHub): Promise<{ version: string; notes: string; checks: string[] }> {
  const version = releaseVersion(ctx);
  const tag = `v${version}`;
  const checks: string[] = [];
  const head = git(ctx.root, 'rev-parse', 'HEAD');
  if (head !== ctx.sha) throw new Error(`the checkout is at ${head}, not at the commit of the run (${ctx.sha})`);
  if (!isAncestor(ctx.root, ctx.sha, 'refs/remotes/origin/main')) throw new Error(`${ctx.sha} is not on main: releases are made from main`);
  checks.push(`${ctx.sha.slice(0, 12)} is on main`);

  const existing = git(ctx.root, 'tag', '--list', tag);
  if (ctx.event === 'workflow_dispatch' && existing)
    throw new Error(`tag ${tag} exists already (released versions never change; prepare the next version)`);
  if (ctx.event === 'push' && git(ctx.root, 'rev-parse', `${tag}^{commit}`) !== ctx.sha)
    throw new Error(`tag ${tag} does not point at ${ctx.sha}`);
  const earlier = releaseTags(ctx.root).filter((t) => t !== tag);
  const newer = earlier.find((t) => compareVersions(t.slice(1), version) >= 0);
  if (newer) throw new Error(`${tag} is not greater than ${newer}, already released from main`);
  checks.push(earlier[0] ? `${tag} follows ${earlier[0]}` : `${tag} is the first release`);

  const packaged = treeVersion(ctx.root);
  const cli = (JSON.parse(readFileSync(path.join(ctx.root, 'packages/cli/package.json'), 'utf8')) as { version?: string }).version;
  if (packaged !== version || cli !== version)
    throw new Error(
      `the packages carry ${packaged} (CLI ${String(cli)}), not ${version}: prepare the release with 'npm run release -- ${version} --write' and merge it first`,
    );
  const notes = sectionBody(readFileSync(path.join(ctx.root, 'CHANGELOG.md'), 'utf8'), version);
  if (!notes)
    throw new Error(`CHANGELOG.md has no non-empty [${version}] section (npm run release -- ${version} --write dates [Unreleased])`);
  checks.push(`the packages carry ${version}; CHANGELOG.md has its notes`);

  const route = `/repos/${ctx.repository}/actions/workflows/${encodeURIComponent(ctx.ciWorkflow)}/runs?head_sha=${ctx.sha}&branch=main&event=push&per_page=20`;
  const { status, data } = await api.request<WorkflowRuns>('GET', route);
  if (status === 404) throw new Error(`workflow ${ctx.ciWorkflow} was not found in ${ctx.repository}`);
  const runs = (data.workflow_runs ?? []).filter((r) => r.head_sha === ctx.sha).sort((a, b) => b.id - a.id);
  const last = runs.find((r) => r.status === 'completed');
  if (!last) throw new Error(`${ctx.ciWorkflow} has no finished run for ${ctx.sha} on main yet: wait for CI, then release`);
  if (last.conclusion !== 'success')
    throw new Error(
      `main is not green: the last ${ctx.ciWorkflow} run for ${ctx.sha} ended '${String(last.conclusion)}' (${last.html_url ?? last.id})`,
    );
  checks.push(`${ctx.ciWorkflow} succeeded for this commit (run ${last.id})`);
  return { version, notes, checks };
}

if (import.meta.main) {
  try {
    const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
    if (!values.out) throw new Error('usage: preflight.ts --out DIR');
    const env = process.env;
    const ctx: Context = {
      root: process.cwd(),
      event: env['GITHUB_EVENT_NAME'] ?? '',
      ref: env['GITHUB_REF'] ?? '',
      sha: env['GITHUB_SHA'] ?? '',
      repository: env['GITHUB_REPOSITORY'] ?? '',
      versionInput: env['VERSION_INPUT'] ?? '',
      ciWorkflow: env['CI_WORKFLOW'] || 'ci.yml',
    };
    const { version, notes, checks } = await preflight(ctx, github());
    mkdirSync(values.out, { recursive: true });
    writeFileSync(path.join(values.out, 'notes.md'), `${notes}\n`);
    for (const check of checks) console.log(`✓ ${check}`);
    appendFileSync(env['GITHUB_OUTPUT'] ?? '/dev/null', `version=${version}\ntag=v${version}\nmajor=v${parseVersion(version)[0]}\n`);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    console.log(`::error title=Release refused::${text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`);
    process.exitCode = 1;
  }
}
