import { describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec as realExec, MemoryLogger, type Exec, type ExecOptions } from '@pipeline-toolkit/core';
import { runAvailableScanners, scannerCommands } from '../src/index.ts';
import { diffContext, writeDiffTree } from '../src/diff-tree.ts';
import { repository, write } from './git-repo.ts';

/** Every file under a folder, as `/`-separated relative paths. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('what Trivy scans on a diff-aware scan', () => {
  const files = [
    'README.md',
    'app/main.py',
    'app/requirements.txt',
    'app/sub/util.py',
    'svc/package.json',
    'svc/package-lock.json',
    'chart/Chart.yaml',
    'chart/values.yaml',
    'chart/templates/deploy.yaml',
    'chart/templates/_helpers.tpl',
    'infra/main.tf',
    'infra/modules/db/main.tf',
    'infra/modules/db/vars.tfvars',
    'pom.xml',
    'core/pom.xml',
    'core/src/App.java',
  ];

  it('copies a changed file with the other files of its folder, not the subfolders', () => {
    expect(diffContext(['app/requirements.txt'], files)).toEqual(['app/main.py', 'app/requirements.txt']);
    // a lock file brings its manifest, whichever of the two changed
    expect(diffContext(['svc/package-lock.json'], files)).toEqual(['svc/package-lock.json', 'svc/package.json']);
  });

  it('copies the whole Helm chart when a file inside it changed', () => {
    expect(diffContext(['chart/values.yaml'], files)).toEqual([
      'chart/Chart.yaml',
      'chart/templates/_helpers.tpl',
      'chart/templates/deploy.yaml',
      'chart/values.yaml',
    ]);
  });

  it('copies every Terraform file for a Terraform change and every pom.xml for a POM change', () => {
    expect(diffContext(['infra/modules/db/vars.tfvars'], files)).toEqual([
      'infra/main.tf',
      'infra/modules/db/main.tf',
      'infra/modules/db/vars.tfvars',
    ]);
    expect(diffContext(['core/pom.xml'], files)).toEqual(['core/pom.xml', 'pom.xml']);
  });

  it('copies nothing for a path the repository no longer has, and the root folder for a root file', () => {
    expect(diffContext(['gone.txt'], files)).toEqual([]);
    expect(diffContext([], files)).toEqual([]);
    expect(diffContext(['README.md'], files)).toEqual(['README.md', 'pom.xml']);
  });
});

describe('the diff tree, from a real git repository', () => {
  it('holds the changed files and their folders at their repository paths, never a deleted file or a link', async () => {
    const { root, base } = await repository(
      {
        'app/main.py': 'print(1)\n',
        'app/requirements.txt': 'flask==0.12\n',
        'app/old.py': 'x = 1\n',
        'lib/a.py': 'a = 1\n',
        'lib/b.py': 'b = 1\n',
        'manual/index.md': '# manual\n',
      },
      async (root) => {
        await writeFile(path.join(root, 'lib/a.py'), 'a = 2\n');
        await rm(path.join(root, 'app/old.py'));
        await write(root, { 'new/Dockerfile': 'FROM alpine:3.10\n' });
        await symlink('/etc/hostname', path.join(root, 'new/outside'));
      },
    );
    const tree = path.join(await mkdtemp(path.join(tmpdir(), 'trivy-tree-')), 'tree');
    await mkdir(tree);
    await writeFile(path.join(tree, 'stale.txt'), 'from an earlier run\n');
    const result = await writeDiffTree(root, base, tree, realExec);
    expect(result.changed.sort()).toEqual(['lib/a.py', 'new/Dockerfile', 'new/outside']);
    expect(result.copied).toEqual(['lib/a.py', 'lib/b.py', 'new/Dockerfile']);
    expect(await filesUnder(tree)).toEqual(['lib/a.py', 'lib/b.py', 'new/Dockerfile']);
    expect(await readFile(path.join(tree, 'lib/a.py'), 'utf8')).toBe('a = 2\n');
  });

  it('a bad base is the error of git, not an empty scan', async () => {
    const { root } = await repository({ 'a.txt': '1\n' }, async (r) => writeFile(path.join(r, 'a.txt'), '2\n'));
    await expect(
      writeDiffTree(root, 'f'.repeat(40), path.join(await mkdtemp(path.join(tmpdir(), 'trivy-tree-')), 'tree'), realExec),
    ).rejects.toThrow(/git/);
  });
});

describe('trivy on a diff-aware scan', () => {
  it('runs in its copy of the change and scans it as `.`, naming the repository trivy.yaml', async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'trivy-ws-'));
    const common = { workspace: ws, outDir: '/out', semgrepConfig: [], command: 'trivy' };
    const full = scannerCommands('trivy', common)[0]!;
    expect(full.args.at(-1)).toBe(ws);
    expect(full.cwd).toBeUndefined();
    const diff = scannerCommands('trivy', { ...common, diffBase: 'b'.repeat(40) })[0]!;
    expect(diff.cwd).toBe('/out/trivy-diff-tree');
    expect(diff.args.at(-1)).toBe('.');
    expect(diff.args).not.toContain('--config');
    await writeFile(path.join(ws, 'trivy.yaml'), 'severity: [HIGH]\n');
    const configured = scannerCommands('trivy', { ...common, diffBase: 'b'.repeat(40) })[0]!.args;
    expect(configured.slice(-3)).toEqual(['--config', path.join(ws, 'trivy.yaml'), '.']);
  });

  it('run-scanners writes the tree before Trivy runs and runs Trivy in it', async () => {
    const { root, base } = await repository({ 'svc/go.mod': 'module x\n', 'svc/go.sum': '', 'web/app.js': '1\n' }, async (r) =>
      writeFile(path.join(r, 'svc/go.mod'), 'module x\n\ngo 1.22\n'),
    );
    const outDir = await mkdtemp(path.join(tmpdir(), 'trivy-out-'));
    const seen: { cwd?: string; files: string[] }[] = [];
    const exec: Exec = async (command, args, options?: ExecOptions) => {
      if (command === 'git') return realExec(command, args, options);
      if (args[0] === '--version') return { exitCode: 0, stdout: 'Version: 0.74.0\n', stderr: '' };
      seen.push({ cwd: options?.cwd, files: await filesUnder(options!.cwd!) });
      await writeFile(args[args.indexOf('--output') + 1]!, '{"SchemaVersion": 2, "Results": []}');
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    const log = new MemoryLogger();
    await runAvailableScanners(
      ['trivy'],
      { workspace: root, outDir, semgrepConfig: [], diffBase: base },
      { exec, log, env: {}, which: () => '/bin/trivy' },
    );
    expect(seen).toEqual([{ cwd: path.join(outDir, 'trivy-diff-tree'), files: ['svc/go.mod', 'svc/go.sum'] }]);
    expect(log.lines.map((l) => l.message)).toContain(
      'run-scanners: trivy scans the change: 1 changed file, 2 with the files read together with them.',
    );
  });
});
