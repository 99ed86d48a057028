import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { exec, InputError, markdownToText, table, type Inputs } from '@pipeline-toolkit/core';
import {
  adrId,
  branchNumbers,
  createAdr,
  createGitHub,
  foreignRecords,
  importAdrs,
  gitLocation,
  LANGUAGES,
  parseRepository,
  parseStatus,
  pullRequestNumbers,
  readBank,
  renumberAdr,
  repositoryFromRemote,
  setAdrStatus,
  STATUSES,
  today,
  VOCABULARY,
  type Repository,
  type Status,
  type UsedNumber,
} from '@pipeline-toolkit/memory-bank';
import { githubToken, type CliIO, type Command, type Invocation } from '../command.ts';

const SUBCOMMANDS = ['new', 'supersede', 'status', 'list', 'renumber', 'import'] as const;

function number(value: string | undefined, what: string): number {
  const match = /^(?:ADR[-\s]?)?(\d{1,9})(?:\.md)?$/i.exec(value?.trim() ?? '');
  if (!match) throw new InputError(what, `${what} must be an ADR number such as 7 or ADR-007, got '${value ?? ''}'.`);
  return Number(match[1]);
}

function status(value: string | undefined, what: string): Status {
  const parsed = value === undefined ? undefined : parseStatus(value);
  if (!parsed || !value) {
    const names = LANGUAGES.map((l) => STATUSES.map((s) => VOCABULARY[l].status[s]).join(', ')).join(' or ');
    throw new InputError(what, `${what} must be one of ${names}, got '${value ?? ''}'.`);
  }
  return parsed;
}

async function repository(inputs: Inputs, io: CliIO, dir: string): Promise<Repository | undefined> {
  const given = inputs.string('repository') ?? io.env['GITHUB_REPOSITORY'];
  if (given) return parseRepository(given, 'repository');
  const remote = await exec('git', ['remote', 'get-url', 'origin'], { cwd: dir, okExitCodes: [0, 2, 128] }).catch(() => undefined);
  return remote?.exitCode === 0 ? repositoryFromRemote(remote.stdout) : undefined;
}

/**
 * Numbers taken on other branches (git) and, with a token, by open pull requests, so that a new
 * ADR never takes a number another branch is about to merge.
 */
async function usedElsewhere({ inputs, io }: Invocation, dir: string): Promise<UsedNumber[]> {
  const used = await branchNumbers(dir, { log: io.log });
  const token = githubToken({ inputs, io });
  if (!token) {
    io.log.debug('no token: numbers in open pull requests not considered (set GITHUB_TOKEN or --github-token)');
    return used;
  }
  io.log.setSecret(token);
  const repo = await repository(inputs, io, dir);
  if (!repo) {
    io.log.warning(
      'Numbers in open pull requests not considered: no origin remote tells the GitHub repository; pass --repository owner/name.',
    );
    return used;
  }
  const location = await gitLocation(dir);
  const bankPath = location ? location.prefix : path.basename(dir);
  const github = await createGitHub(token, io.env['GITHUB_API_URL'] || 'https://api.github.com');
  return [...used, ...(await pullRequestNumbers(github, repo, bankPath))];
}

