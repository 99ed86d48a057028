import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@pipeline-toolkit/testing';
import { requireAct } from '../act/install.ts';
import {
  annotatedTag,
  commitAll,
  dropNodeModules,
  prepareReleaseRepo,
  runRelease,
  startGitHub,
  type GitHubStandIn,
  type ReleaseRepo,
} from '../act/release.ts';
import type { ActRun } from '../act/pipeline.ts';

/**
 * .github/workflows/release.yml under act (test/act/release.ts), against a bare repository on
 * disk and a loopback GitHub API. The history: v1.0.0 and the major tag v1 at the first commit;
 * the second commit is release 1.1.0 as `npm run release -- 1.1.0 --write` prepares it. A first
 * dispatch while CI is red is refused with nothing pushed or created; a second, once CI is green,
 * tags v1.1.0, moves v1, and publishes the release with the CLI tarball, SHA256SUMS and the notes,
 * after attesting dist/ and the tarball.
 */
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let act: string;
let repo: ReleaseRepo;
let github: GitHubStandIn;
let first: string;
let prepared: string;
let refused: ActRun;
/** The bare repository's tags, v1's commit and the API's write requests right after the refused run. */
let afterRefusal: { tags: string; v1: string; writes: string[] };
let released: ActRun;

const actPath = [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
const jobs = (run: ActRun) => Object.fromEntries(run.jobs.map((j) => [j.job, j.result]));
const errors = (run: ActRun) => run.entries.filter((e) => e['command'] === 'error').map((e) => String(e['arg']));
const explain = (run: ActRun) => ({
  exit: run.exitCode,
  jobs: jobs(run),
  errors: errors(run),
  tail: run.output.slice(-30),
  stderr: run.stderr.slice(-2000),
});

beforeAll(async () => {
  if (!packer) return;
  act = requireAct();
  repo = await prepareReleaseRepo();
  first = commitAll(repo, 'pipeline-toolkit 1.0.0');
  annotatedTag(repo, 'v1.0.0', first);
  repo.git('tag', 'v1', first);
  // The preparation a maintainer commits: a new entry under [Unreleased], then the release script.
  const changelog = path.join(repo.dir, 'CHANGELOG.md');
  writeFileSync(
    changelog,
    readFileSync(changelog, 'utf8').replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n- The release test entry.\n'),
  );
  execFileSync(process.execPath, ['scripts/release.ts', '1.1.0', '--write', '--date', '2026-12-05'], { cwd: repo.dir, stdio: 'pipe' });
  prepared = commitAll(repo, 'release: v1.1.0');
  repo.git('push', '-q', 'origin', 'main', 'refs/tags/v1.0.0', 'refs/tags/v1');
  await dropNodeModules(repo);

  github = await startGitHub(`ghs_${randomBytes(12).toString('hex')}`);
  github.ci = { sha: prepared, conclusion: 'failure' };
  refused = await runRelease(act, repo, { github, version: '1.1.0', path: actPath, timeoutMs: 8 * 60_000 });
  afterRefusal = {
    tags: repo.origin('tag', '--list'),
    v1: repo.origin('rev-parse', 'v1'),
    writes: github.log.filter((r) => !r.startsWith('GET')),
  };
  github.ci = { sha: prepared, conclusion: 'success' };
  released = await runRelease(act, repo, { github, version: '1.1.0', path: actPath, timeoutMs: 12 * 60_000 });
}, 25 * 60_000);

afterAll(async () => {
  await github?.close();
  if (repo && !process.env['PTK_ACT_KEEP']) await rm(repo.root, { recursive: true, force: true });
});

/**
 * The CLI tarball comes from `npm run package-cli` (the installable CLI); until this checkout has
 * that script, the release cannot be made and the suite is skipped, saying why.
 */
const scripts =
  (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
const packer = 'package-cli' in scripts;
if (!packer) console.warn('act-release: skipped, package.json has no package-cli script (the release packs the CLI with it)');

(packer ? describe : describe.skip)('release workflow under act', () => {
  it('refuses while CI is red for the commit: nothing tagged, nothing released', () => {
    expect(jobs(refused)).toEqual({ verify: 'failure' });
    expect(errors(refused).join('\n')).toContain(`main is not green: the last ci.yml run for ${prepared} ended 'failure'`);
    expect(afterRefusal).toEqual({ tags: 'v1\nv1.0.0', v1: first, writes: [] });
  });

  it('releases once CI is green: both jobs succeed', () => {
    if (released.exitCode !== 0) console.log(explain(released));
    expect({ exit: released.exitCode, jobs: jobs(released) }).toEqual({ exit: 0, jobs: { verify: 'success', release: 'success' } });
  });

  it('pushes the annotated tag v1.1.0 at the prepared commit and moves v1 to it; v1.0.0 stays', () => {
    expect(repo.origin('cat-file', '-t', 'v1.1.0')).toBe('tag');
    expect(repo.origin('rev-parse', 'v1.1.0^{commit}')).toBe(prepared);
    expect(repo.origin('rev-parse', 'v1')).toBe(prepared);
    expect(repo.origin('rev-parse', 'v1.0.0^{commit}')).toBe(first);
    expect(repo.origin('rev-parse', 'main')).toBe(prepared);
  });

  it('publishes one release with the [1.1.0] notes, as the latest, through a draft', () => {
    expect(github.releases).toHaveLength(1);
    const release = github.releases[0]!;
    expect(release).toMatchObject({ tag_name: 'v1.1.0', name: 'v1.1.0', target_commitish: prepared, draft: false, make_latest: 'true' });
    const changelog = repo.git('show', `${prepared}:CHANGELOG.md`);
    const section = changelog
      .split('## [1.1.0] - 2026-12-05\n')[1]!
      .split(/\n## \[|\n\[Unreleased\]: /)[0]!
      .trim();
    expect(section).toContain('- The release test entry.');
    expect(release.body.trim()).toBe(section);
    const order = github.log.filter((r) => /releases|attestations/.test(r) && !r.startsWith('GET'));
    expect(order.map((r) => r.replace(/\d+/g, 'N'))).toEqual([
      'POST /api/repos/org/pipeline-toolkit/attestations',
      'POST /api/repos/org/pipeline-toolkit/releases',
      'POST /uploads/repos/org/pipeline-toolkit/releases/N/assets',
      'POST /uploads/repos/org/pipeline-toolkit/releases/N/assets',
      'PATCH /api/repos/org/pipeline-toolkit/releases/N',
    ]);
  });

  it('attaches the packed CLI of version 1.1.0 and a SHA256SUMS that verifies it', () => {
    const assets = github.releases[0]!.assets;
    expect(assets.map((a) => a.name)).toEqual(['SHA256SUMS', 'pipeline-toolkit-1.1.0.tgz']);
    const tarball = assets[1]!.bytes;
    const dir = mkdtempSync(path.join(tmpdir(), 'ptk-assets-'));
    try {
      writeFileSync(path.join(dir, 'pipeline-toolkit-1.1.0.tgz'), tarball);
      writeFileSync(path.join(dir, 'SHA256SUMS'), assets[0]!.bytes);
      expect(execFileSync('sha256sum', ['--check', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toBe('pipeline-toolkit-1.1.0.tgz: OK\n');
      const manifest = JSON.parse(
        execFileSync('tar', ['-xzOf', 'pipeline-toolkit-1.1.0.tgz', 'package/package.json'], { cwd: dir, encoding: 'utf8' }),
      ) as {
        name: string;
        version: string;
      };
      expect(manifest).toMatchObject({ name: 'pipeline-toolkit', version: '1.1.0' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('attests every file of dist/ and the tarball by their sha256, for the released commit', () => {
    expect(github.attestations).toHaveLength(1);
    const statement = JSON.parse(Buffer.from(github.attestations[0]!.bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as {
      subject: { name: string; digest: { sha256: string } }[];
      predicate: { buildDefinition: { resolvedDependencies: { digest: { gitCommit: string } }[] } };
    };
    const expected = repo
      .git('ls-tree', '-r', '--name-only', prepared, '--', 'dist')
      .split('\n')
      .map((name) => ({
        name,
        digest: { sha256: sha256(execFileSync('git', ['show', `${prepared}:${name}`], { cwd: repo.dir, maxBuffer: 64 * 1024 * 1024 })) },
      }));
    expected.push({ name: 'release/assets/pipeline-toolkit-1.1.0.tgz', digest: { sha256: sha256(github.releases[0]!.assets[1]!.bytes) } });
    expect(statement.subject).toEqual(expect.arrayContaining(expected));
    expect(statement.subject).toHaveLength(expected.length);
    expect(statement.predicate.buildDefinition.resolvedDependencies[0]!.digest.gitCommit).toBe(prepared);
  });
});
