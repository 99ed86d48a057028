import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, InputError, mapInputs, MemoryLogger } from '@pipeline-toolkit/core';
import { expandReports, readScanInputs, runScan } from '../src/index.ts';
import { globBase } from '../src/files.ts';

/**
 * Report paths and globs in a job (ADR-051): a report's real path is inside the workspace or
 * RUNNER_TEMP, a glob does not walk a folder link out of them, and a report reached through a
 * link to a file outside is refused before it is read.
 */

const CREDS = 'TOKEN=ghp_outsideSecret0123456789';

let base: string;
let ws: string;
let temp: string;
let outside: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'ptk-report-paths-'));
  [ws, temp, outside] = ['ws', 'temp', 'outside'].map((d) => path.join(base, d)) as [string, string, string];
  await mkdir(path.join(ws, 'reports'), { recursive: true });
  await mkdir(path.join(ws, 'build', 'out'), { recursive: true });
  await mkdir(path.join(ws, 'planted'));
  await mkdir(temp);
  await mkdir(outside);
  await writeFile(path.join(outside, 'creds.env'), CREDS);
  await writeFile(path.join(outside, 'x.json'), '{}');
  await writeFile(path.join(ws, 'reports', 's.json'), '{}');
  await writeFile(path.join(ws, 'build', 'out', 'b.json'), '{}');
  await writeFile(path.join(temp, 't.json'), '{}');
  // what a pull request can commit: a link to /, a link to a folder outside, a link to a file outside
  await symlink('/', path.join(ws, 'reports', 'root'));
  await symlink(outside, path.join(ws, 'reports', 'away'));
  await symlink(path.join(outside, 'creds.env'), path.join(ws, 'planted', 'b.json'));
  // links that stay inside: followed
  await symlink('../build', path.join(ws, 'reports', 'build'));
  await symlink('s.json', path.join(ws, 'reports', 'alias.json'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

const label = (name: string) => `Input '${name}'`;
const inJob = () => ({ roots: [ws, temp] });
const expand = (patterns: string[], options = inJob()) => expandReports(patterns, ws, 'sarif-files', label, options);

async function refusal(patterns: string[]): Promise<InputError> {
  const error = await expand(patterns).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('report paths and globs in a job', () => {
  it("a '**' glob beside a committed link to / searches the workspace only, and quickly", async () => {
    const started = Date.now();
    const files = await expand(['reports/**/*.json']);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(files).toEqual(['reports/alias.json', 'reports/build/out/b.json', 'reports/s.json'].map((f) => path.join(ws, f)));
  });

  it('a report linked to a file outside is refused before it is read, naming the input and where it leads, not its text', async () => {
    for (const patterns of [['planted/b.json'], ['planted/*.json'], ['planted/**']]) {
      const error = await refusal(patterns);
      expect(error.input).toBe('sarif-files');
      expect(error.message).toContain("Input 'sarif-files' 'planted/b.json' is outside the workspace");
      expect(error.message).toContain(`(through a symbolic link, to ${path.join(outside, 'creds.env')}): refused.`);
      expect(error.message).not.toContain('ghp_');
    }
  });

  it('a glob that starts outside, or in a link that leads outside, is refused before it searches', async () => {
    for (const [pattern, start] of [
      ['../outside/*.json', '../outside'],
      ['reports/away/*.json', 'reports/away'],
      ['reports/root/etc/**', 'reports/root/etc'],
      ['reports/*/../../../outside/*.json', '../outside'],
      [`${outside}/*.json`, outside],
    ] as const) {
      const error = await refusal([pattern]);
      expect(error.message).toContain(`Input 'sarif-files': the folder of '${pattern}', '${start}' is outside the workspace`);
    }
  });

  it('a glob that found nothing says which folder links it did not follow', async () => {
    const error = await refusal(['reports/*/x.json']);
    expect(error.message).toMatch(
      /no file matches 'reports\/\*\/x\.json'.* 2 folder links leading outside the workspace or RUNNER_TEMP were not searched \('reports\/(away|root)'\)\./,
    );
  });

  it('RUNNER_TEMP reports, by path and by glob, and links that stay inside the workspace are read', async () => {
    expect(await expand([path.join(temp, 't.json'), `${temp}/*.json`, 'reports/alias.json', 'reports/build/out/b.json'])).toEqual([
      path.join(temp, 't.json'),
      path.join(ws, 'reports/alias.json'),
      path.join(ws, 'reports/build/out/b.json'),
    ]);
  });

  it('a plain path that does not exist is left to the reader, as before', async () => {
    expect(await expand(['reports/missing.json'])).toEqual([path.join(ws, 'reports/missing.json')]);
  });

  it("on a person's terminal (no roots) links are followed anywhere, as ADR-016 has it", async () => {
    expect(await expand(['planted/b.json', 'reports/away/*.json'], { roots: undefined } as never)).toEqual([
      path.join(ws, 'planted/b.json'),
      path.join(ws, 'reports/away/x.json'),
    ]);
  });

  it("a glob's folder is its segments before the first wildcard", () => {
    expect(['reports/**/*.json', '*.sarif', '/abs/x/*.json', 'a/b.json', 'a/*/../../../x/*', '**'].map(globBase)).toEqual([
      'reports',
      '.',
      '/abs/x',
      'a/b.json',
      '../x',
      '.',
    ]);
  });
});

describe('runScan in a job', () => {
  it('a planted report link fails the scan with an InputError before anything is written', async () => {
    const options = readScanInputs(new Inputs(mapInputs({ 'sarif-files': 'planted/*.json', 'fail-on': 'none' })));
    const env = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: ws, RUNNER_TEMP: temp };
    await expect(runScan(options, { log: new MemoryLogger(), env, cwd: ws })).rejects.toThrow(
      /Input 'sarif-files' 'planted\/b\.json' is outside the workspace .*: refused\./,
    );
    expect(existsSync(path.join(ws, 'security-scan.sarif'))).toBe(false);
  });
});
