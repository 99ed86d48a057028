import { existsSync } from 'node:fs';
import path from 'node:path';
import { cutText, errorMessage, GateError, InputError, table, type Inputs, type Logger, resolveInside } from '@pipeline-toolkit/core';
import { readBank, today } from './bank.ts';
import type { ImportMove } from './import.ts';
import { importAdrs } from './operations.ts';
import { createGitHub, repoPath, type GitHub } from './github.ts';
import { LANGUAGES, type Language } from './language.ts';
import { collisionProblems } from './collisions.ts';
import { lintBank, type Problem } from './lint.ts';
import { RESULTS, type DeployRecord, type MergedPullRequest, type Result } from './progress.ts';
import { deployChange, indexChange, mergedPullRequestChange } from './record.ts';
import type { EventPull, RunContext } from './run-context.ts';
import { CommitStore, LocalStore, PullRequestStore, type ApplyResult, type BankStore, type Change } from './store.ts';

/**
 * The memory-bank action's logic, shared with the CLI: typed inputs, the run's context (from the
 * runner's GITHUB_* variables and event), and one command.
 */

export const COMMANDS = ['record-deploy', 'record-progress', 'index', 'lint', 'import'] as const;
export const MODES = ['files', 'commit', 'pull-request'] as const;

export interface CiRequest {
  command: (typeof COMMANDS)[number];
  dir: string;
  language?: Language | undefined;
  environment: string;
  version?: string | undefined;
  deployUrl?: string | undefined;
  result: Result;
  pr?: number | undefined;
  mode: (typeof MODES)[number];
  token?: string | undefined;
  /** import: the folder of records to import (relative to the workspace). */
  source?: string | undefined;
  dryRun: boolean;
}

/** GitHub's pull request numbers are 32-bit. */
const PR_MAX = 2 ** 31 - 1;

/** A folder input: relative, inside the workspace. */
function folderInput(inputs: Inputs, name: string, value: string): string {
  if (path.isAbsolute(value) || path.posix.normalize(value.replace(/\\/g, '/')).split('/')[0] === '..') {
    throw new InputError(name, `${inputs.label(name)} must be a folder inside the repository (relative path), got ${quoted(value)}.`);
  }
  return value;
}

/** A value quoted in an error: one line, cut at 200 characters with its size. */
function quoted(value: string): string {
  const line = JSON.stringify(value.length > 200 ? cutText(value, 200) : value);
  return value.length > 200 ? `${line} (${value.length} characters)` : line;
}

/**
 * A one-line value written into the bank's Markdown (environment, version): no line breaks or
 * control characters (they would break the entry and the current-state block), at most `max` long.
 */
function lineInput(inputs: Inputs, name: string, value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) {
    throw new InputError(name, `${inputs.label(name)} must be one line without control characters, got ${quoted(value)}.`);
  }
  if (value.length > max)
    throw new InputError(name, `${inputs.label(name)} is ${value.length} characters long; at most ${max} are accepted.`);
  return value;
}

export function readCiInputs(inputs: Inputs, log: Logger): CiRequest {
  const command = inputs.enum('command', COMMANDS, { required: true });
  const token = inputs.string('github-token');
  log.setSecret(token);
  const deployUrl = inputs.string('deploy-url');
  if (deployUrl && !/^https?:\/\/[^\s]+$/.test(deployUrl)) {
    throw new InputError('deploy-url', `${inputs.label('deploy-url')} must be an http(s) URL, got '${deployUrl}'.`);
  }
  const dir = folderInput(inputs, 'dir', inputs.string('dir', { default: 'memory-bank' }));
  const source = inputs.string('source');
  return {
    command,
    dir,
    language: inputs.enum('language', LANGUAGES),
    environment: lineInput(inputs, 'environment', inputs.string('environment', { default: 'production' }), 100) ?? 'production',
    version: lineInput(inputs, 'version', inputs.string('version'), 200),
    deployUrl,
    result: inputs.enum('result', RESULTS, { default: 'success' }),
    pr: inputs.integer('pr', { min: 1, max: PR_MAX }),
    mode: inputs.enum('mode', MODES, { default: 'files' }),
    token,
    source: source === undefined ? undefined : folderInput(inputs, 'source', source),
    dryRun: inputs.boolean('dry-run', false),
  };
}

export interface CiDeps {
  log: Logger;
  github?: (token: string, baseUrl: string) => Promise<GitHub>;
  now?: () => Date;
}

