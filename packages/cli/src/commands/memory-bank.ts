import path from 'node:path';
import { InputError, Inputs } from '@pipeline-toolkit/core';
import { ciSummary, initBank, LANGUAGES, readCiInputs, runCi, runContext, today, type CiResult } from '@pipeline-toolkit/memory-bank';
import { githubToken, type Command, type Invocation } from '../command.ts';

const SUBCOMMANDS = ['init', 'index', 'lint', 'record-deploy', 'record-progress', 'import'] as const;

/**
 * The same inputs as the action: the subcommand is its `command` input, the token defaults to
 * GITHUB_TOKEN, and `dir` is given relative to `workspace`.
 */
function actionInputs({ inputs, io }: Invocation, command: string, dir: string): Inputs {
  const values: Record<string, string | undefined> = { command, dir, 'github-token': githubToken({ inputs, io }) };
  return new Inputs(
    (name) => (name in values ? values[name] : inputs.raw(name)),
    (name) => inputs.label(name),
  );
}

/** The folder to work in and the bank relative to it: the current directory, or the bank's parent when --dir points outside it. */
function locate(cwd: string, given: string): { workspace: string; dir: string } {
  const absolute = path.resolve(cwd, given);
  const inside = !path.relative(cwd, absolute).startsWith('..');
  const workspace = inside ? cwd : path.dirname(absolute);
  return { workspace, dir: path.relative(workspace, absolute) || '.' };
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
  arguments: `<${SUBCOMMANDS.join('|')}>`,
  flags: [
    { name: 'dir', type: 'string', description: 'Memory-bank folder (default memory-bank in the current directory)' },
    { name: 'language', type: 'string', description: 'en or pt-BR (init: default en; otherwise detected from the bank)' },
    { name: 'environment', type: 'string', description: 'record-deploy: environment deployed to (default production)' },
    { name: 'version', type: 'string', description: 'record-deploy: version deployed (default: tag or short SHA of the run)' },
    { name: 'deploy-url', type: 'string', description: 'record-deploy: address of the deployed environment' },
    { name: 'result', type: 'string', description: 'record-deploy: success, failure, cancelled or skipped (default success)' },
    { name: 'pr', type: 'string', description: 'Pull request number (record-progress: the merged pull request)' },
    { name: 'mode', type: 'string', description: 'files (default), commit or pull-request' },
    { name: 'source', type: 'string', description: 'import: folder of adr-tools, MADR/log4brains or ADR-NNN records to import into --dir' },
    { name: 'dry-run', type: 'boolean', description: 'import: show the plan, write nothing' },
    {
      name: 'github-token',
      type: 'string',
      description: 'GitHub token (default: $GITHUB_TOKEN); with --pr, lint compares the ADRs that pull request adds with other open ones',
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
    const { workspace, dir } = locate(io.cwd, inputs.string('dir', { default: 'memory-bank' }));
    const request = readCiInputs(actionInputs(invocation, sub, dir), io.log);
    const result = await runCi(request, runContext({ ...io.env, GITHUB_WORKSPACE: workspace }, workspace), { log: io.log });
    return report(invocation, result);
  },
};
