import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@pipeline-toolkit/testing';
import { dateUnreleased, sectionBody } from '../../scripts/release/changelog.ts';
import { breakingChanges, bumpKind, readInterface, type Interface } from '../../scripts/release/interface.ts';
import { tarballFrom, writeAssets } from '../../scripts/release/assets.ts';
import { releaseVersion, type Context } from '../../scripts/release/preflight.ts';
import { publish } from '../../scripts/release/publish.ts';
import { github } from '../../scripts/release/github.ts';
import { bumpManifest } from '../../scripts/release.ts';
import { BASELINE, workingTree } from '../../scripts/release/tree.ts';
import { startGitHub, type GitHubStandIn } from '../act/release.ts';

const node = process.execPath;
const guardScript = path.join(repoRoot, 'scripts/release/guard.ts');
const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: 'pipe',
  }).trim();

/** A git repository with this checkout's public interface files (every action.yml, the reusable workflow). */
function interfaceRepo(): string {
  const dir = temp('ptk-guard-');
  const files = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--', 'action.yml', 'actions/*/action.yml', '.github/workflows/pipeline.yml', BASELINE],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter(Boolean);
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(repoRoot, f), path.join(dir, f));
  }
  writeFileSync(path.join(dir, 'package.json'), '{\n  "name": "t",\n  "version": "1.0.0"\n}\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'v1.0.0');
  return dir;
}

/** Deletes one input (its key line and the indented lines below it) from an action.yml. */
function removeInput(file: string, name: string): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.indexOf(`  ${name}:`);
  if (start < 0) throw new Error(`${file} has no input ${name}`);
  let end = start + 1;
  while (end < lines.length && (lines[end]!.startsWith('    ') || lines[end] === '')) end++;
  lines.splice(start, end - start);
  writeFileSync(file, lines.join('\n'));
}

const runGuard = (root: string, ...args: string[]) => spawnSync(node, [guardScript, '--root', root, ...args], { encoding: 'utf8' });

