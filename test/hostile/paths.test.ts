import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { existingPath, InputError, writeFileInside, writablePath } from '@pipeline-toolkit/core';

let base: string;
let workspace: string;
let outside: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'ptk-paths-'));
  workspace = path.join(base, 'ws');
  outside = path.join(base, 'outside');
  await mkdir(path.join(workspace, '..foo'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, 'victim.txt'), 'untouched');
  await symlink(path.join(outside, 'victim.txt'), path.join(workspace, 'planted.sarif'));
  await symlink(outside, path.join(workspace, 'linkdir'));
  await writeFile(path.join(workspace, 'file.txt'), 'x');
});
afterAll(() => rm(base, { recursive: true, force: true }));

const rule = () => ({ input: 'working-directory', label: "Input 'working-directory'", roots: [workspace] });

describe('path inputs stay inside the workspace', () => {
  it('a folder named ..foo is a folder like any other', () => {
    expect(existingPath('..foo', { ...rule(), kind: 'directory' })).toBe(path.join(workspace, '..foo'));
  });

  it.each(['..', '../outside', '../../etc', '/etc', 'linkdir', '..foo/../../outside'])('%s is refused, naming the input', (value) => {
    expect(() => existingPath(value, { ...rule(), kind: 'directory' })).toThrow(InputError);
    expect(() => existingPath(value, { ...rule(), kind: 'directory' })).toThrow(/Input 'working-directory' '.*' is outside the workspace/);
  });

  it('a missing folder and a file given as a folder are named', () => {
    expect(() => existingPath('nope', { ...rule(), kind: 'directory' })).toThrow("Input 'working-directory' 'nope' does not exist");
    expect(() => existingPath('file.txt', { ...rule(), kind: 'directory' })).toThrow('is not a directory');
    expect(() => existingPath('..foo', { ...rule(), kind: 'file' })).toThrow('is a directory; it must name a file');
  });

  it('a huge value is cut in the message, with its size', () => {
    const huge = `../${'a'.repeat(20_000)}`;
    const error = (() => {
      try {
        existingPath(huge, { ...rule(), kind: 'directory' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message.length).toBeLessThan(400);
    expect(error?.message).toContain('first 200 characters shown');
  });
});

describe('writes refuse symbolic links and places outside the workspace', () => {
  it('a planted symbolic link at the output name is refused, and the target is untouched', async () => {
    const out = { input: 'output-sarif', label: "Input 'output-sarif'", roots: [workspace] };
    expect(() => writablePath('planted.sarif', out)).toThrow(/is outside the workspace .*through a symbolic link|is a symbolic link/);
    await expect(writeFileInside(path.join(workspace, 'planted.sarif'), 'owned', out)).rejects.toThrow(InputError);
    await expect(writeFileInside('linkdir/new.sarif', 'owned', out)).rejects.toThrow(/outside the workspace/);
    await expect(writeFileInside('../outside/new.sarif', 'owned', out)).rejects.toThrow(/outside the workspace/);
    expect(await readFile(path.join(outside, 'victim.txt'), 'utf8')).toBe('untouched');
  });

  it('a named pipe at the output name is refused at once, never opened to wait for a reader', async () => {
    const out = { input: 'output-sarif', label: "Input 'output-sarif'", roots: [workspace] };
    execFileSync('mkfifo', [path.join(workspace, 'pipe.sarif')]);
    const refused = "Input 'output-sarif' 'pipe.sarif' is a named pipe: refused (the action writes only regular files).";
    expect(() => writablePath('pipe.sarif', out)).toThrow(refused);
    await expect(writeFileInside('pipe.sarif', 'data', out)).rejects.toThrow(refused);
  });

  it('RUNNER_TEMP is a second allowed root', async () => {
    const written = await writeFileInside(path.join(outside, 'report.json'), '{}', {
      input: 'json-file',
      label: "Input 'json-file'",
      roots: [workspace, outside],
    });
    expect(await readFile(written, 'utf8')).toBe('{}');
  });
});
