import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  freePort,
  postgres,
  repoRoot,
  requireTool,
  serviceDatabaseEnv,
  startServer,
  codeScanning,
  toolsManifest,
  type LoopbackServer,
} from '@pipeline-toolkit/testing';
import { api } from '../cluster/api.ts';
import { createNamespace, startCluster, type Cluster } from '../cluster/cluster.ts';
import { requireAct } from '../act/install.ts';
import {
  prepareWorkspace,
  readmeCaller,
  remoteActionMappings,
  runAct,
  scannerMirror,
  type ActRun,
  type ActWorkspace,
} from '../act/pipeline.ts';
import { requirePythonVenv } from './python-venv.ts';
import { BOT_TOKEN, startSlackApi, type SlackApiStandIn, type StoredMessage } from '../../packages/slack/test/slack-api.ts';

/**
 * The reusable workflow .github/workflows/pipeline.yml, run end to end by act in self-hosted mode
 * (test/act/pipeline.ts): lint, build, test and security-scan on a copy of the example service,
 * then the blue-green deploy to the local control plane, the smoke job, and the Slack notification
 * to a loopback Slack stand-in. The control plane's fake pods run no container, so the service runs
 * here on loopback and stands in for both colours: every pod IP of the namespace is routed to it
 * (the pre-switch gate goes through the API server's service proxy), and PRODUCTION_URL is a
 * loopback front of it that the second run breaks while its smoke job runs, to drive the rollback.
 * GitHub's REST API is a loopback stand-in too (act's GITHUB_API_URL): it knows one environment,
 * `production`, protected by a required reviewer, which the approval preflight reads.
 */
let cluster: Cluster;
let namespace: string;
let service: ChildProcess;
let production: LoopbackServer;
let slack: LoopbackServer;
let slackApi: SlackApiStandIn;
let github: LoopbackServer;
let stopRouting: () => Promise<void>;
let servicePort: number;
let act: string;
let actPath: string;
let jobEnv: Record<string, string>;
let mirrorDir: string;
const slackPath = '/services/T0ACT/B0ACT/actwebhooksecret';
/** While true, the production front answers the orders API with 500 (health stays green). */
let productionBroken = false;

/**
 * A finding below the gate (fail-on high), committed into the service copy of the first deploy and
 * of the pull request: the example's Semgrep rule python-requests-no-timeout (severity WARNING →
 * MEDIUM) matches its one call. It is the default branch's finding that the pull request finds
 * again in its baseline.
 */
const BELOW_GATE = {
  'tools/legacy_client.py': [
    '# A client of a partner API that has no timeout yet.',
    'from types import SimpleNamespace',
    '',
    'requests = SimpleNamespace(get=lambda url, timeout: url)',
    '',
    '',
    'def fetch(url: str) -> object:',
    '    return requests.get(url, timeout=None)',
    '',
  ].join('\n'),
};
/** The first deploy's artifact store: the GitHub API stand-in serves its security-findings as the last successful run of main. */
let mainRunArtifacts: string | undefined;
const MAIN_RUN_ID = 4711;
/** The pull request comments the security scan wrote through the GitHub API stand-in. */
const prComments: string[] = [];

