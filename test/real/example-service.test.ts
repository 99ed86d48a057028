/**
 * The example service as the pipeline's lint, build and test stages see it, from a clean copy:
 * ruff check and format, pytest (all, and the `critical` smoke subset), `python -m build`; then
 * the service itself running against a real PostgreSQL, checked by its own smoke tests and by the
 * toolkit's smoke suite (smoke.yml); and its Helm chart with Helm 3 and Helm 4.
 *
 * Needs the Python venv (`node test/real/python-venv.ts`), the tools (`npm run tools`) and
 * Debian's PostgreSQL (test/services/postgres.sh installs it when missing).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { freePort, postgres as startPostgres, requireTool, waitForHealth } from '@pipeline-toolkit/testing';
import { runSuite } from '@pipeline-toolkit/smoke';
import { parseSuite } from '../../packages/smoke/src/load.ts';
import { requirePythonVenv, serviceDir } from './python-venv.ts';

const venv = requirePythonVenv();
/** Build, cache and editor leftovers that a clean clone does not have. */
const NOT_COPIED = new Set(['dist', 'build', '.venv', '.pytest_cache', '.ruff_cache', '__pycache__', '.env']);

function cleanCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'python-service-'));
  cpSync(serviceDir, dir, { recursive: true, filter: (src) => !NOT_COPIED.has(path.basename(src)) && !src.endsWith('.egg-info') });
  return dir;
}

interface Run {
  status: number | null;
  output: string;
}

