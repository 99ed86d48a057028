import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '@pipeline-toolkit/core';
import {
  bankTemplates,
  CommitStore,
  createGitHub,
  deployChange,
  LocalStore,
  PullRequestStore,
  type DeployRecord,
  type GitHub,
} from '@pipeline-toolkit/memory-bank';
import { FakeGitHub } from './fake-github.ts';

const repository = { owner: 'acme', repo: 'shop' };
const record = (runId: string, environment = 'production'): DeployRecord => ({
  environment,
  runId,
  version: `v1.${runId}`,
  result: 'success',
  date: '2026-11-29',
});
const keysIn = (text: string | undefined) => [...(text ?? '').matchAll(/key: (\S+)/g)].map((m) => m[1]).sort();

let fake: FakeGitHub;
let github: GitHub;

beforeEach(async () => {
  fake = await FakeGitHub.start();
  fake.push('main', {
    'memory-bank/progress.md': bankTemplates('en', '2026-11-01')['progress.md'],
    'memory-bank/activeContext.md': bankTemplates('en', '2026-11-01')['activeContext.md'],
    'README.md': '# shop\n',
  });
  github = await createGitHub('t0ken', fake.url);
});
afterEach(() => fake.close());

describe('LocalStore', () => {
  it('writes only files that change and reports them', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'mb-store-'));
    try {
      const store = new LocalStore(root);
      const first = await store.apply(deployChange(record('1'), 'memory-bank', 'en'));
      expect(first).toEqual({ changed: true, files: ['memory-bank/progress.md', 'memory-bank/activeContext.md'] });
      expect(await store.apply(deployChange(record('1'), 'memory-bank', 'en'))).toEqual({ changed: false, files: [] });
      expect(keysIn(await readFile(path.join(root, 'memory-bank/progress.md'), 'utf8'))).toEqual(['deploy/production/1']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('CommitStore (git data API)', () => {
  it('commits both files in one commit on the branch; a re-run makes no commit', async () => {
    const before = fake.refs.get('main');
    const result = await new CommitStore(github, repository, 'main').apply(deployChange(record('1'), 'memory-bank', 'en'));
    expect(result).toMatchObject({ changed: true, files: ['memory-bank/progress.md', 'memory-bank/activeContext.md'] });
    expect(result.commitSha).toBe(fake.refs.get('main'));
    expect(fake.commits.get(result.commitSha ?? '')?.parents).toEqual([before]);
    expect(keysIn(fake.file('main', 'memory-bank/progress.md'))).toEqual(['deploy/production/1']);
    expect(fake.file('main', 'memory-bank/activeContext.md')).toContain('- Version in production: v1.1\n');
    expect(fake.file('main', 'README.md')).toBe('# shop\n');

    const head = fake.refs.get('main');
    expect(await new CommitStore(github, repository, 'main').apply(deployChange(record('1'), 'memory-bank', 'en'))).toEqual({
      changed: false,
      files: [],
    });
    expect(fake.refs.get('main')).toBe(head);
  });

  it('on a conflict at the first write, re-reads the branch and re-applies: nothing is lost', async () => {
    // Another workflow lands its own entry between our read and our ref update.
    let landed = false;
    fake.beforeRefUpdate = () => {
      if (landed) return;
      landed = true;
      const other = deployChange(record('2', 'staging'), 'memory-bank', 'en').edits[0];
      if (!other) throw new Error('no edit');
      fake.push('main', { [other.path]: other.apply(fake.file('main', other.path)) }, 'other workflow');
    };
    const log = new MemoryLogger();
    const result = await new CommitStore(github, repository, 'main', { log, delayMs: 1 }).apply(
      deployChange(record('1'), 'memory-bank', 'en'),
    );
    expect(result.changed).toBe(true);
    expect(keysIn(fake.file('main', 'memory-bank/progress.md'))).toEqual(['deploy/production/1', 'deploy/staging/2']);
    const patches = fake.server.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(2);
    expect(log.text()).toContain('main moved while committing (422); re-reading and re-applying (attempt 2/6)');
  });

  it('two runs racing from the same head both land', async () => {
    fake.holdBranchReads(2);
    const [a, b] = await Promise.all([
      new CommitStore(github, repository, 'main', { delayMs: 1 }).apply(deployChange(record('1'), 'memory-bank', 'en')),
      new CommitStore(github, repository, 'main', { delayMs: 1 }).apply(deployChange(record('2', 'staging'), 'memory-bank', 'en')),
    ]);
    expect(a.changed && b.changed).toBe(true);
    expect(keysIn(fake.file('main', 'memory-bank/progress.md'))).toEqual(['deploy/production/1', 'deploy/staging/2']);
    const context = fake.file('main', 'memory-bank/activeContext.md') ?? '';
    expect(context).toContain('- Version in production: v1.1');
    expect(context).toContain('- Version in staging: v1.2');
    // Exactly one of the two was refused once and retried.
    expect(fake.server.requests.filter((r) => r.method === 'PATCH')).toHaveLength(3);
  });

  it('gives up after the attempts with the API’s answer', async () => {
    let competing = 0;
    fake.beforeRefUpdate = () => void fake.push('main', { 'other.md': String(++competing) });
    const store = new CommitStore(github, repository, 'main', { attempts: 2, delayMs: 1 });
    await expect(store.apply(deployChange(record('1'), 'memory-bank', 'en'))).rejects.toThrow('answered 422: Update is not a fast forward');
    expect(competing).toBe(2);
  });
  it('does not retry a protected branch, and says what to do', async () => {
    fake.protectedBranches.add('main');
    const store = new CommitStore(github, repository, 'main', { delayMs: 1 });
    await expect(store.apply(deployChange(record('1'), 'memory-bank', 'en'))).rejects.toThrow(
      'answered 422: Protected branch update failed for refs/heads/main.\nThe branch is protected: use mode pull-request, or allow the token to push to it.',
    );
    expect(fake.server.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });
});

describe('PullRequestStore', () => {
  it('opens a pull request from memory-bank/<key>, and a re-run updates the same one', async () => {
    const store = new PullRequestStore(github, repository, 'main');
    const first = await store.apply(deployChange(record('7'), 'memory-bank', 'en'));
    expect(first).toMatchObject({ changed: true, pullRequestUrl: 'https://github.com/acme/shop/pull/100' });
    expect(fake.pulls).toHaveLength(1);
    expect(fake.pulls[0]).toMatchObject({
      head: 'memory-bank/deploy-production-7',
      base: 'main',
      title: 'memory-bank: record deploy of v1.7 to production (run 7)',
    });
    expect(keysIn(fake.file('memory-bank/deploy-production-7', 'memory-bank/progress.md'))).toEqual(['deploy/production/7']);
    expect(keysIn(fake.file('main', 'memory-bank/progress.md'))).toEqual([]);

    const again = await store.apply(deployChange(record('7'), 'memory-bank', 'en'));
    expect(again).toEqual({ changed: false, files: [], pullRequestUrl: 'https://github.com/acme/shop/pull/100' });
    expect(fake.pulls).toHaveLength(1);
  });

  it('restarts a branch whose earlier pull request was closed from the base', async () => {
    fake.push('memory-bank/deploy-production-7', { 'stale.md': 'old' });
    const result = await new PullRequestStore(github, repository, 'main').apply(deployChange(record('7'), 'memory-bank', 'en'));
    expect(result.pullRequestUrl).toBeDefined();
    expect(fake.file('memory-bank/deploy-production-7', 'stale.md')).toBeUndefined();
  });
});
