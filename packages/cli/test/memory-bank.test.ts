import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { main, type CliIO } from 'pipeline-toolkit';
import { FakeGitHub } from '../../memory-bank/test/fake-github.ts';

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.com',
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });

let repo: string;
const bank = () => path.join(repo, 'memory-bank');

function io(env: Record<string, string> = {}): CliIO & { printed: string[]; log: MemoryLogger } {
  const printed: string[] = [];
  return { log: new MemoryLogger(), out: (t) => printed.push(t), env, cwd: repo, printed };
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const session = io(env);
  const code = await main(args, session);
  return { code, out: session.printed.join('\n'), errors: session.log.lines.filter((l) => l.level === 'error') };
}

const adrFiles = async () => (await readdir(bank())).filter((f) => f.startsWith('ADR-')).sort();

beforeEach(async () => {
  repo = await mkdtemp(path.join(tmpdir(), 'mb-cli-'));
  git(repo, 'init', '-q', '-b', 'main');
});
afterEach(() => rm(repo, { recursive: true, force: true }));

describe('pipeline-toolkit memory-bank / adr', () => {
  it('init, adr new (numbers past other branches), supersede, status, list, index and lint', async () => {
    expect((await cli(['memory-bank', 'init', '--language', 'pt-BR'])).code).toBe(0);
    expect((await cli(['memory-bank', 'init'])).out).toContain('kept    ');
    expect((await cli(['adr', 'new', 'Usar PostgreSQL'])).out).toBe(
      `created ${path.join(bank(), 'ADR-001-usar-postgresql.md')}\nupdated ${path.join(bank(), 'decisionLog.md')}`,
    );
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'bank');
    // Another branch already took ADR-002.
    git(repo, 'checkout', '-q', '-b', 'feature');
    expect((await cli(['adr', 'new', 'Usar Redis'])).code).toBe(0);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'redis');
    git(repo, 'checkout', '-q', 'main');
    expect((await cli(['adr', 'supersede', '1', 'Usar CockroachDB'])).out).toContain('ADR-003-usar-cockroachdb.md');
    expect(await adrFiles()).toEqual(['ADR-001-usar-postgresql.md', 'ADR-003-usar-cockroachdb.md']);
    expect(await readFile(path.join(bank(), 'ADR-003-usar-cockroachdb.md'), 'utf8')).toContain('- Status: Aceito\n');
    expect((await cli(['adr', 'status', 'ADR-003', 'deprecated'])).code).toBe(0);

    const list = await cli(['adr', 'list']);
    expect(list.out.split('\n')).toEqual([
      'ADR      Title             Status       Date',
      '───────  ────────────────  ───────────  ──────────',
      expect.stringMatching(/^ADR-001 {2}Usar PostgreSQL {3}Substituído {2}\d{4}-\d\d-\d\d$/),
      expect.stringMatching(/^ADR-003 {2}Usar CockroachDB {2}Obsoleto {5}\d{4}-\d\d-\d\d$/),
    ]);
    const lint = await cli(['memory-bank', 'lint']);
    expect(lint).toMatchObject({ code: 0, out: 'memory-bank lint: no problems.' });
  });

  it('lint lists every problem as file:line and exits 1; index fixes the index', async () => {
    await cli(['memory-bank', 'init']);
    await writeFile(path.join(bank(), 'ADR-001.md'), '# ADR-001: Cache\n\n- Status: accepted\n\n## Context\n\n## Decision\n');
    const lint = await cli(['memory-bank', 'lint']);
    expect(lint.code).toBe(1);
    expect(lint.errors.map((e) => `${e.properties?.file}:${e.properties?.line} ${e.message}`)).toEqual([
      "memory-bank/ADR-001.md:1 missing section 'Consequences' (pt-BR 'Consequências') [section]",
      "memory-bank/ADR-001.md:1 has no date line ('- Date: YYYY-MM-DD') [date]",
      "memory-bank/decisionLog.md:10 the ADR index is out of date; run 'pipeline-toolkit memory-bank index' [index]",
    ]);
    expect(lint.out).toBe('memory-bank lint: 3 problem(s).');
    expect((await cli(['memory-bank', 'index'])).out).toBe('Updated `memory-bank/decisionLog.md`.');
    expect((await cli(['memory-bank', 'lint'])).errors).toHaveLength(2);
    // An absolute --dir works from anywhere; problems are named from the bank's parent folder.
    const elsewhere = { ...io(), cwd: '/nonexistent-cwd' };
    expect(await main(['memory-bank', 'lint', '--dir', bank()], elsewhere)).toBe(1);
    expect(elsewhere.log.lines[0]?.properties?.file).toBe('memory-bank/ADR-001.md');
  });

  it('adr new counts ADRs added by open pull requests when a token is set', async () => {
    const github = await FakeGitHub.start();
    try {
      github.addPull({
        number: 4,
        title: 'x',
        head: 'x',
        base: 'main',
        files: [{ filename: 'memory-bank/ADR-009-from-pr.md', status: 'added' }],
      });
      await cli(['memory-bank', 'init']);
      const env = { GITHUB_TOKEN: 'ghp_token_for_the_test', GITHUB_API_URL: github.url };
      const created = await cli(['adr', 'new', 'After the PR', '--repository', 'acme/shop'], env);
      expect(created.out).toContain('ADR-010-after-the-pr.md');
      expect(github.server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
        'GET /repos/acme/shop/pulls',
        'GET /repos/acme/shop/pulls/4/files',
      ]);
      // Without a way to tell the repository, open pull requests are skipped with a warning.
      const session = io(env);
      expect(await main(['adr', 'new', 'No remote'], session)).toBe(0);
      expect(session.printed.join('\n')).toContain('ADR-011-no-remote.md');
      expect(github.server.requests).toHaveLength(2);
      expect(session.log.lines.find((l) => l.level === 'warning')?.message).toContain('pass --repository owner/name');
    } finally {
      await github.close();
    }
  });

  it('renumber moves the file and fixes links', async () => {
    await cli(['memory-bank', 'init']);
    await cli(['adr', 'new', 'One']);
    await cli(['adr', 'supersede', '1', 'Two']);
    expect((await cli(['adr', 'renumber', '2', '5'])).code).toBe(0);
    expect(await adrFiles()).toEqual(['ADR-001-one.md', 'ADR-005-two.md']);
    expect(await readFile(path.join(bank(), 'ADR-001-one.md'), 'utf8')).toContain('[ADR-005](ADR-005-two.md)');
    expect((await cli(['memory-bank', 'lint'])).code).toBe(0);
  });

  it('exits 2 on bad usage, naming what is accepted', async () => {
    await cli(['memory-bank', 'init']);
    const status = await cli(['adr', 'status', '1', 'maybe']);
    expect(status.code).toBe(2);
    expect(status.errors[0]?.message).toContain(
      'status must be one of proposed, accepted, rejected, deprecated, superseded or Proposto, Aceito',
    );
    expect((await cli(['adr', 'new'])).errors[0]?.message).toContain('adr new takes 1 argument(s), got 0.');
    expect((await cli(['adr', 'status', 'seven', 'accepted'])).errors[0]?.message).toBe(
      "number must be an ADR number such as 7 or ADR-007, got 'seven'.",
    );
    expect((await cli(['memory-bank', 'frob'])).code).toBe(2);
    expect((await cli(['memory-bank', 'lint', '--mode', 'push'])).errors[0]?.message).toBe(
      "--mode must be one of files, commit, pull-request, got 'push'.",
    );
    expect((await cli(['adr', 'status', '4', 'accepted'])).errors[0]?.message).toBe('There is no ADR 4 in ' + bank() + ' (ADRs: none).');
  });
});