async function startService(python: string, dir: string): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  service = spawn(python, ['-m', 'orders_service'], {
    cwd: dir,
    env: {
      ...process.env,
      ...serviceDatabaseEnv(postgres()),
      PYTHONPATH: path.join(dir, 'src'),
      HOST: '127.0.0.1',
      PORT: String(port),
      ENVIRONMENT: 'development',
      SECRET_KEY: 'act-test',
      PYTHONDONTWRITEBYTECODE: '1',
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 150; i++) {
    if (service.exitCode !== null) throw new Error(`the service exited with code ${service.exitCode}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return url;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the service did not answer ${url}/health`);
}

/** Routes podIP:8000 of every pod of the namespace to the service on loopback, as the pods appear. */
function routePods(port: number, ns = namespace): () => Promise<void> {
  const routed = new Set<string>();
  const unroute: (() => void)[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const pods =
        (await api<{ items?: { status?: { podIP?: string } }[] }>(cluster, 'GET', `/api/v1/namespaces/${ns}/pods`)).body.items ?? [];
      for (const ip of pods.map((p) => p.status?.podIP)) {
        if (!ip || routed.has(ip)) continue;
        routed.add(ip);
        unroute.push(cluster.route(ip, 8000, port));
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
    unroute.forEach((remove) => remove());
  };
}

/** What one act run left behind, and helpers to read its --json log. */
interface Observed {
  ws: ActWorkspace;
  run: ActRun;
}

function read({ run }: Observed) {
  const ofJob = (job: string, command: string) => run.entries.filter((e) => e['jobID'] === job && e['command'] === command);
  return {
    result: (job: string) => run.jobs.filter((j) => j.job === job).map((j) => j.result),
    /** The step outputs a job set, as name=value. */
    outputs: (job: string) => ofJob(job, 'set-output').map((e) => `${String(e['name'])}=${String(e['arg'])}`),
    /** The job summaries a job wrote (act logs each GITHUB_STEP_SUMMARY in full). */
    summary: (job: string) =>
      ofJob(job, 'summary')
        .map((e) => String(e['content']))
        .join('\n'),
    /** A job's result with the ::error:: messages it logged, so that a failure explains itself. */
    report: (job: string) => ({
      job,
      result: run.jobs.filter((j) => j.job === job).map((j) => j.result),
      errors: ofJob(job, 'error').map((e) => String(e['arg'])),
    }),
  };
}

/** The runs' temp folders: removed at the end (act's log in them repeats masked values, see below). */
const workspaces: ActWorkspace[] = [];

async function pipeline(
  options: {
    approveBeforeSwitch?: boolean;
    onEntry?: (entry: Record<string, unknown>) => void;
    /** The caller in test/act/workflows/ (default pipeline.yml). */
    caller?: string;
    event?: { name: string; payload: Record<string, unknown> };
    vars?: Record<string, string>;
    /** Bot-token mode: SLACK_BOT_TOKEN, the channel `deploys` of the Web API stand-in, and a GITHUB_TOKEN to read the reviewers. */
    slackToken?: boolean;
    /** A GITHUB_TOKEN for the run (github.token), without bot-token mode. */
    githubToken?: string;
    /** Files added to the service copy, committed. */
    files?: Record<string, string>;
    /** More environment for the jobs. */
    env?: Record<string, string>;
  } = {},
): Promise<Observed> {
  const ws = await prepareWorkspace(options.caller);
  workspaces.push(ws);
  if (options.files) {
    for (const [name, text] of Object.entries(options.files)) {
      mkdirSync(path.dirname(path.join(ws.dir, name)), { recursive: true });
      writeFileSync(path.join(ws.dir, name), text);
    }
    execFileSync('git', ['add', '-A'], { cwd: ws.dir });
    execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', 'commit', '-qm', 'more files'], { cwd: ws.dir });
  }
  const run = await runAct(act, ws, {
    secrets: {
      KUBE_CONFIG: readFileSync(cluster.kubeconfigPath).toString('base64'),
      SLACK_WEBHOOK: `${slack.url}${slackPath}`,
      ...(options.slackToken ? { SLACK_BOT_TOKEN: BOT_TOKEN, GITHUB_TOKEN: 'ghs_actApprovalRunToken0123456789abcdef' } : {}),
      ...(options.githubToken ? { GITHUB_TOKEN: options.githubToken } : {}),
    },
    vars: {
      ...(options.slackToken ? { SLACK_CHANNEL: 'deploys' } : {}),
      NAMESPACE: namespace,
      // A variable, not a secret: GitHub drops job outputs that contain a secret.
      PRODUCTION_URL: production.url,
      APPROVE_BEFORE_SWITCH: String(options.approveBeforeSwitch ?? false),
      // The pipeline's scan-setup-command: the scanners of `npm run tools` instead of a download.
      SCAN_SETUP_COMMAND: 'echo "$PTK_ACT_SCANNERS" | tr : "\\n" >> "$GITHUB_PATH"',
      ...options.vars,
    },
    env: { ...jobEnv, ...options.env },
    path: actPath,
    timeoutMs: 300_000,
    ...(options.event ? { event: options.event } : {}),
    ...(options.onEntry ? { onEntry: options.onEntry } : {}),
  });
  return { ws, run };
}

/** The artifacts a run stored (the upload stand-in's store), by name. */
const artifacts = ({ ws }: Observed) => readdirSync(path.join(ws.private, 'artifacts')).sort();

/**
 * Every object of the namespace that a deploy writes, as kind/name@version: the resourceVersion,
 * or for Deployments the generation (their status changes without any write of ours).
 */
async function clusterState(): Promise<string[]> {
  const lists = [
    `/api/v1/namespaces/${namespace}/secrets`,
    `/api/v1/namespaces/${namespace}/services`,
    `/api/v1/namespaces/${namespace}/configmaps`,
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`,
  ];
  const state: string[] = [];
  for (const list of lists) {
    const kind = list.split('/').pop()!;
    const items =
      (await api<{ items?: { metadata: { name: string; resourceVersion: string; generation?: number } }[] }>(cluster, 'GET', list)).body
        .items ?? [];
    for (const { metadata } of items) {
      state.push(`${kind}/${metadata.name}@${kind === 'deployments' ? `generation ${metadata.generation}` : metadata.resourceVersion}`);
    }
  }
  return state.sort();
}

const routerColour = async () =>
  (await api<{ spec?: { selector?: Record<string, string> } }>(cluster, 'GET', `/api/v1/namespaces/${namespace}/services/orders`)).body.spec
    ?.selector?.['app.kubernetes.io/instance'];
const slackPosts = () => slack.requests.filter((r) => r.method === 'POST' && r.url === slackPath);

beforeAll(async () => {
  act = requireAct();
  const venv = requirePythonVenv();
  const tools = toolsManifest();
  const scanners = ['gitleaks', 'semgrep', 'trivy'].map((t) => path.dirname(requireTool(t).path));
  mirrorDir = await mkdtemp(path.join(tmpdir(), 'ptk-act-mirror-'));
  const mirror = await scannerMirror(mirrorDir, { gitleaks: requireTool('gitleaks').path, trivy: requireTool('trivy').path });
  const helm = path.dirname(requireTool('helm3').path);

  cluster = await startCluster();
  namespace = await createNamespace(cluster, 'act');
  const serviceUrl = await startService(venv.bin('python'), path.join(repoRoot, 'examples', 'python-service'));
  servicePort = Number(new URL(serviceUrl).port);
  stopRouting = routePods(servicePort);
  production = await startServer(async (req, res) => {
    if (productionBroken && req.url?.startsWith('/api/orders')) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"detail":"broken on purpose"}');
      return;
    }
    const answer = await fetch(`${serviceUrl}${req.url ?? '/'}`);
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  slack = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  slackApi = await startSlackApi();
  // GitHub's REST API as the approval preflight reads it: `production` exists with a required
  // reviewer (an answer GitHub gave, test/fixtures/github-environments); anything else is 404.
  const protectedEnvironment = readFileSync(path.join(repoRoot, 'test/fixtures/github-environments/protected-required-reviewers.json'));
  github = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const repo = '/repos/example/orders-service';
    const reply = (status: number, body: unknown, type = 'application/json; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type });
      res.end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
    };
    // The base branch's findings for a pull request (packages/sarif github-baseline.ts): the first
    // deploy, a manual run of main, is the last successful run; its artifacts are the upload
    // stand-in's store of that run, zipped as GitHub serves an artifact.
    if (req.method === 'GET' && url.pathname === `${repo}/actions/workflows/pipeline.yml/runs`) {
      const listed = mainRunArtifacts && url.searchParams.get('branch') === 'main' && url.searchParams.get('status') === 'success';
      const run = {
        id: MAIN_RUN_ID,
        event: 'workflow_dispatch',
        head_branch: 'main',
        head_repository: { full_name: 'example/orders-service' },
      };
      return reply(200, { total_count: listed ? 1 : 0, workflow_runs: listed ? [run] : [] });
    }
    if (req.method === 'GET' && url.pathname === `${repo}/actions/runs/${MAIN_RUN_ID}/artifacts` && mainRunArtifacts) {
      const names = readdirSync(mainRunArtifacts).filter((n) => !url.searchParams.get('name') || n === url.searchParams.get('name'));
      const artifacts = names.map((name) => ({
        id: 100 + readdirSync(mainRunArtifacts!).indexOf(name),
        name,
        expired: false,
        size_in_bytes: 1,
      }));
      return reply(200, { total_count: artifacts.length, artifacts });
    }
    const zip = /^\/repos\/example\/orders-service\/actions\/artifacts\/(\d+)\/zip$/.exec(url.pathname);
    if (req.method === 'GET' && zip && mainRunArtifacts) {
      const name = readdirSync(mainRunArtifacts)[Number(zip[1]) - 100];
      if (!name) return reply(404, { message: 'Not Found' });
      return reply(200, execFileSync('zip', ['-q', '-r', '-', '.'], { cwd: path.join(mainRunArtifacts, name) }), 'application/zip');
    }
    if (url.pathname === `${repo}/issues/7/comments`) {
      if (req.method === 'GET') return reply(200, []);
      prComments.push((JSON.parse(req.body) as { body: string }).body);
      return reply(201, { id: prComments.length });
    }
    // The code-scanning upload (upload-sarif, on in the README's caller): accepted and processed as GitHub does.
    if (codeScanning(req, res, 'example/orders-service', '4f0c6d2e-act')) return;
    const known = req.method === 'GET' && req.url === '/repos/example/orders-service/environments/production';
    res.writeHead(known ? 200 : 404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(known ? protectedEnvironment : '{"message":"Not Found","status":"404"}');
  });
  jobEnv = {
    PTK_ACT_PYTHON: path.dirname(venv.bin('python')),
    PTK_ACT_SCANNERS: scanners.join(':'),
    // Offline: Trivy's vulnerability database cannot be downloaded; its other scanners work.
    TRIVY_SCANNERS: 'misconfig,secret',
    // The default scan set-up installs the scanners from a mirror on disk (scannerMirror), checked
    // against its checksum file, into a cache store of this run (the actions/cache stand-in).
    PIPELINE_TOOLKIT_SCANNER_MIRROR: mirror.mirror,
    PIPELINE_TOOLKIT_SCANNER_CHECKSUMS: mirror.checksums,
    PTK_ACT_CACHE: path.join(mirrorDir, 'actions-cache'),
    // The Slack client's test seam: plain http to a loopback webhook, and to the Web API stand-in.
    PIPELINE_TOOLKIT_TEST_SLACK_LOOPBACK: 'true',
    PIPELINE_TOOLKIT_TEST_SLACK_API_URL: slackApi.base,
    // act takes github.api_url (and the jobs' GITHUB_API_URL) from here.
    GITHUB_API_URL: github.url,
  };
  // Node 24 for the node24 actions, Helm for lint and deploy, actionlint when installed.
  const actionlint = tools['actionlint'] ? [path.dirname(tools['actionlint'].path)] : [];
  actPath = [path.dirname(process.execPath), helm, ...actionlint, '/usr/local/bin', '/usr/bin', '/bin'].join(':');
}, 120_000);

afterAll(async () => {
  await stopRouting?.();
  if (service && service.exitCode === null) service.kill('SIGTERM');
  await production?.close();
  await slack?.close();
  await slackApi?.close();
  await github?.close();
  await cluster?.stop();
  if (!process.env['PTK_ACT_KEEP']) await Promise.all(workspaces.map((ws) => rm(path.dirname(ws.dir), { recursive: true, force: true })));
});

describe('pipeline.yml under act (self-hosted, offline, local control plane): first deploy', () => {
  let first: Observed;
  let r: ReturnType<typeof read>;
  beforeAll(async () => {
    first = await pipeline({ files: BELOW_GATE });
    r = read(first);
    mainRunArtifacts = path.join(first.ws.private, 'artifacts');
  }, 360_000);

  it('serves every third-party action the pipeline pins from a local stand-in', async () => {
    const mappings = Object.keys(await remoteActionMappings());
    expect(mappings.map((m) => m.replace(/@.*/, '')).sort()).toEqual([
      'actions/cache',
      'actions/checkout',
      'actions/download-artifact',
      'actions/setup-go',
      'actions/setup-python',
      'actions/upload-artifact',
      'aws-actions/configure-aws-credentials',
    ]);
    const messages = first.run.entries.map((e) => String(e['msg'] ?? ''));
    for (const key of mappings) {
      const [name, ref] = key.split('@');
      expect(messages).toContain(
        `LocalRepositoryCache matched https://github.com/${name} with ref ${ref} to ${path.join(repoRoot, 'test/act/actions', name!.split('/')[1]!)}`,
      );
    }
    expect(messages.some((m) => /LocalRepositoryCache not matched/.test(m))).toBe(false);
  });

  it('runs lint → build → test → security-scan → deploy → smoke → notify, each job green', () => {
    const failed = first.run.jobs.filter((j) => j.result !== 'success');
    expect({ failed, stderr: failed.length ? first.run.stderr.slice(-2000) : '' }).toEqual({ failed: [], stderr: '' });
    for (const job of [
      'plan',
      'deploy-config',
      'notify-start',
      'lint',
      'build',
      'test',
      'security-scan',
      'approval',
      'deploy',
      'smoke',
      'notify',
    ]) {
      expect(r.report(job)).toEqual({ job, result: ['success'], errors: [] });
    }
    // Approval before the switch is off, the smoke suite passed and recording is off: these never start.
    for (const job of ['deploy-idle', 'promote', 'discard-idle', 'rollback', 'record']) expect([job, r.result(job)]).toEqual([job, []]);
    expect(first.run.exitCode).toBe(0);
  });

  it('ran the toolkit actions from this checkout and the real linters, build, tests and scanners', () => {
    const out = first.run.output.join('\n');
    for (const action of ['lint', 'security-scan', 'deploy', 'smoke-test', 'slack-notify']) {
      expect(out).toContain(
        `Copied pipeline-toolkit/pipeline-toolkit@act-local from ${first.ws.toolkit} into .pipeline-toolkit (sparse: /actions/${action}/action.yml`,
      );
    }
    expect(out).toMatch(/Successfully built orders_service-[\d.]+\.tar\.gz and orders_service-[\d.]+-py3-none-any\.whl/);
    expect(out).toMatch(/= \d+ passed/);
    const build = artifacts(first).filter((name) => name.startsWith('build-'));
    expect(build).toEqual([expect.stringMatching(/^build-production-[0-9a-f]{8}$/)]);
    expect(r.outputs('build')).toContain(`name=${build[0]}`);
    expect(readdirSync(path.join(first.ws.private, 'artifacts', build[0]!)).some((f) => f.endsWith('.whl'))).toBe(true);
    expect(r.outputs('lint')).toContain('result=passed');
    expect(r.summary('lint')).toMatch(/\| ruff \| ✅ clean \|/);
    expect(r.summary('lint')).toMatch(/\| helm \| ✅ clean \|/);
    expect(r.outputs('security-scan')).toContain('gate=passed');
    for (const tool of ['Gitleaks', 'Trivy']) expect(r.summary('security-scan')).toContain(`| ${tool} | 0 | 0 | 0 | 0 | 0 |`);
    // the planted call without a timeout: one MEDIUM Semgrep finding, below the gate
    expect(r.summary('security-scan')).toContain('| Semgrep | 0 | 0 | 1 | 0 | 0 |');
  });

  it("published the findings as security-findings (the default branch's baseline for pull requests), and Slack says there was no baseline", () => {
    expect(artifacts(first)).toContain('security-findings');
    const stored = readdirSync(path.join(first.ws.private, 'artifacts', 'security-findings'));
    expect(stored).toEqual(['security-scan.findings.json']);
    const findings = JSON.parse(readFileSync(path.join(first.ws.private, 'artifacts', 'security-findings', stored[0]!), 'utf8')) as {
      rule: string;
      severity: string;
      location?: { path: string; startLine: number };
    }[];
    const line = BELOW_GATE['tools/legacy_client.py'].split('\n').findIndex((l) => l.includes('timeout=None')) + 1;
    expect(findings.map((f) => [f.rule, f.severity, f.location?.path, f.location?.startLine])).toEqual([
      ['semgrep.python-requests-no-timeout', 'MEDIUM', 'tools/legacy_client.py', line],
    ]);
    expect(r.outputs('security-scan')).toEqual(expect.arrayContaining(['new=1', 'fixed=0', 'unchanged=0', 'baseline=']));
    // the green message: the scan's one finding, and no baseline to call it new against
    expect(slackPosts()[1]!.body).toContain('*Security scan*: 1 finding, no baseline to compare with (new, fixed and unchanged unknown)');
  });

  it('deployed blue on the local control plane and switched the router to it', async () => {
    expect(await routerColour()).toBe('orders-blue');
    expect(r.outputs('deploy')).toEqual(expect.arrayContaining(['result=deployed', 'live-color=blue', 'revision=1']));
    // The pre-switch gate reached the idle colour through the API server's service proxy (the routed
    // pods; a first attempt may land before the new pod is routed, the gate's retries absorb it).
    expect(r.summary('deploy')).toMatch(/\| pre-switch \| blue \| passed \| [34]\/4 checks passed \|/);
    expect(r.summary('deploy')).toMatch(/\| post-switch \| blue \| passed \| 4\/4 checks passed \|/);
  });

  it('approval: posted the approval-pending message through the webhook before the deploy, then the green message', () => {
    expect(r.outputs('smoke')).toEqual(expect.arrayContaining(['result=passed', 'passed=4', 'failed=0']));
    const report = artifacts(first).filter((name) => name.startsWith('smoke-report-'));
    expect(report).toEqual([expect.stringMatching(/^smoke-report-production-[0-9a-f]{8}$/)]);
    expect(readdirSync(path.join(first.ws.private, 'artifacts', report[0]!))).toEqual(['smoke-junit.xml', 'smoke-result.json']);
    // The approval job, before the protected deploy job: act has no reviewers to wait for, and no
    // GitHub token here to read them, so the message names the environment's reviewers.
    expect(slackPosts()).toHaveLength(2);
    expect(slackPosts()[0]!.body).toContain('"color":"#ECB22E"');
    expect(slackPosts()[0]!.body).toContain("Waiting for approval in *production* by the environment's reviewers");
    expect(slackPosts()[0]!.body).toContain('A webhook cannot update this message');
    expect(r.report('approval')).toEqual({ job: 'approval', result: ['success'], errors: [] });
    // notify downloaded it by the name the smoke job chose: the message carries the smoke counts.
    expect(slackPosts()[1]!.body).toContain('4 passed · 0 failed');
    expect(slackPosts()[1]!.body).toContain('"color":"#2EB67D"');
    // Webhook mode: nothing reached the Web API.
    expect(slackApi.requests).toEqual([]);
  });

  it('checked, before deploying, that the production environment exists with protection (GitHub API stand-in)', () => {
    expect(first.run.output).toContain("Approval: the environment 'production' is protected (required reviewers).");
    expect(github.requests.map((q) => `${q.method} ${q.url}`)).toContain('GET /repos/example/orders-service/environments/production');
    expect(first.run.output).toContain('This run deploys: workflow_dispatch on refs/heads/main.');
  });

  it('masks the secrets: no step printed them, and the actions that received them masked them', () => {
    const kubeconfig = readFileSync(cluster.kubeconfigPath);
    const token = /token: (\S+)/.exec(kubeconfig.toString('utf8'))![1]!;
    const secrets = [token, kubeconfig.toString('base64').slice(0, 60), 'actwebhooksecret'];
    // act's --json log repeats the argument of every ::add-mask:: command in clear (fields arg and
    // raw); GitHub does not log it. Everything else must be free of the secrets.
    const masks = first.run.entries.filter((e) => e['command'] === 'add-mask');
    const rest = JSON.stringify(first.run.entries.filter((e) => e['command'] !== 'add-mask'));
    for (const secret of secrets) {
      expect(rest).not.toContain(secret);
      expect(masks.some((e) => String(e['arg']).includes(secret))).toBe(true);
    }
  });
});

