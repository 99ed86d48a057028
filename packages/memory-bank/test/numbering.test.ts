import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  branchNumbers,
  collisions,
  createAdr,
  createGitHub,
  nextNumber,
  pullRequestNumbers,
  renumberAdr,
} from '@pipeline-toolkit/memory-bank';
import { FakeGitHub } from './fake-github.ts';

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.com',
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });

let root: string;
let repo: string;
let bank: string;

async function commitAdr(branch: string, file: string) {
  git(repo, 'checkout', '-q', branch);
  await writeFile(path.join(bank, file), `# ${file}\n`);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', `add ${file}`);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mb-git-'));
  repo = path.join(root, 'work');
  bank = path.join(repo, 'docs', 'memory-bank');
  await mkdir(bank, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  await writeFile(path.join(bank, 'decisionLog.md'), '# Decision Log\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'init');
  await commitAdr('main', 'ADR-001-first.md');
  git(repo, 'branch', 'feature-a');
  git(repo, 'branch', 'feature-b');
  await commitAdr('feature-a', 'ADR-002-from-a.md');
  await commitAdr('feature-b', 'ADR-002-from-b.md');
  await commitAdr('feature-b', 'ADR-003-also-b.md');
  git(repo, 'checkout', '-q', 'main');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('numbers across branches (real git repository)', () => {
  it('lists the ADR files of every local and remote-tracking branch', async () => {
    const clone = path.join(root, 'clone');
    git(root, 'clone', '-q', repo, clone);
    const used = await branchNumbers(path.join(clone, 'docs', 'memory-bank'));
    const seen = used.map((u) => `${u.file} @ ${u.source}`).sort();
    // The clone has only main locally; the feature branches are remote-tracking refs.
    expect(seen).toEqual([
      'ADR-001-first.md @ branch main',
      'ADR-001-first.md @ branch origin/feature-a',
      'ADR-001-first.md @ branch origin/feature-b',
      'ADR-002-from-a.md @ branch origin/feature-a',
      'ADR-002-from-b.md @ branch origin/feature-b',
      'ADR-003-also-b.md @ branch origin/feature-b',
    ]);
    expect(nextNumber(used)).toBe(4);
  });

  it('adr new on main takes a number no branch uses', async () => {
    const { adr } = await createAdr(bank, { title: 'On main', date: '2026-11-29', usedElsewhere: await branchNumbers(bank) });
    expect(adr.file).toBe('ADR-004-on-main.md');
  });

  it('finds collisions: the same number for a different file elsewhere', async () => {
    git(repo, 'checkout', '-q', 'feature-a');
    const local = [
      { number: 1, file: 'ADR-001-first.md', source: 'local' },
      { number: 2, file: 'ADR-002-from-a.md', source: 'local' },
    ];
    const found = collisions(local, await branchNumbers(bank));
    expect(found.map((c) => `${c.local.file} ↔ ${c.other.file} (${c.other.source})`)).toEqual([
      'ADR-002-from-a.md ↔ ADR-002-from-b.md (branch feature-b)',
    ]);
  });

  it('renumber also fixes links to the ADR file from Markdown elsewhere in the repository', async () => {
    await writeFile(path.join(repo, 'README.md'), 'See [the first decision](docs/memory-bank/ADR-001-first.md) and XADR-001-first.md.\n');
    git(repo, 'add', 'README.md');
    const result = await renumberAdr(bank, 1, 4, { date: '2026-11-29' });
    expect(result.files).toContain(path.join('..', '..', 'README.md'));
    expect(await readFile(path.join(repo, 'README.md'), 'utf8')).toBe(
      'See [the first decision](docs/memory-bank/ADR-004-first.md) and XADR-001-first.md.\n',
    );
  });

  it('is empty outside a git repository', async () => {
    const plain = path.join(root, 'plain');
    await mkdir(plain);
    expect(await branchNumbers(plain)).toEqual([]);
  });
});

describe('numbers in open pull requests (loopback GitHub API)', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await FakeGitHub.start();
    github.addPull({
      number: 7,
      title: 'a',
      head: 'a',
      base: 'main',
      files: [
        { filename: 'docs/memory-bank/ADR-005-in-pr.md', status: 'added' },
        { filename: 'docs/memory-bank/progress.md', status: 'modified' },
      ],
    });
    github.addPull({
      number: 8,
      title: 'b',
      head: 'b',
      base: 'main',
      files: [
        { filename: 'other/ADR-009-elsewhere.md', status: 'added' },
        { filename: 'docs/memory-bank/ADR-001-first.md', status: 'modified' },
      ],
    });
    github.addPull({
      number: 9,
      title: 'c',
      head: 'c',
      base: 'main',
      files: [{ filename: 'docs/memory-bank/ADR-006-mine.md', status: 'added' }],
    });
    github.addPull({
      number: 10,
      title: 'd',
      head: 'd',
      base: 'main',
      state: 'closed',
      files: [{ filename: 'docs/memory-bank/ADR-011-closed.md', status: 'added' }],
    });
  });
  afterAll(() => github.close());

  it('counts files added under the bank folder by open pull requests, except the current one', async () => {
    const client = await createGitHub('t0ken-for-tests', github.url);
    const used = await pullRequestNumbers(client, { owner: 'acme', repo: 'shop' }, 'docs/memory-bank', { exclude: 9 });
    expect(used).toEqual([{ number: 5, file: 'ADR-005-in-pr.md', source: 'pull request #7' }]);
    const { adr } = await createAdr(bank, { title: 'Next', date: '2026-11-29', usedElsewhere: [...(await branchNumbers(bank)), ...used] });
    expect(adr.file).toBe('ADR-006-next.md');
    const auth = github.server.requests.map((r) => r.headers.authorization);
    expect(new Set(auth)).toEqual(new Set(['token t0ken-for-tests']));
  });
});
