import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { repoRoot, type LoopbackServer } from '@pipeline-toolkit/testing';
import { requireAct } from '../act/install.ts';
import {
  prepareWorkspace,
  pullRequestStandIns,
  readmeCaller,
  runPullRequest,
  withJobContextDefaults,
  type ActRun,
  type ActWorkspace,
} from '../act/pipeline.ts';
import { requirePythonVenv } from './python-venv.ts';

/**
 * The caller workflow of README.md ("Use the reusable workflow"), extracted from the README and
 * run under act as written — its `uses:` line, permissions, inputs and secrets — on a copy of the
 * example service, for a pull request: plan → lint → build → test → security-scan (with the SARIF
 * upload to a loopback stand-in of GitHub's code-scanning route) → notify (to a loopback Slack
 * stand-in). A pull request stops after the scan, so no cluster is needed; the deploy path is run
 * by test/real/act-pipeline.test.ts.
 *
 * Only what act cannot give is supplied from outside the caller: its `uses:` pin
 * `org/pipeline-toolkit@<sha>` is served from a snapshot of this checkout (act's
 * --local-repository), and that snapshot's workflow receives, as the defaults of toolkit-repository
 * and toolkit-ref, the values GitHub's `job.workflow_repository` / `job.workflow_sha` would carry
 * (act has no such context; see withJobContextDefaults). The scan's default set-up really installs
 * Gitleaks, Semgrep and Trivy (install-scanners), from a mirror on disk checked against its checksum
 * file. Trivy's vulnerability database comes from the actions/cache stand-in, seeded with the
 * offline database built from real advisories (runPullRequest, ADR-033).
 */
const slackPath = '/services/T0README/B0README/readmewebhooksecret';
const token = 'ghs_readmeCallerToken0123456789abcdefXYZ';

let caller: string;
let slack: LoopbackServer;
let github: LoopbackServer;
let ws: ActWorkspace;
let run: ActRun;
let cacheStore: string;

const ofJob = (job: string, command: string) => run.entries.filter((e) => e['jobID'] === job && e['command'] === command);
const result = (job: string) => run.jobs.filter((j) => j.job === job).map((j) => j.result);
const report = (job: string) => ({ job, result: result(job), errors: ofJob(job, 'error').map((e) => String(e['arg'])) });
const outputs = (job: string) => ofJob(job, 'set-output').map((e) => `${String(e['name'])}=${String(e['arg'])}`);
const summary = (job: string) =>
  ofJob(job, 'summary')
    .map((e) => String(e['content']))
    .join('\n');
/** The code-scanning uploads of one action (`tool_name` says which: security-scan or lint). */
const sarifUploads = (uploader = 'security-scan') =>
  github.requests.filter(
    (r) =>
      r.method === 'POST' &&
      r.url === '/repos/example/orders-service/code-scanning/sarifs' &&
      (JSON.parse(r.body) as { tool_name?: string }).tool_name === `pipeline-toolkit ${uploader}`,
  );

beforeAll(async () => {
  const act = requireAct();
  const venv = requirePythonVenv();
  const readme = await readmeCaller();
  caller = readme.text;
  const { repository, ref } = readme.pin;

  ({ slack, github } = await pullRequestStandIns());
  ws = await prepareWorkspace({ text: caller }, { repository, ref });
  // the default scan set-up, Trivy's database built offline from real advisories (ADR-033)
  ({ run, cacheStore } = await runPullRequest(act, ws, {
    number: 12,
    slackWebhook: `${slack.url}${slackPath}`,
    github,
    token,
    python: path.dirname(venv.bin('python')),
  }));
}, 480_000);

afterAll(async () => {
  await slack?.close();
  await github?.close();
  if (!process.env['PTK_ACT_KEEP']) {
    if (ws) await rm(path.dirname(ws.dir), { recursive: true, force: true });
  }
});