describe('pipeline.yml under act: a second deploy whose smoke job fails is rolled back', () => {
  let second: Observed;
  let r: ReturnType<typeof read>;
  beforeAll(async () => {
    // Production breaks while the smoke job runs (after the deploy's own gates passed) and heals
    // when it ends, so that the rollback's verification sees the restored service.
    second = await pipeline({
      onEntry: (entry) => {
        if (entry['jobID'] !== 'smoke') return;
        if (String(entry['msg']).includes('Run Set up job')) productionBroken = true;
        if (typeof entry['jobResult'] === 'string') productionBroken = false;
      },
    });
    r = read(second);
  }, 360_000);

  it('deploys green, fails the smoke job, runs the rollback job and notifies red naming the failed job', async () => {
    for (const job of ['lint', 'build', 'test', 'security-scan', 'deploy'])
      expect(r.report(job)).toEqual({ job, result: ['success'], errors: [] });
    expect(r.outputs('deploy')).toEqual(expect.arrayContaining(['result=deployed', 'live-color=green', 'previous-color=blue']));
    expect(r.result('smoke')).toEqual(['failure']);
    expect(r.outputs('smoke')).toEqual(expect.arrayContaining(['result=failed']));
    expect(r.report('rollback')).toEqual({ job: 'rollback', result: ['success'], errors: [] });
    expect(r.outputs('rollback')).toEqual(expect.arrayContaining(['result=rolled-back', 'live-color=blue']));
    expect(await routerColour()).toBe('orders-blue');
    expect(r.result('notify')).toEqual(['success']);
    // The first run's two posts, then this run's approval-pending message and its red end.
    expect(slackPosts()).toHaveLength(4);
    expect(slackPosts()[2]!.body).toContain('"color":"#ECB22E"');
    expect(slackPosts()[3]!.body).toContain('"color":"#E01E5A"');
    expect(r.outputs('notify').find((o) => o.startsWith('failed-jobs='))).toContain('smoke');
    expect(r.result('record')).toEqual([]);
    expect(second.run.exitCode).not.toBe(0);
  });
});

