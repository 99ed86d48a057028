/**
 * Runs the reusable workflow .github/workflows/pipeline.yml with act (self-hosted mode: every job
 * is a process on this machine) on a copy of the example service, offline:
 *
 *  - the workspace is a git repository holding a copy of examples/python-service and the caller
 *    test/act/workflows/pipeline.yml as .github/workflows/pipeline.yml;
 *  - the caller's `uses: pipeline-toolkit/pipeline-toolkit/…@act-local` is served from this
 *    checkout by act's --local-repository, and so is every third-party action the pipeline pins
 *    (actions/checkout@<sha> …), from the stand-ins in test/act/actions/;
 *  - the checkout stand-in serves `pipeline-toolkit/pipeline-toolkit@act-local` (the toolkit's own
 *    actions, checked out into .pipeline-toolkit/) from this checkout too.
 * "This checkout" is a snapshot taken when the run starts (the workflow, actions/ and dist/ of the
 * working tree): like a pinned ref, its content cannot change while the jobs run, even when dist/
 * is rebuilt in the meantime.
 *
 * Secrets and variables reach act through files in a private temp folder (never on a command
 * line); the job results are read from act's --json log.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { LoopbackServer } from '@pipeline-toolkit/testing';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
const standIns = path.join(here, 'actions');

/** The toolkit as the caller names it; the ref is a label that only the local mappings know. */
export const TOOLKIT = 'pipeline-toolkit/pipeline-toolkit@act-local';
/** The service repository as act sees it (from the workspace's origin remote). */
export const SERVICE_REPOSITORY = 'example/orders-service';

/**
 * Every `owner/repo[/path]@ref` the reusable workflow uses, mapped to its stand-in folder
 * (test/act/actions/<repo>). A pinned action without a stand-in is an error naming it: act would
 * have to download it.
 */
export async function remoteActionMappings(
  workflowFile = path.join(repoRoot, '.github/workflows/pipeline.yml'),
): Promise<Record<string, string>> {
  const text = await readFile(workflowFile, 'utf8');
  const mappings: Record<string, string> = {};
  for (const [, owner, repo, ref] of text.matchAll(/^[ \t]*(?:-[ \t]+)?uses:[ \t]+([\w.-]+)\/([\w.-]+)(?:\/[^@\s]*)?@([\w.-]+)/gm)) {
    const folder = path.join(standIns, repo!);
    if (!existsSync(path.join(folder, 'action.yml'))) {
      throw new Error(`${owner}/${repo}@${ref} has no offline stand-in in ${path.relative(repoRoot, standIns)}/${repo}/`);
    }
    mappings[`${owner}/${repo}@${ref}`] = folder;
  }
  return mappings;
}

export interface ActWorkspace {
  /** The service repository act runs in (each job works in a copy of it). */
  dir: string;
  /** Private folder with the secret, variable, env and event files, act's action cache and the artifacts. */
  private: string;
  /** The snapshot of this checkout that serves pipeline-toolkit/pipeline-toolkit@act-local. */
  toolkit: string;
  /** The `owner/repo@ref` names the snapshot is served under (TOOLKIT, and the caller's own pin if it has one). */
  toolkitNames: string[];
}

/** How a caller names the toolkit in its `uses:` line, when not as TOOLKIT (the README's `org/pipeline-toolkit@<sha>`). */
export interface ToolkitPin {
  repository: string;
  ref: string;
}

/**
 * GitHub tells the reusable workflow where it comes from in `job.workflow_repository` and
 * `job.workflow_sha`; act has no such context (nektos/act: JobContext holds status, container and
 * services only), so a caller that does not set toolkit-repository / toolkit-ref stops in the plan
 * job under act. The snapshot served for such a caller gets, as the defaults of those two inputs,
 * the values GitHub's job context would carry for the caller's `uses:` line; nothing else of the
 * workflow changes, and the caller is run as written.
 */
