import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A temporary runner environment: the file-command files and the GITHUB_* context variables. */
export interface RunnerEnv {
  dir: string;
  env: Record<string, string>;
  outputs(): Promise<Record<string, string>>;
  state(): Promise<Record<string, string>>;
  exported(): Promise<Record<string, string>>;
  summary(): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createRunnerEnv(overrides: Record<string, string> = {}): Promise<RunnerEnv> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ptk-runner-'));
  const file = (name: string) => path.join(dir, name);
  for (const name of ['output', 'state', 'env', 'summary.md', 'path', 'event.json'])
    await writeFile(file(name), name === 'event.json' ? '{}' : '');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: file('output'),
    GITHUB_STATE: file('state'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    GITHUB_STEP_SUMMARY: file('summary.md'),
    GITHUB_EVENT_PATH: file('event.json'),
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_RUN_ID: '9876543210',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'notify',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    ...overrides,
  };
  return {
    dir,
    env,
    outputs: async () => parseFileCommands(await readFile(file('output'), 'utf8')),
    state: async () => parseFileCommands(await readFile(file('state'), 'utf8')),
    exported: async () => parseFileCommands(await readFile(file('env'), 'utf8')),
    summary: () => readFile(file('summary.md'), 'utf8'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Parses the runner's file-command format: `name=value` lines and `name<<DELIMITER … DELIMITER` blocks. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`Unterminated file command '${name}' (no closing ${delimiter})`);
      result[name] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`Malformed file command line: ${line}`);
    result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

/** A workflow command printed on stdout (`::error file=a::message`). */
export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

const unescape = (s: string) =>
  s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
    }
    commands.push({ command: match[1] ?? '', properties, message: unescape(match[3] ?? '') });
  }
  return commands;
}

export interface BundleRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  commands: WorkflowCommand[];
}

/**
 * Runs `node dist/<action>/<entry>.js` exactly as the runner does: inputs as INPUT_* variables,
 * the file-command files and context variables of `runner`, and nothing of this process's
 * environment but PATH and HOME.
 */
export async function runBundle(
  action: string,
  options: {
    inputs?: Record<string, string>;
    env?: Record<string, string>;
    runner?: RunnerEnv;
    entry?: 'index' | 'post';
    cwd?: string;
    timeoutMs?: number;
  } = {},
): Promise<BundleRun> {
  const runner = options.runner ?? (await createRunnerEnv());
  const inputEnv = Object.fromEntries(
    Object.entries(options.inputs ?? {}).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...runner.env, ...inputEnv, ...options.env };
  const script = path.join(repoRoot, 'dist', action, `${options.entry ?? 'index'}.js`);
  const child = spawn(process.execPath, [script], { env, cwd: options.cwd ?? runner.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  clearTimeout(timer);
  const result: BundleRun = {
    exitCode,
    stdout,
    stderr,
    outputs: await runner.outputs(),
    state: await runner.state(),
    summary: await runner.summary(),
    commands: parseWorkflowCommands(stdout),
  };
  if (!options.runner) await runner.cleanup();
  return result;
}

/** Writes a tree of files under `root`: each key a relative path (folders made as needed), each value its text. */
export async function writeFiles(root: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
}