describe('pipeline.yml under act: approval before the switch (deploy-idle → promote), Slack in bot-token mode', () => {
  let third: Observed;
  let r: ReturnType<typeof read>;
  let webhookPosts: number;
  beforeAll(async () => {
    webhookPosts = slackPosts().length;
    third = await pipeline({ approveBeforeSwitch: true, slackToken: true });
    r = read(third);
  }, 360_000);

  it('deploys and gates the idle colour without touching traffic, then promotes it (act has no reviewers to wait for)', () => {
    expect(r.result('deploy')).toEqual([]);
    expect(r.report('deploy-idle')).toEqual({ job: 'deploy-idle', result: ['success'], errors: [] });
    // mode deploy: green is deployed and gated, traffic stays on blue until the promote job.
    expect(r.outputs('deploy-idle')).toEqual(expect.arrayContaining(['result=deployed', 'live-color=blue']));
    expect(r.summary('deploy-idle')).toMatch(/\| record pending \| ok \| \S+ \| green revision \d+ awaits promote \|/);
    expect(r.report('promote')).toEqual({ job: 'promote', result: ['success'], errors: [] });
    expect(r.outputs('promote')).toEqual(expect.arrayContaining(['result=deployed', 'live-color=green', 'previous-color=blue']));
    expect(r.summary('promote')).toMatch(/\| switch \| ok \| \S+ \| Service orders: blue → green [^|]*\|/);
    expect(r.summary('promote')).toMatch(/\| verify \| ok \| \S+ \| 4\/4 checks passed \|/);
    expect(r.result('discard-idle')).toEqual([]);
  });

  it('smoke-tests the promoted colour and notifies green', () => {
    // pipeline.yml reads the deploy job's url only when that job succeeded: act keeps a skipped
    // job's outputs as their raw template (nektos/act#2467), which `||` would otherwise pick.
    expect(r.report('smoke')).toEqual({ job: 'smoke', result: ['success'], errors: [] });
    expect(r.outputs('smoke')).toEqual(expect.arrayContaining(['result=passed', 'passed=4']));
    expect(r.result('rollback')).toEqual([]);
    expect(r.report('notify')).toEqual({ job: 'notify', result: ['success'], errors: [] });
    expect(third.run.exitCode).toBe(0);
  });

  it('approval thread: one Slack message, posted at the start, waiting for approval before promote, deploying, then live; the smoke report in its thread', () => {
    for (const job of ['notify-start', 'approval']) expect(r.report(job)).toEqual({ job, result: ['success'], errors: [] });
    // The token takes the webhook's place: no webhook post in this run.
    expect(slackPosts()).toHaveLength(webhookPosts);
    expect(slackApi.calls()).toEqual([
      'chat.postMessage deploys',
      'chat.update C0DEPLOYS',
      'chat.update C0DEPLOYS',
      'chat.update C0DEPLOYS',
      'chat.postMessage C0DEPLOYS',
    ]);
    const [message, ...others] = slackApi.messages('C0DEPLOYS');
    expect(others).toEqual([]);
    const ts = message!.ts;
    // The ts travelled notify-start → approval → promote → notify as job outputs.
    expect(r.outputs('notify-start')).toContain(`message-ts=${ts}`);
    expect(r.outputs('approval')).toEqual(expect.arrayContaining([`message-ts=${ts}`, 'channel-id=C0DEPLOYS']));
    const bodies = slackApi.requests.map((q) => JSON.parse(q.body) as { ts?: string; thread_ts?: string; text: string });
    // After deploy-idle, before promote: the approval line names the reviewer the environment lists
    // (test/fixtures/github-environments/protected-required-reviewers.json) and links the run.
    expect(bodies[1]).toEqual(expect.objectContaining({ ts }));
    expect(bodies[1]!.text).toMatch(
      /^Waiting for approval — example\/orders-service · main #\d+: Waiting for approval in \*production\* by @steven-cutting — Review the deployment$/,
    );
    expect(JSON.stringify(bodies[1])).toMatch(
      /<https:\/\/github\.com\/example\/orders-service\/actions\/runs\/\d+\|Review the deployment>/,
    );
    expect(bodies[2]!.text).toMatch(/^Deploying — .*: Deploy$/);
    const live = (message as StoredMessage).attachments as { color: string; blocks: { text?: { text: string } }[] }[];
    expect(live[0]!.color).toBe('#2EB67D');
    expect(live[0]!.blocks.map((b) => b.text?.text ?? '').find((t) => t.startsWith('✓ '))).toMatch(
      /^✓ {2}Lint, build, test, security scan\n✓ {2}Approved in \*production\*\n✓ {2}Deploy\n✓ {2}Smoke tests\n✓ {2}Live: <http:\/\/127\.0\.0\.1:\d+\|/,
    );
    expect(message!.edits).toBe(3);
    const replies = slackApi.replies('C0DEPLOYS', ts);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).toContain('4 passed · 0 failed');
    // the scan's counts go into the thread too: this run's service has no finding, and main no baseline
    expect(JSON.stringify(replies[0])).toContain('*Security scan*: 0 findings, no baseline to compare with');
    expect(JSON.stringify(third.run.entries.filter((e) => e['command'] !== 'add-mask'))).not.toContain(BOT_TOKEN);
  });

  it('left the router on green', async () => {
    expect(await routerColour()).toBe('orders-green');
  });
});

