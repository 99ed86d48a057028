import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ActionsLogger,
  Inputs,
  MemoryOutputs,
  MemoryState,
  MemorySummary,
  mapInputs,
  runAction,
  type ActionContext,
} from '@pipeline-toolkit/core';
import { INJECTION_STRINGS, repoRoot } from '@pipeline-toolkit/testing';

const ACTIONS = ['lint', 'security-scan', 'smoke-test', 'slack-notify', 'memory-bank', 'deploy'] as const;

/** What the runner would execute: lines that start with `::` or `##[` outside a stop-commands block. */
function executed(lines: string[]): string[] {
  const run: string[] = [];
  let stopToken: string | undefined;
  for (const raw of lines.flatMap((l) => l.split(/\r\n|\r|\n/))) {
    const line = raw.trimStart();
    if (stopToken) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const stop = /^::stop-commands::(\S+)$/.exec(line);
    if (stop) stopToken = stop[1];
    else if (line.startsWith('::') || line.startsWith('##[')) run.push(line);
  }
  return run;
}

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), 'ptk-inject-'));
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe.each(ACTIONS)('%s', (action) => {
  const inputs = Object.keys(
    (parse(readFileSync(path.join(repoRoot, 'actions', action, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs,
  );
  it.each(inputs)(
    'an injection string in input %s never becomes a workflow command',
    async (input) => {
      const { run } = (await import(path.join(repoRoot, 'actions', action, 'src', 'main.ts'))) as {
        run: (ctx: ActionContext) => Promise<void>;
      };
      for (const hostile of INJECTION_STRINGS) {
        const lines: string[] = [];
        const log = new ActionsLogger({ write: (line) => lines.push(line) });
        const ctx: ActionContext = {
          inputs: new Inputs(mapInputs({ [input]: hostile })),
          log,
          outputs: new MemoryOutputs(),
          state: new MemoryState(),
          summary: new MemorySummary(),
          env: { GITHUB_WORKSPACE: workspace, GITHUB_ACTIONS: 'true', PATH: '' },
        };
        await runAction(run, ctx);
        process.exitCode = 0;
        // Every line the runner reads as a command is one of ours, whole on its line; none of the injected ones.
        const injected = [
          '::error title=x::owned',
          '::warning::indented',
          '::set-output name=x::y',
          '##[error]legacy command',
          '::add-mask::visible',
          '::stop-commands::token',
        ];
        const commands = executed(lines);
        expect(commands.filter((line) => injected.includes(line.trim()))).toEqual([]);
        expect(commands.filter((line) => !/^::(error|warning|notice|debug|add-mask|group|endgroup)( [^:]*)?::/.test(line))).toEqual([]);
        // add-mask carries a secret as it is (the runner masks the exact text); every other line shows controls as escapes.
        // eslint-disable-next-line no-control-regex
        expect(lines.filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toMatch(/[\u0000-\u0008\u001b\u007f\u202e]/);
      }
    },
    20_000,
  );
});
