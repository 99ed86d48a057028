import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '@pipeline-toolkit/testing';

const run = promisify(execFile);

/**
 * The packed CLI, installed with `npm install -g` into a temporary prefix and run from a folder
 * outside the clone, with nothing on PATH but Node and that prefix: what a user of the release
 * tarball gets.
 */
let dir: string;
let tarball: string;
let env: NodeJS.ProcessEnv;

async function cli(args: string[], cwd = path.join(dir, 'work')) {
  return run('pipeline-toolkit', args, { cwd, env, encoding: 'utf8' }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ptk-packed-cli-'));
  const packed = await run(process.execPath, [path.join(repoRoot, 'scripts', 'package-cli.ts'), '--out-dir', path.join(dir, 'out')], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  tarball = packed.stdout.trim().split('\n').pop()!;
  const prefix = path.join(dir, 'prefix');
  const npmEnv = { ...process.env, npm_config_prefix: prefix, npm_config_cache: path.join(dir, 'npm-cache') };
  await run('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', tarball], { cwd: dir, env: npmEnv });
  await run('mkdir', [path.join(dir, 'work')]);
  env = { PATH: [path.join(prefix, 'bin'), path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter), HOME: dir };
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run package-cli', () => {
  it('prints the tarball path as its last line, a tarball with no dependencies to fetch', async () => {
    expect(tarball).toBe(path.join(dir, 'out', 'pipeline-toolkit-1.0.0.tgz'));
    const listing = await run('tar', ['-tzf', tarball], { encoding: 'utf8' });
    const files = listing.stdout.split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/bin/pipeline-toolkit.js', 'package/dist/cli.js', 'package/licenses.txt']));
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
  });

  it('installs a pipeline-toolkit that works outside the clone', async () => {
    const version = await cli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: '1.0.0\n' });
    const help = await cli(['--help']);
    expect(help.stdout).toContain('Usage: pipeline-toolkit <command> [flags]');

    const notify = await cli(['notify', '--needs', '{"build":{"result":"success"},"test":{"result":"failure"}}', '--dry-run']);
    expect(notify.code).toBe(0);
    expect((JSON.parse(notify.stdout) as { text: string }).text).toBe('CI/CD pipeline failed: test');

    const usage = await cli(['smoke', '--taget', 'local']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Unknown flag '--taget' for 'pipeline-toolkit smoke'. Did you mean --target?");
  });

  it('aggregates a real Trivy report and gates on it (the scanner parsers and worker chunks load from the install)', async () => {
    const report = path.join(repoRoot, 'test', 'fixtures', 'scanners', 'trivy', 'trivy-v0.72.0-image-alpine310-critical.json');
    const scan = await cli(['scan', '--trivy', report, '--sarif', path.join(dir, 'work', 'out.sarif')]);
    expect(scan.code).toBe(1);
    expect(scan.stdout).toContain('Gate: failed (fail-on: high, gate-scope: all;');
    const lint = path.join(dir, 'work', 'svc');
    await run('mkdir', [lint]);
    await writeFile(path.join(lint, 'app.py'), 'print("hi")\n');
    const linted = await cli(['lint', '--require', 'ruff'], lint);
    expect(linted.code).toBe(1);
    expect(linted.stdout.split('\n')[0]).toBe('Lint failed');
  });
});
