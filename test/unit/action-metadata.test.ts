import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@pipeline-toolkit/testing';
import { actionDirs, type ActionYaml } from '../../scripts/docs.ts';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const files = [
  ...(await actionDirs()).map((name) => path.join('actions', name, 'action.yml')),
  ...(existsSync(path.join(repoRoot, 'action.yml')) ? ['action.yml'] : []),
];

it('finds the actions', () => {
  expect(files.length).toBeGreaterThan(0);
});

describe.each(files.length ? files : ['(none)'])('%s', (file) => {
  const load = async () => parse(await readFile(path.join(repoRoot, file), 'utf8')) as ActionYaml;

  it('runs on node24 from an existing bundle in dist/', async () => {
    const action = await load();
    expect(action.runs.using).toBe('node24');
    for (const entry of [action.runs.main, action.runs.post].filter(Boolean) as string[]) {
      expect(entry).toMatch(/dist\/[a-z-]+\/(index|post)\.js$/);
      expect(existsSync(path.resolve(repoRoot, path.dirname(file), entry))).toBe(true);
    }
  });

  it('has a name, a description, and kebab-case inputs and outputs that are all described', async () => {
    const action = await load();
    expect(action.name).toEqual(expect.any(String));
    expect(action.description.length).toBeGreaterThan(20);
    for (const [name, input] of Object.entries(action.inputs ?? {})) {
      expect(name).toMatch(KEBAB);
      expect(input.description?.trim().length ?? 0).toBeGreaterThan(10);
    }
    for (const [name, output] of Object.entries(action.outputs ?? {})) {
      expect(name).toMatch(KEBAB);
      expect(output.description?.trim().length ?? 0).toBeGreaterThan(5);
    }
  });
});