describe('pipeline.yml under act: a missing environment fails the approval preflight before any cluster write', () => {
  let run: Observed;
  let r: ReturnType<typeof read>;
  let before: string[];
  beforeAll(async () => {
    before = await clusterState();
    // `staging` does not exist (the API stand-in answers 404): on GitHub, the deploy job would
    // create it on the fly, unprotected, and deploy without approval.
    run = await pipeline({ vars: { ENVIRONMENT: 'staging' } });
    r = read(run);
  }, 360_000);

  it('deploy-config fails with the reason and the settings link; no deploy job starts', () => {
    expect(r.report('deploy-config')).toEqual({
      job: 'deploy-config',
      result: ['failure'],
      errors: [
        "The environment 'staging' does not exist. GitHub would create it when the deploy job starts, without protection, and the deploy would run unapproved. Create it with required reviewers at https://github.com/example/orders-service/settings/environments (or set require-approval: false).",
      ],
    });
    for (const job of ['deploy', 'deploy-idle', 'promote', 'discard-idle', 'smoke', 'rollback', 'record'])
      expect([job, r.result(job)]).toEqual([job, []]);
    expect(github.requests.map((q) => `${q.method} ${q.url}`)).toContain('GET /repos/example/orders-service/environments/staging');
    expect(run.run.exitCode).not.toBe(0);
  });

  it('wrote nothing to the cluster: every object of the namespace is as it was', async () => {
    expect(await clusterState()).toEqual(before);
  });

  it('the notification names the failed configuration check', () => {
    expect(r.result('notify')).toEqual(['success']);
    expect(r.outputs('notify').find((o) => o.startsWith('failed-jobs='))).toContain('deploy-config');
  });
});

