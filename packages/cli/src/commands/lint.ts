import path from 'node:path';
import { exec, markdownToText } from '@pipeline-toolkit/core';
import { annotate, lintPassed, lintSummary, readLinters, readRequired, runLinters } from '@pipeline-toolkit/lint';
import type { Command } from '../command.ts';

export const lint: Command = {
  name: 'lint',
  summary: 'Run the linters that fit the repository (ruff, eslint, actionlint, helm, memory-bank)',
  usage: 'pipeline-toolkit lint [--linters auto|ruff,eslint,actionlint,helm,memory-bank] [--require ruff,helm] [--working-directory dir]',
  flags: [
    { name: 'linters', type: 'string', description: "'auto' (default) or a comma-separated list of linters" },
    { name: 'require', type: 'string', description: 'Linters that must run, comma-separated: one not installed fails (exit 1)' },
    { name: 'working-directory', type: 'string', description: 'Directory to lint (default: the current directory)' },
  ],
  async run({ inputs, io }) {
    const requested = readLinters(inputs);
    const required = readRequired(inputs);
    const cwd = path.resolve(io.cwd, inputs.string('working-directory', { default: '.' }));
    const runs = await runLinters({ cwd, root: cwd, exec, log: io.log, env: io.env }, requested, required);
    const passed = lintPassed(runs);
    annotate(io.log, runs);
    io.out(markdownToText(lintSummary(runs, passed)));
    return passed ? 0 : 1;
  },
};