export interface CiResult extends ApplyResult {
  command: CiRequest['command'];
  problems?: Problem[];
  note?: string;
  /** import: what became what (planned only, with dry-run). */
  imported?: ImportMove[];
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new InputError(what, `${what} is not set; this command runs in a GitHub Actions workflow.`);
  return value;
}

export async function runCi(request: CiRequest, context: RunContext, deps: CiDeps): Promise<CiResult> {
  // A folder that is a symbolic link out of the workspace is refused before anything is read or written.
  const dir = resolveInside(request.dir, { input: 'dir', label: "Input 'dir'", roots: [context.workspace] });
  const bankPath = path.relative(context.workspace, dir).split(path.sep).join('/') || '.';
  const date = today(deps.now?.());
  const bank = existsSync(dir) ? await readBank(dir, { language: request.language }) : undefined;
  const language = request.language ?? bank?.language ?? 'en';
  let client: GitHub | undefined;
  const github = async (): Promise<GitHub> => {
    if (!request.token) throw new InputError('github-token', `${request.command} in ${request.mode} mode needs github-token.`);
    client ??= await (deps.github ?? createGitHub)(request.token, context.apiUrl);
    return client;
  };
  const currentPr = request.pr ?? context.event.pull_request?.number ?? context.event.number;

  if (request.command === 'lint') {
    if (!bank) throw new InputError('dir', `Memory bank folder '${request.dir}' does not exist.`);
    const problems = lintBank(bank, { display: bankPath });
    if (request.token && context.repository && currentPr !== undefined) {
      try {
        problems.push(...(await collisionProblems(bank, bankPath, await github(), context.repository, currentPr)));
      } catch (error) {
        deps.log.warning(`ADR numbers were not compared with other open pull requests: ${errorMessage(error)}`);
      }
    }
    return { command: 'lint', changed: false, files: [], problems };
  }

  if (request.command === 'import') return importCommand(request, context, dir, bankPath, date);

  let change: Change;
  if (request.command === 'index') {
    if (!bank) throw new InputError('dir', `Memory bank folder '${request.dir}' does not exist.`);
    change = indexChange(bank, bankPath, date);
  } else if (request.command === 'record-deploy') {
    change = deployChange(await deployRecord(request, context, date, deps.log, request.token ? github : undefined), bankPath, language);
  } else {
    const pull = await mergedPull(need(currentPr, 'pr'), context, request.token ? github : undefined);
    if (!pull)
      return { command: request.command, changed: false, files: [], note: `Pull request #${currentPr} is not merged; nothing recorded.` };
    change = mergedPullRequestChange(pull, bankPath, language);
  }
  return { command: request.command, ...(await (await store(request, context, github, deps.log)).apply(change)) };
}

async function importCommand(request: CiRequest, context: RunContext, dir: string, bankPath: string, date: string): Promise<CiResult> {
  if (!request.source) throw new InputError('source', 'import needs source: the folder whose records to import (e.g. doc/adr).');
  if (request.mode !== 'files')
    throw new InputError('mode', `import writes the checked-out files only (mode files), got mode ${request.mode}.`);
  const { plan, files } = await importAdrs(path.resolve(context.workspace, request.source), dir, {
    date,
    language: request.language,
    dryRun: request.dryRun,
  });
  const note = request.dryRun
    ? `Dry run: ${plan.moves.length} record(s) would be imported from ${request.source}; nothing was written.`
    : plan.inPlace
      ? undefined
      : `The originals stay in ${request.source}; remove them once links from elsewhere point to the new names.`;
  return {
    command: 'import',
    changed: files.length > 0,
    files: files.map((f) => path.posix.join(bankPath, f)),
    imported: plan.moves,
    ...(note ? { note } : {}),
  };
}

async function store(request: CiRequest, context: RunContext, github: () => Promise<GitHub>, log: Logger): Promise<BankStore> {
  if (request.mode === 'files') return new LocalStore(context.workspace);
  const repository = need(context.repository, 'GITHUB_REPOSITORY');
  const branch = context.ref?.startsWith('refs/heads/')
    ? context.ref.slice('refs/heads/'.length)
    : (context.baseRef ?? context.event.repository?.default_branch);
  if (!branch)
    throw new InputError(
      'mode',
      `mode ${request.mode} needs a branch: the workflow runs on ${context.ref ?? 'no ref'}, which is not a branch.`,
    );
  if (request.mode === 'commit') return new CommitStore(await github(), repository, branch, { log });
  return new PullRequestStore(await github(), repository, branch, { log });
}