export function withJobContextDefaults(workflow: string, pin: ToolkitPin): string {
  let text = workflow;
  for (const [input, value] of [
    ['toolkit-repository', pin.repository],
    ['toolkit-ref', pin.ref],
  ] as const) {
    const pattern = new RegExp(`(\\n {6}${input}:\\n(?: {8}.*\\n)*? {8}default: )''\\n`);
    if (!pattern.test(text)) throw new Error(`pipeline.yml: the input ${input} with default '' was not found`);
    text = text.replace(pattern, `$1'${value}'\n`);
  }
  return text;
}

/** The files of this checkout a run of the pipeline reads: its workflows, action.yml files, bundles and the scanner pins beside security-scan. */
async function snapshotToolkit(dest: string): Promise<void> {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', '.github', 'actions', 'dist'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const files = listed
    .split('\0')
    .filter(
      (f) =>
        f &&
        (f.startsWith('dist/') || f.startsWith('.github/') || f.endsWith('/action.yml') || f.startsWith('actions/security-scan/scanners/')),
    );
  for (const file of files) {
    if (!existsSync(path.join(repoRoot, file))) continue; // deleted in the working tree
    await mkdir(path.dirname(path.join(dest, file)), { recursive: true });
    await cp(path.join(repoRoot, file), path.join(dest, file));
  }
}

/**
 * A copy of the example service with a caller workflow (a file of test/act/workflows/, or the text
 * of one, copied as .github/workflows/pipeline.yml), committed in a fresh git repository. `pin`:
 * the caller names the toolkit this way (see withJobContextDefaults).
 */
export async function prepareWorkspace(caller: string | { text: string } = 'pipeline.yml', pin?: ToolkitPin): Promise<ActWorkspace> {
  const root = await mkdtemp(path.join(tmpdir(), 'ptk-act-'));
  await chmod(root, 0o700);
  const dir = path.join(root, 'orders-service');
  await cp(path.join(repoRoot, 'examples', 'python-service'), dir, {
    recursive: true,
    filter: (src) => !/(__pycache__|\.venv|\.pytest_cache|\.ruff_cache|\/dist|\/build)$/.test(src),
  });
  await mkdir(path.join(dir, '.github', 'workflows'), { recursive: true });
  const callerFile = path.join(dir, '.github', 'workflows', 'pipeline.yml');
  if (typeof caller === 'string') await cp(path.join(here, 'workflows', caller), callerFile);
  else await writeFile(callerFile, caller.text);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', `https://github.com/${SERVICE_REPOSITORY}.git`);
  git('add', '-A');
  git('-c', 'user.name=pipeline-toolkit', '-c', 'user.email=pipeline-toolkit@example.invalid', 'commit', '-q', '-m', 'orders-service');
  const priv = path.join(root, 'act');
  await mkdir(path.join(priv, 'artifacts'), { recursive: true });
  const toolkit = path.join(root, 'pipeline-toolkit');
  await snapshotToolkit(toolkit);
  if (pin) {
    const workflow = path.join(toolkit, '.github', 'workflows', 'pipeline.yml');
    await writeFile(workflow, withJobContextDefaults(await readFile(workflow, 'utf8'), pin));
  }
  return { dir, private: priv, toolkit, toolkitNames: [TOOLKIT, ...(pin ? [`${pin.repository}@${pin.ref}`] : [])] };
}

export interface ActOptions {
  secrets: Record<string, string>;
  vars: Record<string, string>;
  /** Environment of the jobs (act's --env-file), e.g. the PTK_ACT_* settings of the stand-ins. */
  env: Record<string, string>;
  /** PATH of act and so of every job (self-hosted jobs inherit act's environment). */
  path: string;
  timeoutMs: number;
  /** The event that starts the run and its payload's own fields (default: a workflow_dispatch on main). */
  event?: { name: string; payload: Record<string, unknown> };
  /** Called with each entry of act's --json log as it arrives (to act on a job's start or end). */
  onEntry?: (entry: Record<string, unknown>) => void;
}

export interface JobResult {
  /** act's job id inside the called workflow (lint, build, …). */
  job: string;
  result: string;
}