export const adr: Command = {
  name: 'adr',
  summary: 'Architecture decision records: new, supersede, status, list, renumber, import',
  usage: [
    'pipeline-toolkit adr new "Title" [--status proposed|accepted] [--supersedes N]',
    '       pipeline-toolkit adr supersede N "Title"   (the new ADR is accepted unless --status says otherwise)',
    '       pipeline-toolkit adr status N accepted|rejected|deprecated|…   (English or Portuguese names)',
    '       pipeline-toolkit adr list',
    '       pipeline-toolkit adr renumber OLD NEW [--file ADR-OLD-x.md]',
    '       pipeline-toolkit adr import DIR [--dry-run]   (adr-tools 0001-x.md, MADR/log4brains 20201016-x.md or ADR-NNN files into --dir)',
  ].join('\n'),
  arguments: '<new|supersede|status|list|renumber|import> [arguments]',
  flags: [
    { name: 'dir', type: 'string', description: 'Memory-bank folder, relative to the current directory (default memory-bank)' },
    { name: 'language', type: 'string', description: 'en or pt-BR (default: detected from the bank)' },
    { name: 'status', type: 'string', description: 'Status of the new ADR (new: proposed; supersede: accepted)' },
    { name: 'supersedes', type: 'string', description: 'new: number of the ADR this one supersedes' },
    { name: 'file', type: 'string', description: 'renumber: which file, when two ADRs share the number' },
    { name: 'dry-run', type: 'boolean', description: 'import: show what would be renamed and how many links change; write nothing' },
    { name: 'github-token', type: 'string', description: 'Token to read open pull requests (default: $GITHUB_TOKEN)' },
    { name: 'repository', type: 'string', description: 'owner/name on GitHub (default: $GITHUB_REPOSITORY or the origin remote)' },
  ],
  async run(invocation) {
    const { positionals, inputs, io } = invocation;
    const [sub, ...args] = positionals;
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw new InputError('command', `Say what to do: pipeline-toolkit adr <${SUBCOMMANDS.join('|')}>${sub ? ` (got '${sub}')` : ''}.`);
    }
    const dir = path.resolve(io.cwd, inputs.string('dir', { default: 'memory-bank' }));
    const language = inputs.enum('language', LANGUAGES);
    const date = today();
    const arity = { new: 1, supersede: 2, status: 2, list: 0, renumber: 2, import: 1 }[sub as (typeof SUBCOMMANDS)[number]];
    if (args.length !== arity)
      throw new InputError('argv', `adr ${sub} takes ${arity} argument(s), got ${args.length}.\nUsage: ${adr.usage}`);

    if (sub === 'list') {
      const bank = await readBank(dir, { language });
      const rows = bank.adrs.map((a) => [
        adrId(a.number),
        a.title,
        a.status ? VOCABULARY[bank.language].status[a.status] : (a.statusText ?? '—'),
        a.date ?? '—',
      ]);
      if (rows.length) io.out(markdownToText(table(['ADR', 'Title', 'Status', 'Date'], rows)));
      const foreign = foreignRecords([...bank.files.keys()]);
      if (foreign.length) {
        io.out(
          `${rows.length ? '' : `No ADR-NNN records in ${dir}, but `}${foreign.length} record(s) named in another scheme (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}): ` +
            `'pipeline-toolkit adr import ${path.relative(io.cwd, dir) || '.'} --dir ${path.relative(io.cwd, dir) || '.'}' renames them and their links.`,
        );
      } else if (!rows.length) io.out(`No ADRs in ${dir}.`);
      return 0;
    }
    if (sub === 'import') {
      const source = path.resolve(io.cwd, args[0] ?? '');
      const dryRun = inputs.boolean('dry-run', false);
      const { plan } = await importAdrs(source, dir, { date, language, dryRun });
      io.out(
        markdownToText(
          table(
            ['Record', 'Becomes', 'Links rewritten'],
            plan.moves.map((m) => [m.from, m.to, m.links]),
          ),
        ),
      );
      for (const r of plan.relinked) io.out(`${dryRun ? 'would update' : 'updated'} links in ${path.join(dir, r.file)} (${r.links})`);
      if (dryRun) io.out(`dry run: nothing written; ${plan.moves.length} record(s) would be imported into ${dir}.`);
      else if (plan.inPlace)
        io.out(`imported ${plan.moves.length} record(s) in place; the old names are kept in each record ('<!-- formerly: … -->').`);
      else io.out(`imported ${plan.moves.length} record(s) into ${dir}; the originals stay in ${source} until you remove them.`);
      return 0;
    }
    if (sub === 'status') {
      const result = await setAdrStatus(dir, number(args[0], 'number'), status(args[1], 'status'), { date, language });
      io.out(result.files.length ? `updated ${result.files.map((f) => path.join(dir, f)).join(', ')}` : 'already has that status.');
      return 0;
    }
    if (sub === 'renumber') {
      const file = inputs.string('file');
      const result = await renumberAdr(dir, number(args[0], 'OLD'), number(args[1], 'NEW'), { date, language, ...(file ? { file } : {}) });
      io.out(`renumbered to ${path.join(dir, result.adr.file)}; updated ${result.files.length} file(s).`);
      return 0;
    }
    const title = sub === 'new' ? args[0] : args[1];
    const supersedes =
      sub === 'supersede'
        ? number(args[0], 'number')
        : inputs.raw('supersedes')
          ? number(inputs.raw('supersedes'), '--supersedes')
          : undefined;
    const statusFlag = inputs.raw('status');
    await mkdir(dir, { recursive: true });
    const result = await createAdr(dir, {
      title: title ?? '',
      date,
      language,
      status: statusFlag ? status(statusFlag, '--status') : sub === 'supersede' ? 'accepted' : 'proposed',
      ...(supersedes === undefined ? {} : { supersedes }),
      usedElsewhere: await usedElsewhere(invocation, dir),
    });
    io.out(`created ${path.join(dir, result.adr.file)}`);
    for (const file of result.files.filter((f) => f !== result.adr.file)) io.out(`updated ${path.join(dir, file)}`);
    return 0;
  },
};
