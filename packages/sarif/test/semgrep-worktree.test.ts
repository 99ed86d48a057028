import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec as realExec, MemoryLogger, type Exec } from '@pipeline-toolkit/core';
import { runAvailableScanners, scannerCommands } from '../src/index.ts';
import { exactPattern } from '../src/scanners/semgrep.ts';
import { git, repository, write } from './git-repo.ts';

/** The files of a worktree (its `.git` file left out), as `/`-separated relative paths. */
async function worktreeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !(e.name === '.git' && e.parentPath === dir))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

interface Seen {
  cwd: string;
  files: string[];
  status: string;
  args: string[];
}

/**
 * Runs the diff-aware Semgrep of run-scanners with the real git and, in place of Semgrep, a stand-in
 * that records what Semgrep would find: the files on disk and git's status in its environment
 * (Semgrep resets a clean tree in place, and makes a full worktree of its own for a dirty one).
 */
async function diffAwareRun(root: string, base: string): Promise<{ seen: Seen; tree: string; out: string; ws: string }> {
  const ws = path.join(root, 'service');
  // the toolkit's bundled rules: untracked in the workspace
  await write(ws, { 'rules/python.yml': 'rules: []\n' });
  const out = await mkdtemp(path.join(tmpdir(), 'semgrep-out-'));
  const tree = path.join(out, 'semgrep-head');
  let seen: Seen | undefined;
  const exec: Exec = async (command, args, options = {}) => {
    if (command !== '/bin/semgrep') return realExec(command, args, options);
    const cwd = options.cwd!;
    const status = await realExec('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd,
      ...(options.env ? { env: options.env } : {}),
    });
    seen = { cwd, files: await worktreeFiles(tree), status: status.stdout, args: [...args] };
    await writeFile(args[args.indexOf('--output') + 1]!, '{"results":[],"errors":[]}');
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  await runAvailableScanners(
    ['semgrep'],
    { workspace: ws, outDir: out, semgrepConfig: ['rules/python.yml'], diffBase: base },
    { exec, log: new MemoryLogger(), env: {}, which: (name) => `/bin/${name}` },
  );
  return { seen: seen!, tree, out, ws };
}

describe("a diff-aware Semgrep's private worktree of HEAD", () => {
  it("holds only the change's files, the .semgrepignore files and the rule files, looks clean to git, leaves the repository's configuration alone, and is removed", async () => {
    const weird = 'service/we*ird [1]?.py ';
    const { root, base } = await repository(
      {
        '.semgrepignore': 'vendor/\n',
        'service/.semgrepignore': 'tests/\n',
        'service/a.py': 'a = 1\n',
        'service/b.py': 'b = 1\n',
        'service/old.py': 'o = 1\n',
        'lib/x.py': 'x = 1\n',
        'service/we?ird [1]?.py ': 'a file a careless pattern would match\n',
      },
      async (r) => {
        await writeFile(path.join(r, 'service/a.py'), 'a = 2\n');
        await write(r, { [weird]: 'w = 1\n', 'lib/y.py': 'y = 1\n' });
        await rm(path.join(r, 'service/old.py'));
      },
    );
    const config = readFileSync(path.join(root, '.git', 'config'), 'utf8');
    const { seen, tree, out, ws } = await diffAwareRun(root, base);
    expect(seen.cwd).toBe(path.join(tree, 'service'));
    expect(seen.args.at(-1)).toBe('.');
    expect(seen.args.slice(0, 3)).toEqual(['scan', '--config', path.join(tree, 'service', 'rules', 'python.yml')]);
    expect(seen.files).toEqual(
      ['.semgrepignore', 'lib/y.py', 'service/.semgrepignore', 'service/a.py', 'service/rules/python.yml', weird].sort(),
    );
    // clean: Semgrep resets this tree to the base in place instead of checking out a full one
    expect(seen.status).toBe('');
    expect(existsSync(tree)).toBe(false);
    expect(existsSync(`${tree}.exclude`)).toBe(false);
    expect(git(root, 'worktree', 'list', '--porcelain')).not.toContain('semgrep-head');
    expect(readFileSync(path.join(root, '.git', 'config'), 'utf8')).toBe(config);
    // a full scan runs where the action runs and names the workspace
    const full = scannerCommands('semgrep', { workspace: ws, outDir: out, semgrepConfig: ['rules/python.yml'], command: 'semgrep' })[0]!;
    expect([full.cwd, full.args.at(-1), full.args[2]]).toEqual([undefined, ws, path.join(ws, 'rules', 'python.yml')]);
  });

  it('checks out the whole tree when a changed path cannot be a pattern (a line break in its name)', async () => {
    const { root, base } = await repository({ 'service/a.py': 'a = 1\n', 'lib/x.py': 'x = 1\n' }, async (r) => {
      await write(r, { 'service/two\nlines.py': 'n = 1\n' });
    });
    const { seen } = await diffAwareRun(root, base);
    expect(seen.files).toEqual(['lib/x.py', 'service/a.py', 'service/rules/python.yml', 'service/two\nlines.py']);
  });

  it('escapes what git would read as wildcards or drop as trailing spaces', () => {
    expect(exactPattern('a/b.py')).toBe('/a/b.py');
    expect(exactPattern('we*ird [1]?.py  ')).toBe('/we\\*ird \\[1]\\?.py\\ \\ ');
    expect(exactPattern('back\\slash')).toBe('/back\\\\slash');
  });
});