const BIN = path.resolve(import.meta.dirname, '../src/bin.ts');
const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/adr');

function spawnCli(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('pipeline-toolkit adr: concurrency, hostile titles, import', () => {
  it('ten concurrent adr new processes get ten distinct numbers, and the index lists all ten', async () => {
    expect((await cli(['memory-bank', 'init'])).code).toBe(0);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => spawnCli(['adr', 'new', `Decision ${i}`], repo)));
    expect(results.map((r) => r.code)).toEqual(Array(10).fill(0));
    const files = await adrFiles();
    expect(files.map((f) => f.slice(0, 7))).toEqual(Array.from({ length: 10 }, (_, i) => `ADR-${String(i + 1).padStart(3, '0')}`));
    expect(files.map((f) => f.slice(8)).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `decision-${i}.md`));
    const log = await readFile(path.join(bank(), 'decisionLog.md'), 'utf8');
    for (const file of files) expect(log).toContain(`(${file})`);
    expect((await readdir(bank())).filter((f) => f.startsWith('.'))).toEqual([]);
  }, 60_000);

  it('refuses a title with a line break or control characters, and a huge one, writing nothing', async () => {
    expect((await cli(['memory-bank', 'init'])).code).toBe(0);
    for (const title of ['Use X\n## Status\n\nAccepted', 'Bell\u0007', 'x'.repeat(201)]) {
      const { code } = await cli(['adr', 'new', title]);
      expect(code).toBe(2);
    }
    expect(await adrFiles()).toEqual([]);
  });

  it('an adr-tools folder: list and new point to import; import, index and lint then agree with the files', async () => {
    const docs = path.join(repo, 'doc', 'adr');
    await cp(path.join(FIXTURES, 'adr-tools', 'doc', 'adr'), docs, { recursive: true });
    const before = await cli(['adr', 'list', '--dir', 'doc/adr']);
    expect(before.out).toContain('No ADR-NNN records in');
    expect(before.out).toContain(
      "9 record(s) named in another scheme (0001-record-architecture-decisions.md, 0002-implement-as-shell-scripts.md, 0003-single-command-with-subcommands.md, …): 'pipeline-toolkit adr import doc/adr --dir doc/adr'",
    );
    const refused = await cli(['adr', 'new', 'Tenth', '--dir', 'doc/adr']);
    expect(refused.code).toBe(2);
    expect((await readdir(docs)).filter((f) => f.startsWith('ADR-'))).toEqual([]);

    expect((await cli(['memory-bank', 'init'])).code).toBe(0);
    const dry = await cli(['adr', 'import', 'doc/adr', '--dry-run']);
    expect(dry.out).toMatch(/^0005-help-comments\.md +ADR-005-help-comments\.md +1$/m);
    expect(await adrFiles()).toEqual([]);
    expect((await cli(['adr', 'import', 'doc/adr'])).code).toBe(0);
    const list = await cli(['adr', 'list']);
    expect(list.out).toMatch(/^ADR-001 +Record architecture decisions +accepted +2016-02-12$/m);
    expect(list.out).toMatch(/^ADR-009 +Help scripts +accepted +2018-06-26$/m);
    expect((await cli(['memory-bank', 'index'])).code).toBe(0);
    expect(await cli(['memory-bank', 'lint'])).toMatchObject({ code: 0, out: 'memory-bank lint: no problems.' });
    // The next ADR follows the imported numbers.
    expect((await cli(['adr', 'new', 'Tenth'])).out).toContain('ADR-010-tenth.md');
  });
});
