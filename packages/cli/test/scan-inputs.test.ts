import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@pipeline-toolkit/testing';
import { scan } from '../src/commands/scan.ts';

/** The sources that read the security-scan action's inputs: its main and the options it hands to packages/sarif. */
const readers = ['actions/security-scan/src/main.ts', 'packages/sarif/src/options.ts'];

describe('security-scan inputs and scan flags', () => {
  it('every action.yml input is read by the action and has a flag of the same name in `pipeline-toolkit scan`', async () => {
    const action = parse(await readFile(path.join(repoRoot, 'actions/security-scan/action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    const sources = (await Promise.all(readers.map((f) => readFile(path.join(repoRoot, f), 'utf8')))).join('\n');
    const flags = new Set(scan.flags.map((f) => f.name));
    const inputs = Object.keys(action.inputs);
    expect(inputs).toContain('reports');
    expect(inputs.filter((name) => !sources.includes(`'${name}'`))).toEqual([]);
    expect(inputs.filter((name) => !flags.has(name))).toEqual([]);
  });
});
