/**
 * `npm start`: the pipeline of the reusable workflow, run on this machine with the toolkit's own
 * code, on a copy of the example service (examples/python-service):
 *
 *   lint → build → test → security scan → deploy → smoke → notify (dry run) → record
 *
 * Real tools are used where `npm run tools` installed them: the scanners, Helm, and a local
 * Kubernetes control plane (whose fake pods run no image, so the service itself runs here and
 * stands in for both colours at the gates). Without them the scan uses what is on PATH and the
 * deploy prints its plan. Every stage prints its own output; a table of the stages ends the run.
 *
 *   node scripts/pipeline.ts [--keep]     (--keep: leave the workspace copy for inspection)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorMessage } from '../packages/core/src/errors.ts';
import { freePort, postgres, serviceDatabaseEnv, toolsManifest, waitForHealth } from '../packages/testing/src/index.ts';
import { ensurePythonVenv, serviceDir } from '../test/real/python-venv.ts';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'packages', 'cli', 'bin', 'pipeline-toolkit.js');

type Status = 'passed' | 'failed' | 'skipped';
interface StageResult {
  name: string;
  status: Status;
  detail: string;
  ms: number;
}

const results: StageResult[] = [];
const bold = (s: string) => (process.stdout.isTTY ? `\u001b[1m${s}\u001b[0m` : s);

async function stage(name: string, body: () => Promise<{ status: Status; detail: string }>): Promise<Status> {
  const blocked = results.find((r) => r.status === 'failed' && !['notify', 'record'].includes(r.name));
  if (blocked && !['notify', 'record'].includes(name)) {
    results.push({ name, status: 'skipped', detail: `after ${blocked.name} failed`, ms: 0 });
    return 'skipped';
  }
  console.log(`\n${bold(`▶ ${name}`)}`);
  const started = performance.now();
  let outcome: { status: Status; detail: string };
  try {
    outcome = await body();
  } catch (error) {
    outcome = { status: 'failed', detail: errorMessage(error) };
  }
  results.push({ name, ...outcome, ms: performance.now() - started });
  return outcome.status;
}

/** Runs a program with inherited output; the exit code decides. */
function run(program: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): number {
  const result = spawnSync(program, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const verdict = (code: number, ok: string, bad: string) => ({
  status: code === 0 ? ('passed' as const) : ('failed' as const),
  detail: code === 0 ? ok : bad,
});

async function main(): Promise<void> {
  const keep = process.argv.includes('--keep');
  const tools = toolsManifest();
  const toolDirs = Object.values(tools).map((t) => path.dirname(t.path));
  const venv = ensurePythonVenv();
  const PATH = [path.dirname(venv.bin('python')), ...toolDirs, path.dirname(process.execPath), process.env['PATH'] ?? ''].join(
    path.delimiter,
  );
  const ws = await mkdtemp(path.join(tmpdir(), 'ptk-pipeline-'));
  await cp(serviceDir, ws, { recursive: true, filter: (src) => !/(__pycache__|\.venv|\/dist)$/.test(src) });
  console.log(`Workspace: ${ws} (a copy of examples/python-service)`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sha = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH,
    LOCAL_URL: url,
    PRODUCTION_URL: url,
    ENVIRONMENT: 'development',
    SECRET_KEY: 'local-pipeline-secret-key',
    // The run as GitHub would describe it, for the notification and the memory-bank entry.
    GITHUB_REPOSITORY: 'example/orders-service',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: sha,
    GITHUB_REF_NAME: 'main',
    GITHUB_RUN_ID: `local-${Date.now()}`,
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    // Offline here: Trivy's vulnerability database cannot be downloaded, its other scanners work.
    TRIVY_SCANNERS: process.env['TRIVY_SCANNERS'] ?? 'misconfig,secret',
  };
  const toolkit = (args: string[]) => run(process.execPath, [cli, ...args], { cwd: ws, env });
  let service: ChildProcess | undefined;
  let stopCluster: (() => Promise<void>) | undefined;

  try {
    await stage('lint', async () =>
      verdict(
        toolkit(['lint']),
        'the linters that fit (ruff, yamllint, hadolint, helm, memory-bank, …) as found',
        'linters reported errors',
      ),
    );
    await stage('build', async () =>
      verdict(
        run(venv.bin('python'), ['-m', 'build', '--outdir', 'build-output'], { cwd: ws, env }),
        'wheel and sdist in build-output/',
        'python -m build failed',
      ),
    );
    await stage('test', async () => verdict(run(venv.bin('pytest'), ['-q'], { cwd: ws, env }), 'pytest passed', 'pytest failed'));
    await stage('security-scan', async () => {
      const found = ['gitleaks', 'semgrep', 'trivy'].filter((t) => tools[t]);
      const code = toolkit([
        'scan',
        '--run-scanners',
        'available',
        '--semgrep-config',
        'semgrep/rules.yml',
        '--fail-on',
        'high',
        '--output-sarif',
        'security-scan.sarif',
      ]);
      return verdict(
        code,
        `gate passed (${found.join(', ') || 'scanners on PATH'}); SARIF in security-scan.sarif`,
        'findings at or above high',
      );
    });

    await stage('deploy', async () => {
      Object.assign(env, serviceDatabaseEnv(postgres()));
      service = spawn(venv.bin('python'), ['-m', 'orders_service'], {
        cwd: ws,
        env: { ...env, PYTHONPATH: path.join(ws, 'src'), HOST: '127.0.0.1', PORT: String(port) },
        stdio: 'inherit',
      });
      await waitForHealth(url, service);
      const chart = [
        '--release',
        'orders',
        '--chart',
        'charts/orders-service',
        '--smoke-config',
        'smoke.yml',
        '--preview-url',
        url,
        '--production-url',
        url,
        '--drain',
        '1s',
        '--timeout',
        '2m',
        '--set',
        'config.environment=development',
      ];
      const clusterTools = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'helm3'];
      if (!clusterTools.every((t) => tools[t])) {
        const code = toolkit(['deploy', ...chart, '--kubeconfig', path.join(ws, 'no-cluster'), '--dry-run']);
        return { status: code === 0 ? 'skipped' : 'failed', detail: 'no local control plane (npm run tools): printed the plan only' };
      }
      const { startCluster } = await import('../test/cluster/cluster.ts');
      const cluster = await startCluster();
      stopCluster = () => cluster.stop();
      const code = toolkit(['deploy', ...chart, '--kubeconfig', cluster.kubeconfigPath, '--helm', tools['helm3']!.path]);
      return verdict(code, 'blue-green on the local control plane; the service here answered the gates', 'deploy failed or rolled back');
    });

    await stage('smoke', async () =>
      verdict(
        toolkit(['smoke', '--config', 'smoke.yml', '--target', 'local', '--json', 'smoke.json', '--junit', 'smoke.xml']),
        `all checks passed against ${url}`,
        'smoke checks failed',
      ),
    );

    const needs = Object.fromEntries(
      results.map((r) => [r.name, { result: r.status === 'passed' ? 'success' : r.status === 'failed' ? 'failure' : 'skipped' }]),
    );
    await stage('notify', async () =>
      verdict(
        toolkit(['notify', '--needs', JSON.stringify(needs), '--smoke-report', 'smoke.json', '--dry-run']),
        'Slack message printed (dry run)',
        'notify failed',
      ),
    );
    const deployed =
      results.find((r) => r.name === 'deploy')?.status === 'passed' && results.find((r) => r.name === 'smoke')?.status === 'passed';
    await stage('record', async () =>
      verdict(
        toolkit([
          'memory-bank',
          'record-deploy',
          '--environment',
          'local',
          '--version',
          '0.1.0',
          '--deploy-url',
          url,
          '--result',
          deployed ? 'success' : 'failure',
        ]),
        'memory-bank/progress.md updated in the workspace',
        'could not record',
      ),
    );
  } finally {
    if (service && service.exitCode === null) service.kill('SIGTERM');
    await stopCluster?.();
    postgres(['stop']);
    if (!keep) await rm(ws, { recursive: true, force: true });
  }

  console.log(`\n${bold('Pipeline')}`);
  for (const r of results) {
    const mark = r.status === 'passed' ? '✔' : r.status === 'failed' ? '✘' : '–';
    console.log(`  ${mark} ${r.name.padEnd(14)} ${r.status.padEnd(8)} ${(r.ms / 1000).toFixed(1).padStart(6)}s  ${r.detail}`);
  }
  if (keep) console.log(`\nWorkspace kept: ${ws}`);
  process.exitCode = results.some((r) => r.status === 'failed') ? 1 : 0;
}

await main();