describe('pipeline.yml under act: a pull request calling the pipeline twice in one run (a matrix of two services)', () => {
  let run: Observed;
  let r: ReturnType<typeof read>;
  let before: string[];
  let posts: number;
  beforeAll(async () => {
    before = await clusterState();
    posts = slackPosts().length;
    run = await pipeline({
      caller: 'two-calls.yml',
      event: { name: 'pull_request', payload: { number: 7, pull_request: { number: 7, head: { ref: 'feature' }, base: { ref: 'main' } } } },
      files: BELOW_GATE,
      githubToken: 'ghs_actPullRequestToken0123456789abcdef',
      // What GitHub sets in a called workflow's jobs (the caller's workflow file and ref); act sets
      // no GITHUB_WORKFLOW_REF, and the baseline lookup reads the workflow's runs by it.
      env: { GITHUB_WORKFLOW_REF: 'example/orders-service/.github/workflows/pipeline.yml@refs/pull/7/merge' },
    });
    r = read(run);
  }, 600_000);

  it('both calls run lint → build → test → security-scan and stop there, with a notice', () => {
    for (const job of ['plan', 'lint', 'build', 'test', 'security-scan', 'notify'])
      expect([job, r.result(job)]).toEqual([job, ['success', 'success']]);
    for (const job of ['deploy-config', 'deploy', 'deploy-idle', 'promote', 'discard-idle', 'smoke', 'rollback', 'record']) {
      expect([job, r.result(job)]).toEqual([job, []]);
    }
    const notices = run.run.entries.filter((e) => e['jobID'] === 'plan' && e['command'] === 'notice').map((e) => String(e['arg']));
    expect(notices).toEqual([
      'A pull request (pull_request on refs/pull/7/merge) runs lint, build, test and security-scan only. Deploys run on push workflow_dispatch of refs/heads/main (inputs deploy-events and deploy-refs).',
      'A pull request (pull_request on refs/pull/7/merge) runs lint, build, test and security-scan only. Deploys run on push workflow_dispatch of refs/heads/main (inputs deploy-events and deploy-refs).',
    ]);
    expect(run.run.exitCode).toBe(0);
  });

  it("the two calls' build artifacts have different names (a second upload of a name fails with 409)", () => {
    const build = artifacts(run).filter((name) => name.startsWith('build-'));
    expect(build).toEqual([
      expect.stringMatching(/^build-production-[0-9a-f]{8}$/),
      expect.stringMatching(/^build-production-[0-9a-f]{8}$/),
    ]);
    expect(new Set(build).size).toBe(2);
    for (const name of build) expect(readdirSync(path.join(run.ws.private, 'artifacts', name)).some((f) => f.endsWith('.whl'))).toBe(true);
  });

  it("found the base branch's findings in the first deploy's artifact: the finding is unchanged, none is new, and Slack says so", () => {
    expect(mainRunArtifacts).toBeDefined();
    const outputs = r.outputs('security-scan');
    for (const expected of [
      'new=0',
      'fixed=0',
      'unchanged=1',
      'gate-scope=new',
      `baseline=artifact security-findings of run ${MAIN_RUN_ID} on main`,
    ])
      expect([expected, outputs.filter((o) => o === expected).length]).toEqual([expected, 2]);
    // no upload from a pull request
    expect(artifacts(run)).not.toContain('security-findings');
    const bodies = slackPosts()
      .slice(posts)
      .map((p) => p.body);
    expect(bodies).toHaveLength(2);
    for (const body of bodies) expect(body).toContain('*Security scan*: 0 new · 0 fixed · 1 unchanged');
    expect(prComments).toHaveLength(2);
    for (const comment of prComments) expect(comment).toContain('New: **0**, fixed: 0, unchanged: 1');
    expect(JSON.stringify(run.run.entries.filter((e) => e['command'] !== 'add-mask'))).not.toContain('ghs_actPullRequestToken');
  });

  it('touched no cluster and notified each call green', async () => {
    expect(await clusterState()).toEqual(before);
    expect(
      slackPosts()
        .slice(posts)
        .map((p) => p.body.includes('"color":"#2EB67D"')),
    ).toEqual([true, true]);
  });
});

