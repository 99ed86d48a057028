import path from 'node:path';
import { InputError, Inputs } from '@pipeline-toolkit/core';
import { ciSummary, initBank, LANGUAGES, readCiInputs, runCi, runContext, today, type CiResult } from '@pipeline-toolkit/memory-bank';
import type { Command, Invocation } from '../command.ts';

const SUBCOMMANDS = ['init', 'index', 'lint', 'record-deploy', 'record-progress'] as const;

/** The same inputs as the action, with the subcommand as its `command` input and the token from GITHUB_TOKEN by default. */
function actionInputs({ inputs, io }: Invocation, command: string): Inputs {
  return new Inputs(
    (name) => (name === 'command' ? command : name === 'github-token' ? (inputs.raw(name) ?? io.env['GITHUB_TOKEN']) : inputs.raw(name)),
    (name) => inputs.label(name),
  );
}

function report(invocation: Invocation, result: CiResult): number {
  const { io } = invocation;
  for (const p of result.problems ?? []) io.log.error(`${p.message} [${p.rule}]`, { file: p.file, line: p.line });
  if (result.command === 'lint') {
    const count = result.problems?.length ?? 0;
    io.out(count ? `memory-bank lint: ${count} problem(s).` : 'memory-bank lint: no problems.');
    return count ? 1 : 0;
  }
  io.out(
    ciSummary(result)
      .replace(/^### .*\n\n/, '')
      .trimEnd(),
  );
  return 0;
}

export const memoryBank: Command = {
  name: 'memory-bank',
  summary: 'Create, index, lint and record progress in the memory-bank/ folder',
  usage: `pipeline-toolkit memory-bank <${SUBCOMMANDS.join('|')}> [--dir memory-bank] [--language en|pt-BR] [flags]`,
  flags: [
    { name: 'dir', type: 'string', description: 'Memory-bank folder, relative to the current directory (default memory-bank)' },
    { name: 'language', type: 'string', description: 'en or pt-BR (init: default en; otherwise detected from the bank)' },
    { name: 'environment', type: 'string', description: 'record-deploy: environment deployed to (default production)' },
    { name: 'version', type: 'string', description: 'record-deploy: version deployed (default: tag or short SHA of the run)' },
    { name: 'deploy-url', type: 'string', description: 'record-deploy: address of the deployed environment' },
    { name: 'result', type: 'string', description: 'record-deploy: success, failure, cancelled or skipped (default success)' },
    { name: 'pr', type: 'string', description: 'Pull request number (record-progress: the merged pull request)' },
    { name: 'mode', type: 'string', description: 'files (default), commit or pull-request' },
    {
      name: 'github-token',
      type: 'string',
      description: 'GitHub token (default: $GITHUB_TOKEN); lint then checks ADR numbers of open pull requests',
    },
  ],
  async run(invocation) {
    const { positionals, inputs, io } = invocation;
    const [sub, ...extra] = positionals;
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw new InputError(
        'command',
        `Say what to do: pipeline-toolkit memory-bank <${SUBCOMMANDS.join('|')}>${sub ? ` (got '${sub}')` : ''}.`,
      );
    }
    if (extra.length) throw new InputError('argv', `Unexpected argument(s): ${extra.join(' ')}.`);
    if (sub === 'init') {
      const dir = path.resolve(io.cwd, inputs.string('dir', { default: 'memory-bank' }));
      const result = await initBank(dir, inputs.enum('language', LANGUAGES, { default: 'en' }), today());
      for (const file of result.created) io.out(`created ${path.join(dir, file)}`);
      for (const file of result.kept) io.out(`kept    ${path.join(dir, file)} (already there)`);
      return 0;
    }
    const request = readCiInputs(actionInputs(invocation, sub), io.log);
    const result = await runCi(request, runContext({ ...io.env, GITHUB_WORKSPACE: io.cwd }, io.cwd), { log: io.log });
    return report(invocation, result);
  },
};