function python(tool: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(venv.bin(tool), args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 280_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** `17 passed, 1 skipped, 14 deselected` → { passed: 17, skipped: 1, deselected: 14 }. */
function pytestCounts(output: string): Record<string, number> {
  const summary = output.trim().split('\n').at(-1) ?? '';
  return Object.fromEntries([...summary.matchAll(/\b(\d+) (passed|failed|skipped|deselected|errors?)/g)].map((m) => [m[2], Number(m[1])]));
}

describe('example service: lint, build and test stages from a clean copy', () => {
  let dir: string;
  beforeAll(() => {
    dir = cleanCopy();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes ruff check and ruff format --check', () => {
    const check = python('ruff', ['check', '--no-cache', '.'], dir);
    expect(check).toEqual({ status: 0, output: expect.stringContaining('All checks passed') });
    const format = python('ruff', ['format', '--no-cache', '--check', '.'], dir);
    expect(format).toEqual({ status: 0, output: expect.stringMatching(/\b\d+ files already formatted/) });
  });

  it('ruff fails on a lint error (the configuration really lints)', () => {
    const scratch = cleanCopy();
    try {
      writeFileSync(path.join(scratch, 'src', 'orders_service', 'unused.py'), 'import os\n');
      const check = python('ruff', ['check', '--no-cache', '.'], scratch);
      expect(check.status).toBe(1);
      expect(check.output).toContain('F401');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('passes pytest; only the live-target database check is skipped', () => {
    const run = python('pytest', ['-q'], dir);
    expect(run.status).toBe(0);
    const counts = pytestCounts(run.output);
    expect(counts['passed']).toBeGreaterThanOrEqual(15);
    expect(counts).toEqual({ passed: counts['passed'], skipped: 1 });
    expect(run.output).toContain('the database is checked against a live target');
  });

  it('runs the critical smoke subset with pytest -m critical', () => {
    const run = python('pytest', ['-q', '-m', 'critical', '-rA'], dir);
    expect(run.status).toBe(0);
    expect(pytestCounts(run.output)).toMatchObject({ passed: 3, skipped: 1 });
    for (const test of ['test_health', 'test_orders_api', 'test_configuration'])
      expect(run.output).toContain(`PASSED tests/test_smoke.py::${test}`);
  });

  it(".env.example lists the original design's variables, each read by the service or its smoke tests", () => {
    const names = readFileSync(path.join(dir, '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')));
    expect(names).toEqual(
      expect.arrayContaining(['PRODUCTION_URL', 'LOCAL_URL', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'SECRET_KEY', 'ENVIRONMENT']),
    );
    const readers = ['src/orders_service/config.py', 'tests/test_smoke.py', 'smoke.yml', 'preflight.yml']
      .map((f) => readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    expect(names.filter((name) => !readers.includes(`"${name}"`) && !readers.includes(`\${${name}`))).toEqual([]);
  });

  it('builds a wheel and an sdist with python -m build', () => {
    const run = python('python', ['-m', 'build'], dir);
    expect(run.status).toBe(0);
    expect(readdirSync(path.join(dir, 'dist')).sort()).toEqual(['orders_service-0.1.0-py3-none-any.whl', 'orders_service-0.1.0.tar.gz']);
    const wheel = path.join(dir, 'dist', 'orders_service-0.1.0-py3-none-any.whl');
    const listing = python('python', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', wheel], dir);
    expect(listing.output.split('\n')).toEqual(
      expect.arrayContaining(['orders_service/main.py', 'orders_service/database.py', 'orders_service-0.1.0.dist-info/entry_points.txt']),
    );
  });
});

/** A PostgreSQL of its own (port 55433), so that tests stopping the shared one do not disturb this one. */
const PG_ENV = { PTK_PG_PORT: '55433', PTK_PG_DIR: path.join(tmpdir(), 'ptk-postgres-example-service') };
const postgres = (...args: string[]) => startPostgres(args, PG_ENV);

describe('example service running against a real PostgreSQL', () => {
  let dir: string;
  let service: ChildProcess;
  let url: string;
  let env: Record<string, string>;
  let logs = '';

  beforeAll(async () => {
    dir = cleanCopy();
    const pg = postgres();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = {
      ENVIRONMENT: 'development',
      SECRET_KEY: 'example-service-test-secret-key',
      LOCAL_URL: url,
      DB_HOST: pg['PGHOST']!,
      DB_PORT: pg['PGPORT']!,
      DB_NAME: pg['PGDATABASE']!,
      DB_USER: pg['PGUSER']!,
      DB_PASSWORD: pg['PGPASSWORD']!,
    };
    service = spawn(venv.bin('python'), ['-m', 'orders_service'], {
      cwd: dir,
      env: { ...process.env, ...env, PYTHONPATH: path.join(dir, 'src'), HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => (logs = (logs + chunk.toString()).slice(-8000));
    service.stdout?.on('data', keep);
    service.stderr?.on('data', keep);
    await waitForHealth(url, service, () => logs);
  }, 300_000);

  afterAll(async () => {
    if (service && service.exitCode === null) {
      const exited = new Promise((resolve) => service.once('exit', resolve));
      service.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    postgres('stop');
  }, 120_000);

  it('is ready when PostgreSQL answers', async () => {
    const response = await fetch(`${url}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  it('passes its own critical smoke tests against the live service, database included', () => {
    const run = python('pytest', ['-q', '-m', 'critical', '-rA', 'tests/test_smoke.py'], dir, { ...env, SMOKE_TARGET: 'local' });
    expect(run.status).toBe(0);
    expect(pytestCounts(run.output)).toEqual({ passed: 4 });
    expect(run.output).toContain('PASSED tests/test_smoke.py::test_database_ready');
  });

  async function suite(file: string, target: string) {
    const parsed = await parseSuite(readFileSync(path.join(dir, file), 'utf8'), { file, env });
    const log = new MemoryLogger();
    const result = await runSuite(parsed, { target, log });
    expect(log.text()).not.toContain(env['DB_PASSWORD']);
    expect(log.text()).not.toContain(env['SECRET_KEY']);
    return { result: result.result, checks: result.checks.map((c) => [c.name, c.status, c.message ?? '']) };
  }

  it("passes the toolkit's smoke suite (smoke.yml) against the running service", async () => {
    expect(await suite('smoke.yml', 'local')).toEqual({
      result: 'passed',
      checks: [
        ['health', 'passed', ''],
        ['readiness', 'passed', ''],
        ['orders API', 'passed', ''],
        ['API docs', 'passed', ''],
      ],
    });
  });

  it('passes the preflight (preflight.yml) in the service environment, and fails it without SECRET_KEY', async () => {
    expect(await suite('preflight.yml', 'local')).toEqual({
      result: 'passed',
      checks: [
        ['configuration', 'passed', ''],
        ['database', 'passed', ''],
      ],
    });
    const withoutSecret = await parseSuite(readFileSync(path.join(dir, 'preflight.yml'), 'utf8'), {
      file: 'preflight.yml',
      env: { ...env, SECRET_KEY: '' },
    });
    const result = await runSuite(withoutSecret, { target: 'local', log: new MemoryLogger() });
    expect(result.checks.find((c) => c.name === 'configuration')).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('SECRET_KEY'),
    });
  });

  it('reports not ready, without the password, when PostgreSQL is down', async () => {
    postgres('stop');
    try {
      const response = await fetch(`${url}/ready`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; checks: { database: string } };
      expect(body).toEqual({
        status: 'not ready',
        checks: { database: `OperationalError: cannot reach ${env['DB_HOST']}:${env['DB_PORT']}/${env['DB_NAME']}` },
      });
      expect(JSON.stringify(body)).not.toContain(env['DB_PASSWORD']);
      expect((await fetch(`${url}/health`)).status).toBe(200); // liveness does not depend on the database
    } finally {
      postgres();
    }
  }, 120_000);
});

describe('example service Helm chart', () => {
  const chart = path.join(serviceDir, 'charts', 'orders-service');
  const helms = ['helm3', 'helm4'].map((name) => [name, requireTool(name).path] as const);

  it.each(helms)('%s lints the chart strictly', (_name, helm) => {
    const run = spawnSync(helm, ['lint', '--strict', chart, '--set', 'existingSecret=orders'], { encoding: 'utf8' });
    expect([run.status, run.stdout]).toEqual([0, expect.stringContaining('1 chart(s) linted, 0 chart(s) failed')]);
  });

  it.each(helms)("%s renders Helm's standard labels, per-colour selectors, the image tag and both probes", async (_name, helm) => {
    const run = spawnSync(
      helm,
      ['template', 'orders-blue', chart, '--set', 'existingSecret=orders', '--set', 'image.tag=abc123', '--set', 'replicaCount=3'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(0);
    const { parseAllDocuments } = await import('yaml');
    const docs = parseAllDocuments(run.stdout).map(
      (d) => d.toJS() as { kind: string; metadata: { labels: Record<string, string> }; spec: Record<string, never> },
    );
    const labels = {
      'helm.sh/chart': 'orders-service-0.1.0',
      'app.kubernetes.io/name': 'orders-service',
      'app.kubernetes.io/instance': 'orders-blue',
      'app.kubernetes.io/version': 'abc123',
      'app.kubernetes.io/managed-by': 'Helm',
    };
    const selector = { 'app.kubernetes.io/name': 'orders-service', 'app.kubernetes.io/instance': 'orders-blue' };
    const deployment = docs.find((d) => d.kind === 'Deployment') as unknown as {
      metadata: { labels: Record<string, string> };
      spec: {
        replicas: number;
        selector: { matchLabels: Record<string, string> };
        template: {
          metadata: { labels: Record<string, string> };
          spec: {
            containers: { image: string; livenessProbe: { httpGet: { path: string } }; readinessProbe: { httpGet: { path: string } } }[];
          };
        };
      };
    };
    const service = docs.find((d) => d.kind === 'Service') as unknown as {
      metadata: { labels: Record<string, string> };
      spec: { selector: Record<string, string> };
    };
    expect(deployment.metadata.labels).toEqual(labels);
    expect(deployment.spec.template.metadata.labels).toEqual(labels);
    expect(deployment.spec.selector.matchLabels).toEqual(selector);
    expect(deployment.spec.replicas).toBe(3);
    expect(service.metadata.labels).toEqual(labels);
    expect(service.spec.selector).toEqual(selector);
    const container = deployment.spec.template.spec.containers[0]!;
    expect(container.image).toBe('ghcr.io/example/orders-service:abc123');
    expect([container.livenessProbe.httpGet.path, container.readinessProbe.httpGet.path]).toEqual(['/health', '/ready']);
  });

  it.each(helms)('%s refuses a production render without the Secret that holds SECRET_KEY', (_name, helm) => {
    const run = spawnSync(helm, ['template', 'orders-blue', chart], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('existingSecret must name a Secret holding SECRET_KEY when config.environment is production');
  });
});