describe("README.md's caller workflow under act, on a pull request", () => {
  it('is the workflow the service runs, byte for byte, and names the toolkit by a pinned commit', async () => {
    expect(await readFile(path.join(ws.dir, '.github/workflows/pipeline.yml'), 'utf8')).toBe(caller);
    expect(ws.toolkitNames).toContain(`org/pipeline-toolkit@${/@([0-9a-f]{40})/.exec(caller)![1]}`);
    const messages = run.entries.map((e) => String(e['msg'] ?? ''));
    expect(messages.some((m) => m.startsWith(`LocalRepositoryCache matched https://github.com/org/pipeline-toolkit with ref `))).toBe(true);
  });

  it('runs plan → lint → build → test → security-scan → notify, each green, and stops before any deploy job', () => {
    for (const job of ['plan', 'lint', 'build', 'test', 'security-scan', 'notify'])
      expect(report(job)).toEqual({ job, result: ['success'], errors: [] });
    for (const job of ['deploy-config', 'deploy', 'deploy-idle', 'promote', 'discard-idle', 'smoke', 'rollback', 'record'])
      expect([job, result(job)]).toEqual([job, []]);
    expect(ofJob('plan', 'notice').map((e) => String(e['arg']))).toEqual([
      'A pull request (pull_request on refs/pull/12/merge) runs lint, build, test and security-scan only. Deploys run on push workflow_dispatch of refs/heads/main (inputs deploy-events and deploy-refs).',
    ]);
    expect(run.output).toContain('pipeline-toolkit: org/pipeline-toolkit@' + /@([0-9a-f]{40})/.exec(caller)![1]);
    expect(run.exitCode).toBe(0);
  });

  it('installed the three scanners, verified, with the default scan set-up, ran them side by side and cached them', () => {
    expect(outputs('security-scan')).toContain('gate=passed');
    const text = run.output.join('\n');
    for (const tool of ['gitleaks', 'trivy'])
      expect(text).toMatch(new RegExp(`${tool} [\\d.]+: installed from ${tool}_[\\w.-]+\\.tar\\.gz \\(SHA-256 [0-9a-f]{64} verified\\)`));
    expect(text).toMatch(/Scanners: gitleaks 8\.30\.1 \(installed\), semgrep 1\.185\.0 \(installed\), trivy 0\.74\.0 \(installed\)\./);
    expect(text).toMatch(/run-scanners: gitleaks, semgrep, trivy ran side by side in/);
    // Trivy's vulnerability scanner ran, with the database restored by the cache step: nothing in the service is vulnerable
    expect(text).toMatch(/Trivy database: the cached one, downloaded .* ago/);
    for (const row of ['| Gitleaks |', '| Semgrep |', '| Trivy |']) expect(summary('security-scan')).toContain(row);
    expect(readdirSync(cacheStore).filter((e) => e.startsWith('pipeline-toolkit-scanners-'))).toHaveLength(1);
    expect(summary('lint')).toMatch(/\| ruff \| ✅ clean \|/);
    expect(run.output.join('\n')).toMatch(/= \d+ passed/);
  });

  it('uploaded the merged SARIF to code scanning for the pull request (upload-sarif defaults to true)', () => {
    expect(sarifUploads()).toHaveLength(1);
    const upload = sarifUploads()[0]!;
    expect(upload.headers['authorization']).toBe(`Bearer ${token}`);
    const body = JSON.parse(upload.body) as { commit_sha: string; ref: string; sarif: string };
    expect(body.ref).toBe('refs/pull/12/merge');
    expect(body.commit_sha).toMatch(/^[0-9a-f]{40}$/);
    const sarif = JSON.parse(gunzipSync(Buffer.from(body.sarif, 'base64')).toString('utf8')) as { version: string; runs: unknown[] };
    expect(sarif.version).toBe('2.1.0');
  });

  it("uploaded the lint job's SARIF too (lint-upload-sarif defaults to true)", () => {
    expect(sarifUploads('lint').map((u) => (JSON.parse(u.body) as { ref: string }).ref)).toEqual(['refs/pull/12/merge']);
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('notified the Slack stand-in once, green, naming the repository', () => {
    const posts = slack.requests.filter((r) => r.method === 'POST' && r.url === slackPath);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toContain('"color":"#2EB67D"');
    expect(posts[0]!.body).toContain('example/orders-service');
  });

  it('never printed the token or the webhook (act repeats ::add-mask:: arguments, nothing else may)', () => {
    const rest = JSON.stringify(run.entries.filter((e) => e['command'] !== 'add-mask'));
    expect(rest).not.toContain(token);
    expect(rest).not.toContain('readmewebhooksecret');
  });
});

describe('withJobContextDefaults', () => {
  it("sets only the defaults of toolkit-repository and toolkit-ref, and fails loudly when they are not ''", async () => {
    const workflow = await readFile(path.join(repoRoot, '.github/workflows/pipeline.yml'), 'utf8');
    const changed = withJobContextDefaults(workflow, { repository: 'org/pipeline-toolkit', ref: 'a'.repeat(40) });
    const inputs = (parse(changed) as { on: { workflow_call: { inputs: Record<string, { default?: unknown }> } } }).on.workflow_call.inputs;
    const before = (parse(workflow) as { on: { workflow_call: { inputs: Record<string, { default?: unknown }> } } }).on.workflow_call
      .inputs;
    expect(inputs['toolkit-repository']!.default).toBe('org/pipeline-toolkit');
    expect(inputs['toolkit-ref']!.default).toBe('a'.repeat(40));
    expect({ ...inputs, 'toolkit-repository': 0, 'toolkit-ref': 0 }).toEqual({ ...before, 'toolkit-repository': 0, 'toolkit-ref': 0 });
    expect(changed.split('\n').length).toBe(workflow.split('\n').length);
    expect(() => withJobContextDefaults(changed, { repository: 'x/y', ref: 'z' })).toThrow(/toolkit-repository with default ''/);
  });
});