export interface ActRun {
  exitCode: number | null;
  jobs: JobResult[];
  /** act's --json log, one entry per line. */
  entries: Record<string, unknown>[];
  /** The output lines of the steps (their stdout, without colour codes), in order. */
  output: string[];
  stderr: string;
}

/**
 * dotenv lines, single-quoted so that act takes them literally (no `$VAR` expansion, no escapes);
 * values must be single-line (a kubeconfig is passed base64-encoded) and free of single quotes.
 */
function dotenv(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => {
      if (/[\r\n']/.test(v)) throw new Error(`${k}: act's env files take single-line values without single quotes here`);
      return `${k}='${v}'\n`;
    })
    .join('');
}

/**
 * The environment act and its self-hosted jobs start from: a PATH, a home and, when this machine
 * has them, the settings that make TLS trust its certificate authorities (a registry reached
 * through an intercepting proxy). Without them `npm ci` in a job retries every request and
 * falls back on the cache: 5 minutes instead of seconds.
 */
export function actProcessEnv(pathValue: string): Record<string, string> {
  const trust = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR'].filter((k) => process.env[k]).map((k) => [k, process.env[k]!]);
  return { PATH: pathValue, HOME: process.env['HOME'] ?? '/root', LANG: 'C.UTF-8', TMPDIR: tmpdir(), ...Object.fromEntries(trust) };
}

export async function runAct(act: string, ws: ActWorkspace, options: ActOptions): Promise<ActRun> {
  const file = async (name: string, text: string) => {
    const p = path.join(ws.private, name);
    await writeFile(p, text, { mode: 0o600 });
    return p;
  };
  const secretFile = await file('secrets.env', dotenv(options.secrets));
  const varFile = await file('vars.env', dotenv(options.vars));
  const envFile = await file(
    'env.env',
    dotenv({
      ...options.env,
      PTK_ACT_ARTIFACTS: path.join(ws.private, 'artifacts'),
      PTK_ACT_REPOSITORIES: JSON.stringify(Object.fromEntries(ws.toolkitNames.map((name) => [name, ws.toolkit]))),
    }),
  );
  const [owner, name] = SERVICE_REPOSITORY.split('/');
  const eventName = options.event?.name ?? 'workflow_dispatch';
  const event = await file(
    'event.json',
    JSON.stringify({
      ...(options.event ? {} : { inputs: {}, ref: 'refs/heads/main' }),
      ...options.event?.payload,
      repository: { name, full_name: SERVICE_REPOSITORY, owner: { login: owner }, default_branch: 'main' },
    }),
  );
  const local = {
    ...Object.fromEntries(ws.toolkitNames.map((name) => [name, ws.toolkit])),
    ...(await remoteActionMappings(path.join(ws.toolkit, '.github/workflows/pipeline.yml'))),
  };
  const args = [
    eventName,
    '--workflows',
    '.github/workflows/pipeline.yml',
    '--eventpath',
    event,
    '--platform',
    'ubuntu-latest=-self-hosted',
    '--json',
    '--secret-file',
    secretFile,
    '--var-file',
    varFile,
    '--env-file',
    envFile,
    '--action-cache-path',
    path.join(ws.private, 'cache'),
    '--action-offline-mode',
    '--no-cache-server',
    '--container-daemon-socket',
    '-',
    '--defaultbranch',
    'main',
    ...Object.entries(local).flatMap(([key, folder]) => ['--local-repository', `${key}=${folder}`]),
  ];
  const child = spawn(act, args, {
    cwd: ws.dir,
    env: actProcessEnv(options.path),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    pending += c.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) options.onEntry?.(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  await writeFile(path.join(ws.private, 'act.log'), stdout);
  return { exitCode, stderr, ...parseLog(stdout) };
}

/** The steps' colour codes (pip, pytest, gitleaks print them). */
// eslint-disable-next-line no-control-regex -- ESC is what is being removed
const stripColours = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** Job results and step output from act's --json log. */
export function parseLog(log: string): Pick<ActRun, 'jobs' | 'entries' | 'output'> {
  const entries = log
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const jobs = entries
    .filter((e) => typeof e['jobResult'] === 'string')
    .map((e) => ({ job: String(e['jobID'] ?? e['job']), result: String(e['jobResult']) }));
  const output = entries.filter((e) => e['raw_output'] === true).map((e) => stripColours(String(e['msg'] ?? '')).replace(/\n$/, ''));
  return { jobs, entries, output };
}

/**
 * The caller workflow of README.md (between `<!-- start caller-minimal -->` and
 * `<!-- end caller-minimal -->`), as a user copies it, and the pin of its `uses:` line.
 */
export async function readmeCaller(): Promise<{ text: string; pin: ToolkitPin }> {
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  const text = /<!-- start caller-minimal -->\s*```yaml\n([\s\S]*?)```\s*<!-- end caller-minimal -->/.exec(readme)?.[1];
  if (!text) throw new Error('README.md has no caller-minimal block');
  const uses = (parse(text) as { jobs?: { pipeline?: { uses?: string } } }).jobs?.pipeline?.uses ?? '';
  const [, repository, ref] = /^([\w.-]+\/[\w.-]+)\/\.github\/workflows\/pipeline\.yml@([0-9a-f]{40})$/.exec(uses) ?? [];
  if (!repository || !ref)
    throw new Error(`README.md's caller pins the toolkit as '${uses}', not owner/repo/.github/workflows/pipeline.yml@<sha>`);
  return { text, pin: { repository, ref } };
}

/**
 * A scanner mirror on disk for the act runs (the machine cannot reach GitHub releases): the
 * gitleaks and trivy binaries of `npm run tools` packed as tar.gz under their official asset names,
 * the Semgrep wheels pip downloads for semgrep-requirements.txt (hash-checked against it), and a
 * test checksum file with the SHA-256 of the archives served. The job gets it through the runner
 * settings PIPELINE_TOOLKIT_SCANNER_MIRROR / PIPELINE_TOOLKIT_SCANNER_CHECKSUMS, so the callers
 * keep the pipeline's default scan set-up (install-scanners: gitleaks, semgrep, trivy).
 */
export async function scannerMirror(
  dir: string,
  tools: { gitleaks: string; trivy: string },
): Promise<{ mirror: string; checksums: string }> {
  const { execFileSync } = await import('node:child_process');
  const { createHash } = await import('node:crypto');
  const { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } = await import('node:fs');
  const { ARCHIVES, platformOf } = await import('../../packages/sarif/src/install/releases.ts');
  const mirror = path.join(dir, 'scanner-mirror');
  mkdirSync(mirror, { recursive: true });
  const platform = platformOf();
  const lines: string[] = [];
  for (const tool of ['gitleaks', 'trivy'] as const) {
    const asset = ARCHIVES[tool].asset(platform);
    const stage = mkdtempSync(path.join(dir, `${tool}-`));
    cpSync(tools[tool], path.join(stage, ARCHIVES[tool].binary));
    execFileSync('tar', ['-czf', path.join(mirror, asset), '-C', stage, ARCHIVES[tool].binary]);
    lines.push(
      `${createHash('sha256')
        .update(readFileSync(path.join(mirror, asset)))
        .digest('hex')}  ${asset}`,
    );
  }
  // Semgrep's wheels: downloaded once into ~/.cache/pipeline-toolkit/wheels (PyPI, hash-checked).
  const lock = path.join(repoRoot, 'actions/security-scan/scanners/semgrep-requirements.txt');
  const wheels = path.join(process.env['HOME'] ?? '/root', '.cache/pipeline-toolkit/wheels/semgrep');
  if (!existsSync(wheels) || !readdirSync(wheels).some((f) => f.startsWith('semgrep-'))) {
    mkdirSync(wheels, { recursive: true });
    execFileSync(
      'python3',
      ['-m', 'pip', 'download', '--no-deps', '--require-hashes', '--only-binary', ':all:', '-r', lock, '-d', wheels],
      {
        stdio: 'ignore',
        timeout: 600_000,
      },
    );
  }
  for (const wheel of readdirSync(wheels)) cpSync(path.join(wheels, wheel), path.join(mirror, wheel));
  const checksums = path.join(dir, 'scanner-mirror.sha256');
  writeFileSync(checksums, `${lines.join('\n')}\n`);
  return { mirror, checksums };
}

/**
 * Seeds the actions/cache stand-in's store (PTK_ACT_CACHE) with Trivy's database the way the
 * workflow's "Cache Trivy's database" step saves it: the trivy-cache folder (db/trivy.db,
 * db/metadata.json) under the key pipeline-toolkit-trivy-db-<UTC day>. The database is the offline
 * one built by trivy-db from the fixture advisories (packages/testing, ADR-033), stamped as
 * downloaded now, so the action uses it from the cache instead of downloading one (which cannot be
 * done here). Returns the key's folder.
 */
export async function seedTrivyDbCache(store: string, now = new Date()): Promise<string> {
  const { offlineTrivyCache } = await import('@pipeline-toolkit/testing');
  const { cpSync, mkdirSync, rmSync } = await import('node:fs');
  const entry = path.join(store, `pipeline-toolkit-trivy-db-${now.toISOString().slice(0, 10)}`);
  const cache = offlineTrivyCache({ now });
  mkdirSync(store, { recursive: true });
  cpSync(cache, entry, { recursive: true });
  rmSync(cache, { recursive: true, force: true });
  return entry;
}

/** The loopback servers a pull request's pipeline talks to: a Slack webhook that accepts every post, and GitHub's REST API with the one route such a run calls (the code-scanning upload). */
export async function pullRequestStandIns(): Promise<{ slack: LoopbackServer; github: LoopbackServer }> {
  const { startServer, codeScanning } = await import('@pipeline-toolkit/testing');
  const slack = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  const github = await startServer((req, res) => {
    if (codeScanning(req, res, SERVICE_REPOSITORY, '47177e22-5596-11eb-80a1-c1e54ef945c6')) return;
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end('{"message":"Not Found"}');
  });
  return { slack, github };
}

/**
 * Runs a workspace's workflow under act on a pull request (number `number`, branch `feature` into
 * main) against the stand-ins of pullRequestStandIns, with the pipeline's default scan set-up as
 * this machine can serve it: the scanners from a mirror on disk (scannerMirror), named by the
 * runner settings a self-hosted runner would have, and Trivy's database seeded in the actions/cache
 * stand-in (seedTrivyDbCache). Returns the run and the cache store.
 */
export async function runPullRequest(
  act: string,
  ws: ActWorkspace,
  options: { number: number; slackWebhook: string; github: LoopbackServer; token: string; python: string },
): Promise<{ run: ActRun; cacheStore: string }> {
  const { requireTool } = await import('@pipeline-toolkit/testing');
  const mirror = await scannerMirror(path.dirname(ws.dir), { gitleaks: requireTool('gitleaks').path, trivy: requireTool('trivy').path });
  const cacheStore = path.join(path.dirname(ws.dir), 'actions-cache');
  await seedTrivyDbCache(cacheStore);
  const run = await runAct(act, ws, {
    secrets: { SLACK_WEBHOOK: options.slackWebhook, GITHUB_TOKEN: options.token },
    vars: { PRODUCTION_URL: 'https://orders.example.test' },
    env: {
      PTK_ACT_PYTHON: options.python,
      PIPELINE_TOOLKIT_TEST_SLACK_LOOPBACK: 'true',
      GITHUB_API_URL: options.github.url,
      PIPELINE_TOOLKIT_SCANNER_MIRROR: mirror.mirror,
      PIPELINE_TOOLKIT_SCANNER_CHECKSUMS: mirror.checksums,
      PTK_ACT_CACHE: cacheStore,
    },
    path: [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    timeoutMs: 420_000,
    event: {
      name: 'pull_request',
      payload: { number: options.number, pull_request: { number: options.number, head: { ref: 'feature' }, base: { ref: 'main' } } },
    },
  });
  return { run, cacheStore };
}