describe("README.md's caller, as written, on a push to main: every default of the reusable workflow", () => {
  let run: Observed;
  let r: ReturnType<typeof read>;
  let posts: number;
  let stopDefaultRouting: () => Promise<void>;
  const token = 'ghs_readmePushToken0123456789abcdefXYZ';
  beforeAll(async () => {
    const { text, pin } = await readmeCaller();
    // The caller's defaults: namespace `default`, release and chart named after the repository.
    stopDefaultRouting = routePods(servicePort, 'default');
    posts = slackPosts().length;
    const ws = await prepareWorkspace({ text }, pin);
    workspaces.push(ws);
    // The example chart refuses production without a Secret holding SECRET_KEY (its values name none):
    // the service's own set-up, done here as its operator would — the Secret in the cluster, its
    // name in the chart's values. The caller stays as the README writes it.
    await api(cluster, 'POST', '/api/v1/namespaces/default/secrets', {
      metadata: { name: 'orders-service-secret' },
      stringData: { SECRET_KEY: 'readme-caller-test' },
    });
    const values = path.join(ws.dir, 'charts', 'orders-service', 'values.yaml');
    writeFileSync(values, readFileSync(values, 'utf8').replace(/^existingSecret: ''$/m, 'existingSecret: orders-service-secret'));
    execFileSync('git', ['-c', 'user.name=ops', '-c', 'user.email=ops@example.invalid', 'commit', '-qam', 'production secret'], {
      cwd: ws.dir,
    });
    const actRun = await runAct(act, ws, {
      secrets: {
        KUBE_CONFIG: readFileSync(cluster.kubeconfigPath).toString('base64'),
        SLACK_WEBHOOK: `${slack.url}${slackPath}`,
        GITHUB_TOKEN: token,
      },
      vars: { PRODUCTION_URL: production.url },
      env: jobEnv,
      path: actPath,
      timeoutMs: 420_000,
      event: { name: 'push', payload: { ref: 'refs/heads/main', before: '0'.repeat(40) } },
    });
    run = { ws, run: actRun };
    r = read(run);
  }, 480_000);

  afterAll(async () => {
    await stopDefaultRouting?.();
  });

  it('runs every job to notify, green, and deploys orders-service blue-green into the default namespace', async () => {
    for (const job of [
      'plan',
      'deploy-config',
      'notify-start',
      'lint',
      'build',
      'test',
      'security-scan',
      'approval',
      'deploy',
      'smoke',
      'notify',
    ])
      expect(r.report(job)).toEqual({ job, result: ['success'], errors: [] });
    for (const job of ['deploy-idle', 'promote', 'discard-idle', 'rollback']) expect([job, r.result(job)]).toEqual([job, []]);
    expect(r.outputs('deploy')).toEqual(expect.arrayContaining(['result=deployed', 'live-color=blue']));
    const router = await api<{ spec?: { selector?: Record<string, string> } }>(
      cluster,
      'GET',
      '/api/v1/namespaces/default/services/orders-service',
    );
    expect(router.body.spec?.selector?.['app.kubernetes.io/instance']).toBe('orders-service-blue');
    expect(r.outputs('smoke')).toEqual(expect.arrayContaining(['result=passed', 'failed=0']));
    expect(run.run.exitCode).toBe(0);
  });

  it('scanned with the default scan setup (install-scanners) and uploaded the SARIF of the scan and of lint for main (upload-sarif and lint-upload-sarif default to true)', () => {
    expect(r.summary('security-scan')).toContain('| Gitleaks | 0 | 0 | 0 | 0 | 0 |');
    const uploads = github.requests.filter((q) => q.method === 'POST' && q.url === '/repos/example/orders-service/code-scanning/sarifs');
    // security-scan's and the lint job's (lint-upload-sarif defaults to true too), in either order.
    const sent = uploads.map((u) => JSON.parse(u.body) as { ref: string; tool_name: string });
    expect(sent.map((u) => `${u.tool_name} ${u.ref}`).sort()).toEqual([
      'pipeline-toolkit lint refs/heads/main',
      'pipeline-toolkit security-scan refs/heads/main',
    ]);
    for (const upload of uploads) expect(upload.headers['authorization']).toBe(`Bearer ${token}`);
  });

  it('ran the memory-bank record (on by default), whose failure is a warning only, and notified Slack green', () => {
    // The GitHub API stand-in has no git data routes: the record cannot land, and says so.
    expect(r.result('record')).toEqual(['success']);
    expect(run.run.entries.filter((e) => e['jobID'] === 'record' && e['command'] === 'warning').map((e) => String(e['arg']))).toContain(
      "The deploy's record did not land in the memory bank (the deploy itself is not affected). Likely fix: a protected branch rejects pushes of the GITHUB_TOKEN: set memory-bank-mode: pull-request, or let the workflow's token bypass the branch rules.",
    );
    // The approval-pending message (amber; the API stand-in's reviewer, read with the caller's
    // token), then the green end.
    const posted = slackPosts().slice(posts);
    expect(posted.map((p) => /"color":"(#\w+)"/.exec(p.body)?.[1])).toEqual(['#ECB22E', '#2EB67D']);
    expect(posted[0]!.body).toContain('Waiting for approval in *production* by @steven-cutting');
    expect(JSON.stringify(run.run.entries.filter((e) => e['command'] !== 'add-mask'))).not.toContain(token);
  });
});