async function deployRecord(
  request: CiRequest,
  context: RunContext,
  date: string,
  log: Logger,
  github?: () => Promise<GitHub>,
): Promise<DeployRecord> {
  const runId = need(context.runId, 'GITHUB_RUN_ID');
  const repo = context.repository ? `${context.serverUrl}/${context.repository.owner}/${context.repository.repo}` : undefined;
  const tag = context.ref?.startsWith('refs/tags/') ? context.ref.slice('refs/tags/'.length) : undefined;
  const version = request.version ?? tag ?? context.sha?.slice(0, 7);
  if (!version) throw new InputError('version', 'version is required when the run has no tag or commit (GITHUB_SHA).');
  let pr = request.pr ?? context.event.pull_request?.number;
  if (pr === undefined && github && context.repository && context.sha) {
    // A push of a merge commit: find the pull request it came from (a link only; never fatal).
    try {
      const pulls = await (
        await github()
      ).request<{ number: number }[]>('GET', `${repoPath(context.repository)}/commits/${context.sha}/pulls`);
      pr = pulls[0]?.number;
    } catch (error) {
      log.warning(`Could not find the pull request of ${context.sha.slice(0, 7)}: ${errorMessage(error)}`);
    }
  }
  return {
    environment: request.environment,
    runId,
    version,
    result: request.result,
    date,
    commit: context.sha ? { text: context.sha.slice(0, 7), url: repo && `${repo}/commit/${context.sha}` } : undefined,
    pullRequest: pr === undefined ? undefined : { text: `#${pr}`, url: repo && `${repo}/pull/${pr}` },
    deployUrl: request.deployUrl,
    runUrl: repo && `${repo}/actions/runs/${runId}`,
  };
}

async function mergedPull(number: number, context: RunContext, github?: () => Promise<GitHub>): Promise<MergedPullRequest | undefined> {
  let pull = context.event.pull_request?.number === number ? context.event.pull_request : undefined;
  if (!pull) {
    if (!github) throw new InputError('github-token', `Reading pull request #${number} needs github-token (the event does not carry it).`);
    pull = await (await github()).request<EventPull>('GET', `${repoPath(need(context.repository, 'GITHUB_REPOSITORY'))}/pulls/${number}`);
  }
  if (!pull.merged_at) return undefined;
  const sha = pull.merge_commit_sha ?? undefined;
  const repo = context.repository ? `${context.serverUrl}/${context.repository.owner}/${context.repository.repo}` : undefined;
  return {
    number,
    title: pull.title,
    url: pull.html_url,
    author: pull.user?.login,
    date: pull.merged_at.slice(0, 10),
    commit: sha ? { text: sha.slice(0, 7), url: repo && `${repo}/commit/${sha}` } : undefined,
  };
}

/** Job-summary Markdown for a result. */
export function ciSummary(result: CiResult): string {
  if (result.command === 'lint') {
    const problems = result.problems ?? [];
    if (problems.length === 0) return '### Memory bank lint\n\nNo problems found.\n';
    return `### Memory bank lint\n\n${problems.length} problem(s):\n\n${table(
      ['File', 'Line', 'Rule', 'Problem'],
      problems.map((p) => [p.file, p.line, p.rule, p.message]),
    )}`;
  }
  const lines = [`### Memory bank: ${result.command}`, ''];
  if (result.imported) {
    lines.push(
      table(
        ['Record', 'Becomes', 'Links rewritten'],
        result.imported.map((m) => [m.from, m.to, m.links]),
      ).trimEnd(),
      '',
    );
  }
  if (result.note) lines.push(result.note);
  if (!result.note && !result.changed) lines.push('Already up to date: nothing changed.');
  if (result.changed) lines.push(`Updated ${result.files.map((f) => `\`${f}\``).join(', ')}.`);
  if (result.commitSha) lines.push('', `Commit: ${result.commitSha}`);
  if (result.pullRequestUrl) lines.push('', `Pull request: ${result.pullRequestUrl}`);
  return `${lines.join('\n')}\n`;
}

/** Throws the lint gate when there are problems, after they were reported. */
export function lintGate(result: CiResult): void {
  const count = result.problems?.length ?? 0;
  if (count > 0) throw new GateError(`memory-bank lint found ${count} problem(s).`);
}