describe('breaking-change guard', () => {
  it('holds for this repository against its last release tag or the committed baseline', () => {
    const result = runGuard(repoRoot);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/^No breaking change since (tag v\d+\.\d+\.\d+|scripts\/release\/interface\.json)/);
  });

  it('fails on an input removed since the last release tag, and passes it as a major release', () => {
    const dir = interfaceRepo();
    git(dir, 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0');
    removeInput(path.join(dir, 'actions/slack-notify/action.yml'), 'mention-on-failure');
    git(dir, 'commit', '-q', '-am', 'slack-notify: mention-on-failure removed');
    const minor = runGuard(dir, '--version', '1.1.0');
    expect(minor.status).toBe(1);
    expect(minor.stderr).toContain('Breaking changes since tag v1.0.0, but version 1.1.0 keeps major 1:');
    expect(minor.stderr).toContain("actions/slack-notify/action.yml: input 'mention-on-failure' was removed or renamed");
    expect(minor.stderr).toContain('npm run release -- 2.0.0');
    // A pushed tag on the commit being released is not what callers pin: still compared with v1.0.0.
    git(dir, 'tag', '-a', 'v1.1.0', '-m', 'v1.1.0');
    expect(runGuard(dir, '--version', '1.1.0').stderr).toContain('Breaking changes since tag v1.0.0, but version 1.1.0 keeps major 1:');
    const major = runGuard(dir, '--version', '2.0.0');
    expect(major.status).toBe(0);
    expect(major.stdout).toContain("released as major version 2.0.0:\n  - actions/slack-notify/action.yml: input 'mention-on-failure'");
  });

  it('with no tag yet, compares with the committed baseline and says how to accept a new one', () => {
    const dir = interfaceRepo();
    const file = path.join(dir, '.github/workflows/pipeline.yml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^ {6}KUBE_CONFIG:$/m);
    writeFileSync(file, text.replace(/^ {6}KUBE_CONFIG:$/m, '      KUBECONFIG_B64:'));
    const result = runGuard(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `Breaking changes since ${BASELINE} (no release tag yet; recorded at 1.0.0), but version 1.0.0 keeps major 1:`,
    );
    expect(result.stderr).toContain(".github/workflows/pipeline.yml: secret 'KUBE_CONFIG' was removed or renamed");
    expect(result.stderr).toContain('npm run release -- --baseline');
  });

  it('names each kind of break, and nothing for additions', () => {
    const current = readInterface(workingTree(repoRoot), '1.0.0');
    const after = structuredClone(current) as Interface;
    const workflow = after.surfaces['.github/workflows/pipeline.yml']!;
    const deploy = after.surfaces['actions/deploy/action.yml']!;
    const [firstInput] = Object.keys(workflow.inputs);
    workflow.inputs[firstInput!] = { ...workflow.inputs[firstInput!]!, type: 'number' };
    workflow.outputs = workflow.outputs.filter((o) => o !== 'deploy-url');
    workflow.secrets!['NEW_TOKEN'] = { required: true };
    const optionalInput = Object.entries(deploy.inputs).find(([, i]) => !i.required)![0];
    deploy.inputs[optionalInput] = { required: true, hasDefault: false };
    deploy.inputs['brand-new'] = { required: true, hasDefault: false };
    deploy.inputs['optional-new'] = { required: false, hasDefault: false };
    delete after.surfaces['actions/lint/action.yml'];
    expect(breakingChanges(current, after).sort()).toEqual(
      [
        `.github/workflows/pipeline.yml: input '${firstInput}' changed type from string to number`,
        ".github/workflows/pipeline.yml: output 'deploy-url' was removed or renamed",
        ".github/workflows/pipeline.yml: new secret 'NEW_TOKEN' is required",
        `actions/deploy/action.yml: input '${optionalInput}' became required`,
        "actions/deploy/action.yml: new input 'brand-new' is required and has no default",
        'actions/lint/action.yml was removed',
      ].sort(),
    );
    expect(breakingChanges(after, after)).toEqual([]);
  });

  it('reads the reusable workflow inputs, outputs and secrets as the YAML declares them', () => {
    const doc = parse(readFileSync(path.join(repoRoot, '.github/workflows/pipeline.yml'), 'utf8')) as {
      on: { workflow_call: { inputs: object; outputs: object; secrets: object } };
    };
    const surface = readInterface(workingTree(repoRoot), '1.0.0').surfaces['.github/workflows/pipeline.yml']!;
    expect(Object.keys(surface.inputs).sort()).toEqual(Object.keys(doc.on.workflow_call.inputs).sort());
    expect(surface.outputs).toEqual(Object.keys(doc.on.workflow_call.outputs).sort());
    expect(Object.keys(surface.secrets!).sort()).toEqual(Object.keys(doc.on.workflow_call.secrets).sort());
  });

  it('refuses a broken action.yml by name', () => {
    const dir = interfaceRepo();
    writeFileSync(path.join(dir, 'actions/lint/action.yml'), 'inputs: [oops\n');
    const result = runGuard(dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('actions/lint/action.yml: not valid YAML');
  });
});

describe('versions', () => {
  it('classifies bumps and refuses anything but X.Y.Z', () => {
    expect([bumpKind('1.2.3', '2.0.0'), bumpKind('1.2.3', '1.3.0'), bumpKind('1.2.3', '1.2.4')]).toEqual(['major', 'minor', 'patch']);
    expect(() => bumpKind('1.2.3', '1.2.3')).toThrow('version 1.2.3 is not greater than the last release 1.2.3');
    expect(() => bumpKind('1.2.3', 'v1.3.0')).toThrow("version 'v1.3.0' is not a release version: expected X.Y.Z");
    expect(() => bumpKind('1.2.3', '01.3.0')).toThrow('not a release version');
  });

  it('bumps a manifest and its pins of workspace packages, nothing else', () => {
    const text = readFileSync(path.join(repoRoot, 'actions/deploy/package.json'), 'utf8');
    const names = new Set(['@pipeline-toolkit/core', '@pipeline-toolkit/k8s']);
    const bumped = bumpManifest(text, names, '1.4.0');
    const before = JSON.parse(text) as { version: string; dependencies: Record<string, string> };
    const after = JSON.parse(bumped) as typeof before;
    expect(after.version).toBe('1.4.0');
    for (const [dep, spec] of Object.entries(after.dependencies)) expect(spec).toBe(names.has(dep) ? '1.4.0' : before.dependencies[dep]);
    expect(bumped.split('\n').length).toBe(text.split('\n').length);
  });
});

describe('changelog', () => {
  const text = readFileSync(path.join(repoRoot, 'CHANGELOG.md'), 'utf8');

  it('dates [Unreleased] as the release and opens a new empty one, with compare links', () => {
    const unreleased = sectionBody(text, 'Unreleased')!;
    expect(unreleased.length).toBeGreaterThan(0);
    const next = dateUnreleased(text, '1.1.0', '2026-12-05', 'org/pipeline-toolkit', '1.0.0');
    expect(sectionBody(next, 'Unreleased')).toBe('');
    expect(next).toContain('## [Unreleased]\n\n## [1.1.0] - 2026-12-05\n');
    expect(sectionBody(next, '1.1.0')).toBe(unreleased);
    expect(next).toContain('[Unreleased]: https://github.com/org/pipeline-toolkit/compare/v1.1.0...HEAD');
    expect(next).toContain('[1.1.0]: https://github.com/org/pipeline-toolkit/compare/v1.0.0...v1.1.0');
    const again = dateUnreleased(
      next.replace('## [Unreleased]\n', '## [Unreleased]\n\n- more\n'),
      '1.2.0',
      '2027-01-02',
      'org/pipeline-toolkit',
      '1.1.0',
    );
    expect(sectionBody(again, '1.1.0')).toBe(unreleased);
    expect(sectionBody(again, '1.2.0')).toBe('- more');
    expect(again.match(/^\[Unreleased\]: /gm)).toHaveLength(1);
  });

  it('refuses an empty [Unreleased] and a version already in the changelog', () => {
    const next = dateUnreleased(text, '1.1.0', '2026-12-05', 'org/pipeline-toolkit');
    expect(() => dateUnreleased(next, '1.2.0', '2026-12-06', 'org/pipeline-toolkit')).toThrow(
      '[Unreleased] section of CHANGELOG.md is empty',
    );
    expect(() => dateUnreleased(text.replace('## [Unreleased]', '## [Unreleased]\n\n## [1.1.0]'), '1.1.0', '2026-12-05', 'x/y')).toThrow(
      'already has a section for 1.1.0',
    );
  });
});

describe('npm run release (dry run)', () => {
  it('prints the plan and changes nothing', () => {
    const before = execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8' });
    const result = spawnSync(node, [path.join(repoRoot, 'scripts/release.ts'), '1.0.0'], { cwd: repoRoot, encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain('Release v1.0.0 (first release)');
    expect(result.stdout).toContain('move the major tag v1 to v1.0.0');
    expect(result.stdout).toContain('Dry run: nothing was changed.');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8' })).toBe(before);
  });

  it.each([
    ['1.2', '1.2'],
    ['v1.2.0', 'v1.2.0'],
    ['a workflow command after a newline', '1.2.0\n::error::injected'],
    ['5,000 digits', '9'.repeat(5000)],
  ])('refuses the version %s', (_label, version) => {
    const result = spawnSync(node, [path.join(repoRoot, 'scripts/release.ts'), version], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^release: version '.*' is not a release version: expected X\.Y\.Z/);
    expect(result.stderr).not.toContain('\n::error');
    expect(result.stderr.length).toBeLessThan(300);
  });
});

describe('release workflow gate and assets', () => {
  const ctx: Context = {
    root: repoRoot,
    event: 'workflow_dispatch',
    ref: 'refs/heads/main',
    sha: '',
    repository: 'org/x',
    versionInput: '1.2.0',
    ciWorkflow: 'ci.yml',
  };

  it('takes the version from the dispatch input on main or from a pushed vX.Y.Z tag', () => {
    expect(releaseVersion(ctx)).toBe('1.2.0');
    expect(releaseVersion({ ...ctx, versionInput: ' v1.2.0 ' })).toBe('1.2.0');
    expect(releaseVersion({ ...ctx, event: 'push', ref: 'refs/tags/v3.0.1' })).toBe('3.0.1');
    expect(() => releaseVersion({ ...ctx, ref: 'refs/heads/feature' })).toThrow(
      "releases are made from main; this run was started on 'refs/heads/feature'",
    );
    expect(() => releaseVersion({ ...ctx, event: 'push', ref: 'refs/tags/v1' })).toThrow("'refs/tags/v1' is not a release tag (vX.Y.Z)");
    expect(() => releaseVersion({ ...ctx, versionInput: '1.2.0-rc.1' })).toThrow("input 'version' '1.2.0-rc.1' is not a release version");
    expect(() => releaseVersion({ ...ctx, event: 'pull_request' })).toThrow("event 'pull_request' does not start a release");
  });

  it("takes the tarball from package-cli's last line and writes a sha256sum-compatible SHA256SUMS", () => {
    const dir = temp('ptk-assets-');
    writeFileSync(path.join(dir, 'cli.tgz'), 'not really gzip, but bytes');
    expect(tarballFrom('npm notice\nnpm notice x\ncli.tgz\n', dir)).toBe(path.join(dir, 'cli.tgz'));
    expect(() => tarballFrom('cli.tgz\nsomething else', dir)).toThrow(
      "did not end with the path of a .tgz file (last line: 'something else')",
    );
    expect(() => tarballFrom('missing.tgz', dir)).toThrow("(last line: 'missing.tgz')");
    const out = path.join(dir, 'out');
    expect(writeAssets(path.join(dir, 'cli.tgz'), '1.2.0', out)).toEqual(['pipeline-toolkit-1.2.0.tgz', 'SHA256SUMS']);
    expect(execFileSync('sha256sum', ['--check', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' })).toBe('pipeline-toolkit-1.2.0.tgz: OK\n');
  });
});

describe('publish against a loopback GitHub', () => {
  let api: GitHubStandIn;
  let dir: string;
  let bare: string;
  let sha: string;
  beforeAll(async () => {
    api = await startGitHub('ghs_unit');
    const root = temp('ptk-publish-');
    bare = path.join(root, 'origin.git');
    dir = path.join(root, 'work');
    execFileSync('git', ['init', '-q', '--bare', bare]);
    mkdirSync(path.join(dir, 'assets'), { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'remote', 'add', 'origin', bare);
    writeFileSync(path.join(dir, 'notes.md'), '### Fixed\n- a thing\n');
    writeFileSync(path.join(dir, 'assets', 'SHA256SUMS'), 'x\n');
    git(dir, 'add', 'notes.md');
    git(dir, 'commit', '-q', '-m', 'one');
    sha = git(dir, 'rev-parse', 'HEAD');
  });
  afterAll(() => api.close());

  const run = (version: string, log: string[] = []) =>
    publish(github({ GITHUB_API_URL: `${api.url}/api`, GITHUB_TOKEN: 'ghs_unit' }), {
      root: dir,
      repository: 'org/pipeline-toolkit',
      version,
      sha,
      assets: path.join(dir, 'assets'),
      notes: path.join(dir, 'notes.md'),
      log: (l) => log.push(l),
    });

  it('publishes, and a second run of the same version changes nothing: the release is immutable', async () => {
    await run('2.0.0');
    expect(git(bare, 'rev-parse', 'v2')).toBe(sha);
    expect(api.releases.map((r) => [r.tag_name, r.draft, r.body])).toEqual([['v2.0.0', false, '### Fixed\n- a thing\n']]);
    const requests = api.log.length;
    await expect(run('2.0.0')).rejects.toThrow('release v2.0.0 is already published');
    expect(api.log.slice(requests)).toEqual(['GET /api/repos/org/pipeline-toolkit/releases/tags/v2.0.0']);
    expect(api.releases[0]!.assets.map((a) => a.name)).toEqual(['SHA256SUMS']);
  });

  it('does not move the major tag back for a lower release of the same major', async () => {
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'two');
    git(dir, 'tag', 'v2.3.0', 'HEAD');
    git(dir, 'reset', '-q', '--hard', sha);
    const log: string[] = [];
    await run('2.1.0', log);
    expect(log).toContain('v2 stays where it is: v2.3.0 is a higher v2 release.');
    expect(api.releases.find((r) => r.tag_name === 'v2.1.0')).toMatchObject({ draft: false, make_latest: 'false' });
  });

  it('names the route and the status when GitHub refuses the token', async () => {
    const client = github({ GITHUB_API_URL: `${api.url}/api`, GITHUB_TOKEN: 'wrong' });
    await expect(client.request('GET', '/repos/org/pipeline-toolkit/releases/tags/v9.9.9')).rejects.toThrow(
      'GET /repos/org/pipeline-toolkit/releases/tags/v9.9.9: HTTP 401 Bad credentials',
    );
  });
});

describe('.github/workflows/release.yml', () => {
  const text = readFileSync(path.join(repoRoot, '.github/workflows/release.yml'), 'utf8');
  const wf = parse(text) as {
    on: { workflow_dispatch: { inputs: Record<string, { required: boolean }> }; push: { tags: string[] } };
    permissions: object;
    concurrency: { 'cancel-in-progress': boolean };
    jobs: Record<
      string,
      { permissions: Record<string, string>; needs?: string; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }
    >;
  };

  it('starts from a dispatch with the version or a pushed vX.Y.Z tag, one release at a time', () => {
    expect(wf.on.workflow_dispatch.inputs['version']!.required).toBe(true);
    expect(wf.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
  });

  it('grants write permissions only to the release job, after verify', () => {
    expect(wf.permissions).toEqual({});
    expect(wf.jobs['verify']!.permissions).toEqual({ contents: 'read', actions: 'read' });
    expect(wf.jobs['release']!.permissions).toEqual({ contents: 'write', 'id-token': 'write', attestations: 'write' });
    expect(wf.jobs['release']!.needs).toBe('verify');
  });

  it('pins every action by commit SHA, attest-build-provenance at v4.1.0, without caches', () => {
    const uses = Object.values(wf.jobs).flatMap((j) => j.steps.filter((s) => s.uses).map((s) => s));
    for (const step of uses) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
    expect(text).toContain('actions/attest-build-provenance@a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32 # v4.1.0');
    for (const step of uses.filter((s) => s.uses!.startsWith('actions/setup-node@'))) {
      expect(step.with?.['package-manager-cache']).toBe(false);
      expect(step.with?.['cache']).toBeUndefined();
    }
  });

  it('runs the gate, check-dist and the packer in verify, and attests dist/ and the tarball', () => {
    const runs = wf.jobs['verify']!.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('node scripts/release/preflight.ts');
    expect(runs.indexOf('preflight.ts')).toBeLessThan(runs.indexOf('npm ci'));
    expect(runs).toContain('node scripts/release/guard.ts --version "$VERSION"');
    expect(runs).toContain('npm run check-dist');
    expect(runs).toContain('node scripts/release/assets.ts');
    const attest = wf.jobs['release']!.steps.find((s) => s.uses?.startsWith('actions/attest-build-provenance@'))!;
    expect(String(attest.with?.['subject-path']).split('\n').filter(Boolean)).toEqual(['dist/**', 'release/assets/*.tgz']);
    const release = wf.jobs['release']!.steps.map((s) => s.uses ?? s.run ?? '');
    expect(release.findIndex((s) => s.includes('attest'))).toBeLessThan(release.findIndex((s) => s.includes('publish.ts')));
  });
});
