import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { FINDINGS_ARTIFACT } from '@pipeline-toolkit/sarif';

/**
 * The reusable workflow read against GitHub's rules, statically (what act cannot show): the
 * permissions a caller must grant, secrets and job outputs, artifact names, environments, the
 * event guard, and the scripts of the plan and approval-preflight steps run with bash as the
 * runner runs them (against a loopback server that answers like GitHub's REST API).
 */

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  'continue-on-error'?: boolean;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  uses?: string;
  'runs-on'?: string;
  environment?: string | { name: string; url?: string };
  concurrency?: unknown;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps?: Step[];
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown> & {
    workflow_call?: {
      inputs: Record<string, { default?: unknown }>;
      secrets: Record<string, unknown>;
      outputs: Record<string, { value: string }>;
    };
  };
  jobs: Record<string, Job>;
}

const read = (file: string) => readFile(path.join(repoRoot, file), 'utf8');
const pipelineText = await read('.github/workflows/pipeline.yml');
const pipeline = parse(pipelineText) as Workflow;
const jobs = pipeline.jobs;
const call = pipeline.on.workflow_call!;

/** Every workflow in the repository that calls the pipeline: the starter and the act test's callers. */
const CALLERS = ['workflows/python-service.yml', 'test/act/workflows/pipeline.yml', 'test/act/workflows/two-calls.yml'];

const needsOf = (job: string): string[] => {
  const needs = jobs[job]?.needs ?? [];
  return Array.isArray(needs) ? needs : [needs];
};
function ancestors(job: string, seen = new Set<string>()): Set<string> {
  for (const need of needsOf(job)) {
    if (!seen.has(need)) {
      seen.add(need);
      ancestors(need, seen);
    }
  }
  return seen;
}
const steps = (job: string): Step[] => jobs[job]?.steps ?? [];
const stepText = (step: Step) => JSON.stringify({ with: step.with ?? {}, env: step.env ?? {}, run: step.run ?? '' });

/** The union the jobs ask for: write wins over read. */
function permissionUnion(): Record<string, string> {
  const union: Record<string, string> = {};
  for (const job of Object.values(jobs)) {
    for (const [scope, level] of Object.entries(job.permissions ?? {})) if (union[scope] !== 'write') union[scope] = level;
  }
  return Object.fromEntries(Object.entries(union).sort(([a], [b]) => a.localeCompare(b)));
}

/** `key: value # comment` lines of a permissions block, trimmed, in order. */
const blockLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[a-z-]+: (read|write|none)\b/.test(l));

/** Runs a script with bash as the runner runs a `shell: bash` step, with exactly the given environment. */
function bash(script: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string[]; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, stdout: stdout.trim() === '' ? [] : stdout.trim().split('\n'), output: `${stdout}${stderr}` }),
    );
  });
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'ptk-semantics-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});
/** A fresh GITHUB_OUTPUT file, as the runner gives each step. */
async function outputFile(): Promise<string> {
  const file = path.join(scratch, `output-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, '');
  return file;
}

describe('permissions: the caller grants exactly the union the jobs ask for', () => {
  const union = permissionUnion();

  it('the union is what the deploy, scan, record and notify jobs need', () => {
    expect(union).toEqual({
      actions: 'read',
      contents: 'write',
      deployments: 'write',
      'id-token': 'write',
      'pull-requests': 'write',
      'security-events': 'write',
    });
  });

  it.each(CALLERS)('%s grants it (a caller that grants less gets a startup failure with no job run)', async (file) => {
    const caller = parse(await read(file)) as Workflow;
    const callingJobs = Object.values(caller.jobs).filter((j) => j.uses?.includes('/.github/workflows/pipeline.yml@'));
    expect(callingJobs.length).toBeGreaterThan(0);
    for (const job of callingJobs) expect(job.permissions).toEqual(union);
  });

  it("the README's block, the pipeline header's block and the starter's block are the same lines", async () => {
    const readme = await read('README.md');
    const section = /<!-- start caller-permissions -->\s*```yaml\n([\s\S]*?)```\s*<!-- end caller-permissions -->/.exec(readme);
    expect(section).not.toBeNull();
    const readmeBlock = section![1]!;
    expect((parse(readmeBlock) as { permissions: Record<string, string> }).permissions).toEqual(union);

    const header = pipelineText.split('\n').filter((l) => l.startsWith('#'));
    const start = header.findIndex((l) => l.trim() === '#   permissions:');
    expect(start).toBeGreaterThan(0);
    const headerBlock = header
      .slice(start + 1)
      .filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('#     ')))
      .map((l) => l.slice(1))
      .join('\n');

    const starter = await read('workflows/python-service.yml');
    const starterBlock = /\n {4}permissions:\n((?: {6}.*\n)+)/.exec(starter)![1]!;

    const expected = blockLines(readmeBlock);
    expect(expected).toHaveLength(Object.keys(union).length);
    expect(blockLines(headerBlock)).toEqual(expected);
    expect(blockLines(starterBlock)).toEqual(expected);
  });

  it('no caller or document tells users to drop a permission (that would fail every run at startup)', async () => {
    for (const file of ['workflows/python-service.yml', 'workflows/README.md', 'README.md']) {
      expect([file, /remove (it|this|id-token|when)/i.test(await read(file))]).toEqual([file, false]);
    }
  });
});

describe('secrets never reach a job output', () => {
  /** Credentials a step may receive in a job with outputs: actions mask them and never write them to an output. */
  const CREDENTIALS = [
    'KUBE_CONFIG',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_REGION',
    'SLACK_WEBHOOK',
    'SLACK_BOT_TOKEN',
    'TOOLKIT_TOKEN',
  ];

  it('PRODUCTION_URL is an input or a variable, never a secret (GitHub drops outputs that contain a secret)', () => {
    expect(Object.keys(call.secrets)).not.toContain('PRODUCTION_URL');
    expect(pipelineText).not.toMatch(/secrets\.PRODUCTION_URL/);
    expect(call.inputs['production-url']?.default).toBe('');
    const urlSources = [...pipelineText.matchAll(/^ +production-url: (.*)$/gm)].map((m) => m[1]);
    expect(urlSources.length).toBeGreaterThan(0);
    for (const source of urlSources) expect(source).toBe('${{ inputs.production-url || vars.PRODUCTION_URL }}');
  });

  it('no job output and no workflow output expression reads a secret', () => {
    for (const [job, j] of Object.entries(jobs)) {
      for (const [name, value] of Object.entries(j.outputs ?? {}))
        expect([job, name, value]).not.toEqual([job, name, expect.stringContaining('secrets.')]);
    }
    for (const [name, output] of Object.entries(call.outputs))
      expect([name, output.value]).toEqual([name, expect.stringMatching(/^\$\{\{ jobs\./)]);
  });

  it('the steps whose outputs become job outputs receive no secret but credentials', () => {
    const checked: string[] = [];
    for (const [job, j] of Object.entries(jobs)) {
      for (const value of Object.values(j.outputs ?? {})) {
        for (const [, id] of value.matchAll(/steps\.([\w-]+)\.outputs/g)) {
          const step = steps(job).find((s) => s.id === id);
          expect([job, id, step !== undefined]).toEqual([job, id, true]);
          const secrets = [...stepText(step!).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]!);
          expect([job, id, secrets.filter((s) => !CREDENTIALS.includes(s))]).toEqual([job, id, []]);
          checked.push(`${job}.${id}`);
        }
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['deploy.deploy', 'promote.promote', 'smoke.smoke', 'build.artifact']));
  });
});

describe('artifact names are unique per call', () => {
  const allUploads = Object.entries(jobs).flatMap(([job, j]) =>
    (j.steps ?? []).filter((s) => s.uses?.startsWith('actions/upload-artifact@')).map((step) => ({ job, step })),
  );
  // security-scan's findings keep one name (findings-artifact): pull requests look the baseline up by it
  const uploads = allUploads.filter(({ job }) => job !== 'security-scan');
  const naming = (job: string) => steps(job).find((s) => s.id === 'artifact');

  it('every upload takes its name from the artifact step of its job, which reads artifact-suffix', () => {
    expect(uploads.map((u) => u.job).sort()).toEqual(['build', 'smoke']);
    for (const { job, step } of uploads) {
      expect([job, step.with?.['name']]).toEqual([job, '${{ steps.artifact.outputs.name }}']);
      const index = steps(job).indexOf(step);
      expect(steps(job).findIndex((s) => s.id === 'artifact')).toBeLessThan(index);
      expect(naming(job)?.env?.['SUFFIX']).toBe('${{ inputs.artifact-suffix }}');
    }
    expect(new Set(uploads.map(({ job }) => naming(job)?.env?.['BASE'])).size).toBe(uploads.length);
    expect(call.inputs['artifact-suffix']?.default).toBe('');
  });

  it("the findings are published under the name the pull requests' baseline lookup reads, from the default branch only", () => {
    const publish = allUploads.filter(({ job }) => job === 'security-scan').map(({ step }) => step);
    expect(publish).toHaveLength(1);
    const step = publish[0]!;
    const scan = steps('security-scan').find((s) => s.id === 'scan')!;
    expect(step.with?.['name']).toBe('${{ inputs.findings-artifact }}');
    expect(scan.with?.['baseline-artifact']).toBe('${{ inputs.findings-artifact }}');
    expect(call.inputs['findings-artifact']?.default).toBe(FINDINGS_ARTIFACT);
    expect(step.with?.['path']).toBe('${{ steps.scan.outputs.findings-file }}');
    expect(steps('security-scan').indexOf(step)).toBeGreaterThan(steps('security-scan').indexOf(scan));
    const condition = String(step.if);
    // after a failed gate too, never after a cancel, never on a pull request (pull_request_target
    // runs on the default branch's ref), only on the default branch
    expect(condition).toContain('!cancelled()');
    expect(condition).not.toContain('success()');
    expect(condition).toContain("!startsWith(github.event_name, 'pull_request')");
    expect(condition).toContain("github.ref == format('refs/heads/{0}', github.event.repository.default_branch)");
    expect(step['continue-on-error']).toBe(true);
    expect(Number(step.with?.['retention-days'])).toBeGreaterThanOrEqual(30);
  });

  it('the download and the workflow outputs use the names the jobs chose', () => {
    const download = steps('notify').find((s) => s.uses?.startsWith('actions/download-artifact@'));
    expect(download?.with?.['name']).toBe('${{ needs.smoke.outputs.report-artifact }}');
    expect(jobs['smoke']?.outputs?.['report-artifact']).toBe('${{ steps.artifact.outputs.name }}');
    expect(jobs['build']?.outputs?.['artifact']).toBe('${{ steps.artifact.outputs.name }}');
    expect(call.outputs['build-artifact']?.value).toBe('${{ jobs.build.outputs.artifact }}');
    expect(call.outputs['smoke-report-artifact']?.value).toBe('${{ jobs.smoke.outputs.report-artifact }}');
  });

  const nameFor = async (job: string, env: Record<string, string>) => {
    const out = await outputFile();
    const run = await bash(naming(job)!.run!, { BASE: naming(job)!.env!['BASE']!, GITHUB_OUTPUT: out, ...env });
    expect(run.status).toBe(0);
    return (await readFile(out, 'utf8')).trim();
  };

  it('two calls in one run with the defaults get different names, both saying the environment', async () => {
    const env = { SUFFIX: '', ENVIRONMENT: 'production' };
    const names = [await nameFor('build', env), await nameFor('build', env), await nameFor('smoke', env), await nameFor('smoke', env)];
    expect(new Set(names).size).toBe(4);
    for (const name of names.slice(0, 2)) expect(name).toMatch(/^name=build-production-[0-9a-f]{8}$/);
    for (const name of names.slice(2)) expect(name).toMatch(/^name=smoke-report-production-[0-9a-f]{8}$/);
  });

  it('a given suffix is used as it is, with the characters artifact names refuse replaced', async () => {
    expect(await nameFor('build', { SUFFIX: 'orders-eu', ENVIRONMENT: 'production' })).toBe('name=build-orders-eu');
    expect(await nameFor('build', { SUFFIX: 'services/orders:eu "1"', ENVIRONMENT: 'x' })).toBe('name=build-services-orders-eu--1-');
    // An environment name with a newline cannot inject a second output line.
    expect(await nameFor('smoke', { SUFFIX: '', ENVIRONMENT: 'prod\nresult=passed' })).toMatch(
      /^name=smoke-report-prod-result-passed-[0-9a-f]{8}$/,
    );
  });
});

describe('environments: every job that can reach deploy or cloud credentials runs in one', () => {
  const DEPLOY_ENV = '${{ inputs.environment }}';
  const OPS_ENV = "${{ inputs.operations-environment || format('{0}-operations', inputs.environment) }}";
  const envName = (job: string) => {
    const e = jobs[job]?.environment;
    return typeof e === 'string' ? e : e?.name;
  };
  const credentialed = Object.entries(jobs)
    .filter(
      ([, j]) =>
        j.permissions?.['id-token'] === 'write' ||
        /secrets\.(KUBE_CONFIG|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_REGION)\b/.test(JSON.stringify(j)),
    )
    .map(([name]) => name)
    .sort();

  it('the jobs with cluster or cloud credentials are the deploy jobs and the checks and recoveries around them', () => {
    expect(credentialed).toEqual(['deploy', 'deploy-config', 'deploy-idle', 'discard-idle', 'promote', 'rollback']);
  });

  it('deploy and promote run in the deploy environment (approval), the others in the operations environment', () => {
    expect(Object.fromEntries(credentialed.map((job) => [job, envName(job)]))).toEqual({
      deploy: DEPLOY_ENV,
      promote: DEPLOY_ENV,
      'deploy-config': OPS_ENV,
      'deploy-idle': OPS_ENV,
      'discard-idle': OPS_ENV,
      rollback: OPS_ENV,
    });
    expect(call.inputs['operations-environment']?.default).toBe('');
  });

  it('no other job runs in an environment (each one would create a deployment and wait on its rules)', () => {
    const others = Object.keys(jobs).filter((job) => !credentialed.includes(job));
    for (const job of others) expect([job, jobs[job]?.environment]).toEqual([job, undefined]);
  });

  it('rollback and discard-idle can never be cancelled by a newer run: no concurrency group (the cluster Lease orders them)', () => {
    expect(jobs['rollback']?.concurrency).toBeUndefined();
    expect(jobs['discard-idle']?.concurrency).toBeUndefined();
    for (const job of ['deploy', 'deploy-idle', 'promote']) expect([job, jobs[job]?.concurrency]).toEqual([job, expect.anything()]);
  });
});

describe('guards', () => {
  it('every job but plan waits for plan, and every credentialed job for deploy-config, which runs only when plan says deploy', () => {
    for (const job of Object.keys(jobs).filter((j) => j !== 'plan')) expect([job, ancestors(job).has('plan')]).toEqual([job, true]);
    expect(jobs['deploy-config']?.if).toBe("${{ needs.plan.outputs.deploy == 'true' }}");
    for (const job of ['deploy', 'deploy-idle', 'promote']) expect([job, ancestors(job).has('deploy-config')]).toEqual([job, true]);
    // rollback and discard-idle follow a deploy that succeeded: they need a deploy path.
    expect(ancestors('rollback')).toEqual(expect.objectContaining({}));
    expect([...ancestors('rollback')]).toEqual(expect.arrayContaining(['deploy', 'smoke']));
    expect([...ancestors('discard-idle')]).toContain('deploy-idle');
  });

  it('smoke and record do not start after a cancel; rollback, discard-idle and notify still clean up and report', () => {
    expect(jobs['smoke']?.if).toMatch(/^\$\{\{ !cancelled\(\) && /);
    expect(jobs['record']?.if).toMatch(/^\$\{\{ !cancelled\(\) && /);
    for (const job of ['rollback', 'discard-idle', 'notify']) expect(jobs[job]?.if).toMatch(/^\$\{\{ always\(\)/);
  });

  it('the record job cannot turn a good deploy red: the record step continues on error and a warning names the fix', () => {
    const record = steps('record').find((s) => s.id === 'record');
    expect(record?.['continue-on-error']).toBe(true);
    const report = steps('record').find((s) => s.if === "${{ steps.record.outcome == 'failure' }}");
    expect(report?.run).toContain('::warning title=Memory-bank record::');
  });

  it('every job runs on the runs-on JSON when given, else on the runner label', () => {
    for (const [job, j] of Object.entries(jobs)) {
      expect([job, j['runs-on']]).toEqual([job, "${{ inputs.runs-on != '' && fromJSON(inputs.runs-on) || inputs.runner }}"]);
    }
  });

  it('the toolkit checkouts can use a token for a private toolkit repository', () => {
    const checkouts = Object.values(jobs).flatMap((j) => (j.steps ?? []).filter((s) => s.with?.['path'] === '.pipeline-toolkit'));
    expect(checkouts.length).toBeGreaterThan(5);
    for (const step of checkouts) expect(step.with?.['token']).toBe('${{ secrets.TOOLKIT_TOKEN || github.token }}');
  });
});

describe('the plan step decides, as bash runs it, whether a run deploys', () => {
  const step = steps('plan').find((s) => s.id === 'plan')!;
  const plan = async (env: Record<string, string>) => {
    const out = await outputFile();
    const run = await bash(step.run!, {
      TOOLKIT_REPOSITORY: 'org/pipeline-toolkit',
      TOOLKIT_REF: '0123456789abcdef0123456789abcdef01234567',
      EVENT: 'push',
      REF: 'refs/heads/main',
      DEFAULT_BRANCH: 'main',
      DEPLOY_EVENTS: 'push workflow_dispatch',
      DEPLOY_REFS: '',
      GITHUB_OUTPUT: out,
      ...env,
    });
    return { ...run, outputs: (await readFile(out, 'utf8')).trim() };
  };

  it('reads the plan inputs from the workflow', () => {
    expect(step.env).toMatchObject({
      DEPLOY_EVENTS: '${{ inputs.deploy-events }}',
      DEPLOY_REFS: '${{ inputs.deploy-refs }}',
      DEFAULT_BRANCH: '${{ github.event.repository.default_branch }}',
    });
    expect(call.inputs['deploy-events']?.default).toBe('push workflow_dispatch');
  });

  it('deploys a push or a manual run of the default branch', async () => {
    expect(await plan({})).toMatchObject({ status: 0, outputs: 'deploy=true' });
    expect(await plan({ EVENT: 'workflow_dispatch' })).toMatchObject({ status: 0, outputs: 'deploy=true' });
  });

  it('stops a pull request after the scan, with a notice', async () => {
    const run = await plan({ EVENT: 'pull_request', REF: 'refs/pull/7/merge' });
    expect(run).toMatchObject({ status: 0, outputs: 'deploy=false' });
    expect(run.stdout).toContain(
      '::notice title=No deploy::A pull request (pull_request on refs/pull/7/merge) runs lint, build, test and security-scan only. Deploys run on push workflow_dispatch of refs/heads/main (inputs deploy-events and deploy-refs).',
    );
  });

  it('does not deploy a dispatch from another branch, nor an event that is not listed', async () => {
    expect(await plan({ EVENT: 'workflow_dispatch', REF: 'refs/heads/feature/x' })).toMatchObject({ status: 0, outputs: 'deploy=false' });
    expect(await plan({ EVENT: 'schedule' })).toMatchObject({ status: 0, outputs: 'deploy=false' });
  });

  it('takes refs as shell patterns, one per line or space-separated, and events separated by commas', async () => {
    const refs = 'refs/heads/main\nrefs/tags/v*  refs/heads/release/*';
    expect(await plan({ EVENT: 'push', REF: 'refs/tags/v1.2.3', DEPLOY_REFS: refs })).toMatchObject({ outputs: 'deploy=true' });
    expect(
      await plan({ EVENT: 'release', REF: 'refs/heads/release/2026', DEPLOY_REFS: refs, DEPLOY_EVENTS: 'push,release' }),
    ).toMatchObject({
      outputs: 'deploy=true',
    });
    expect(await plan({ EVENT: 'push', REF: 'refs/heads/main-backup', DEPLOY_REFS: refs })).toMatchObject({ outputs: 'deploy=false' });
    // A pattern is matched against the ref, never expanded against files of the working directory.
    expect(await plan({ EVENT: 'push', REF: 'refs/heads/x', DEPLOY_REFS: '*' })).toMatchObject({ outputs: 'deploy=true' });
  });

  it('without a default branch in the event and without deploy-refs, nothing deploys', async () => {
    const run = await plan({ DEFAULT_BRANCH: '' });
    expect(run.outputs).toBe('deploy=false');
    expect(run.stdout.at(-1)).toContain('Deploys run on push workflow_dispatch of no ref');
  });

  it('escapes a hostile ref so that the runner cannot read a workflow command out of it', async () => {
    const run = await plan({ EVENT: 'pull_request', REF: 'refs/heads/x%0A::error::owned\n::error::owned' });
    expect(run.stdout.filter((l) => l.startsWith('::error'))).toEqual([]);
    expect(run.stdout.join('\n')).toContain('refs/heads/x%250A::error::owned%0A::error::owned');
  });

  it('fails at once, saying what to set, when the toolkit cannot be located', async () => {
    const run = await plan({ TOOLKIT_REPOSITORY: '', TOOLKIT_REF: '' });
    expect(run.status).toBe(1);
    expect(run.stdout).toEqual([
      "::error title=pipeline-toolkit not located::The job context has no workflow_repository / workflow_sha here (GitHub Enterprise Server or an older runner), so the toolkit's actions cannot be checked out. Set the toolkit-repository and toolkit-ref inputs to the repository and ref of your uses: line.",
    ]);
    expect(run.outputs).toBe('');
  });
});

describe('the approval preflight, as bash runs it against a server that answers like GitHub', () => {
  const step = steps('deploy-config').find((s) => s.name === 'Approval preflight')!;
  const fixture = (name: string) => readFile(path.join(repoRoot, 'test/fixtures/github-environments', name), 'utf8');
  /** path → [status, body] */
  let routes: Record<string, [number, string]> = {};
  let github: LoopbackServer;
  beforeAll(async () => {
    github = await startServer((req, res) => {
      const [status, body] = routes[req.url] ?? [
        404,
        '{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}',
      ];
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    });
  });
  afterAll(async () => {
    await github.close();
  });
  const preflight = (env: Record<string, string> = {}) =>
    bash(step.run!, {
      ENVIRONMENT: 'production',
      REQUIRE_APPROVAL: 'true',
      REPOSITORY: 'example/orders-service',
      API_URL: github.url,
      SERVER_URL: 'https://github.com',
      TOKEN: 'ghs_preflighttoken',
      ...env,
    });
  const ENV_PATH = '/repos/example/orders-service/environments/production';

  it('reads the environment, the deploy inputs and the token from the workflow', () => {
    expect(step.env).toEqual({
      ENVIRONMENT: '${{ inputs.environment }}',
      REQUIRE_APPROVAL: '${{ inputs.require-approval }}',
      REPOSITORY: '${{ github.repository }}',
      API_URL: '${{ github.api_url }}',
      SERVER_URL: '${{ github.server_url }}',
      TOKEN: '${{ github.token }}',
    });
    expect(jobs['deploy-config']?.permissions).toEqual({ actions: 'read' });
  });

  it('passes an environment with required reviewers, as GitHub sends it (compact JSON) and pretty-printed', async () => {
    const body = await fixture('protected-required-reviewers.json');
    for (const text of [JSON.stringify(JSON.parse(body)), body]) {
      routes = { [ENV_PATH]: [200, text] };
      github.requests.length = 0;
      expect(await preflight()).toMatchObject({
        status: 0,
        stdout: ["Approval: the environment 'production' is protected (required reviewers)."],
      });
    }
    const request = github.requests[0]!;
    expect(request.headers['authorization']).toBe('Bearer ghs_preflighttoken');
    expect(request.headers['accept']).toBe('application/vnd.github+json');
    expect(request.headers['x-github-api-version']).toBe('2022-11-28');
  });

  it("passes GitHub's documented example (a wait timer and required reviewers)", async () => {
    routes = { [ENV_PATH]: [200, await fixture('docs-example.json')] };
    expect(await preflight()).toMatchObject({
      status: 0,
      stdout: ["Approval: the environment 'production' is protected (required reviewers,wait timer)."],
    });
  });

  it('passes an environment protected by custom rules (GitHub Apps) only', async () => {
    const rules = await fixture('custom-rules.json');
    for (const text of [JSON.stringify(JSON.parse(rules)), rules]) {
      routes = {
        [ENV_PATH]: [200, await fixture('branch-policy-only.json')],
        [`${ENV_PATH}/deployment_protection_rules`]: [200, text],
      };
      expect(await preflight()).toMatchObject({
        status: 0,
        stdout: ["Approval: the environment 'production' is protected (custom protection rules: 2)."],
      });
    }
  });

  it('refuses an environment without protection (a branch policy is no approval), naming the settings page', async () => {
    for (const file of ['unprotected.json', 'branch-policy-only.json']) {
      routes = {
        [ENV_PATH]: [200, await fixture(file)],
        [`${ENV_PATH}/deployment_protection_rules`]: [200, await fixture('no-custom-rules.json')],
      };
      expect(await preflight()).toEqual({
        status: 1,
        stdout: [
          "::error title=Approval preflight::The environment 'production' has no required reviewers, wait timer or custom protection rule, so the deploy would run unapproved. Add required reviewers at https://github.com/example/orders-service/settings/environments (on private repositories they need GitHub Pro, Team or Enterprise), or set require-approval: false.",
        ],
        output: expect.any(String),
      });
    }
  });

  it('refuses a missing environment before anything deploys: GitHub would create it unprotected', async () => {
    routes = {};
    const run = await preflight({ ENVIRONMENT: 'prodution' });
    expect(run.status).toBe(1);
    expect(run.stdout).toEqual([
      "::error title=Approval preflight::The environment 'prodution' does not exist. GitHub would create it when the deploy job starts, without protection, and the deploy would run unapproved. Create it with required reviewers at https://github.com/example/orders-service/settings/environments (or set require-approval: false).",
    ]);
  });

  it('URL-encodes the environment name in the request path', async () => {
    routes = { '/repos/example/orders-service/environments/prod%20eu%2F1': [200, await fixture('protected-required-reviewers.json')] };
    expect(await preflight({ ENVIRONMENT: 'prod eu/1' })).toMatchObject({
      status: 0,
      stdout: ["Approval: the environment 'prod eu/1' is protected (required reviewers)."],
    });
  });

  it('says which permission is missing when GitHub refuses, and what it answered otherwise', async () => {
    routes = { [ENV_PATH]: [403, '{"message":"Resource not accessible by integration","status":"403"}'] };
    expect((await preflight()).stdout).toEqual([
      "::error title=Approval preflight::Reading the environment 'production' was refused (HTTP 403): the calling workflow must grant actions: read (see the required permissions block).",
    ]);
    routes = { [ENV_PATH]: [502, 'bad gateway'] };
    expect(await preflight()).toMatchObject({
      status: 1,
      stdout: [
        `::error title=Approval preflight::GitHub's API answered HTTP 502 for ${github.url}${ENV_PATH}; the environment 'production' could not be checked.`,
      ],
    });
  });

  it('fails with HTTP 000 when nothing answers, never hangs', async () => {
    const run = await preflight({ API_URL: 'http://127.0.0.1:9' });
    expect(run.status).toBe(1);
    expect(run.stdout.at(-1)).toContain(
      "GitHub's API answered HTTP 000 for http://127.0.0.1:9/repos/example/orders-service/environments/production",
    );
  });

  it('never puts the token on a command line and sends none when there is none', async () => {
    expect(step.run).toContain('{ [ -z "$TOKEN" ] || printf \'header = "Authorization: Bearer %s"\\n\' "$TOKEN"; } |');
    expect(step.run).toContain('curl --config -');
    routes = { [ENV_PATH]: [200, await fixture('protected-required-reviewers.json')] };
    github.requests.length = 0;
    expect(await preflight({ TOKEN: '' })).toMatchObject({ status: 0 });
    expect(github.requests[0]!.headers['authorization']).toBeUndefined();
  });

  it('with require-approval: false, only warns', async () => {
    github.requests.length = 0;
    expect(await preflight({ REQUIRE_APPROVAL: 'false' })).toMatchObject({
      status: 0,
      stdout: [
        "::warning title=Approval preflight::require-approval is false: nothing checks that the environment 'production' makes the deploy wait for approval.",
      ],
    });
    expect(github.requests).toEqual([]);
  });

  it('escapes a hostile environment name in its messages', async () => {
    routes = {};
    const run = await preflight({ ENVIRONMENT: 'x\n::error::owned' });
    expect(run.stdout).toHaveLength(1);
    expect(run.stdout[0]).toContain("The environment 'x%0A::error::owned' does not exist.");
  });
});

describe('starters', () => {
  it('pin the toolkit by a commit SHA, as their headers say, with the tag as a comment', async () => {
    for (const file of ['workflows/python-service.yml', 'workflows/security-scan.yml', 'workflows/notify.yml']) {
      const lines = (await read(file)).split('\n').filter((l) => /uses: org\/pipeline-toolkit\//.test(l));
      expect(lines.length).toBe(1);
      for (const line of lines) expect([file, line]).toEqual([file, expect.stringMatching(/@[0-9a-f]{40} # v\d+$/)]);
    }
  });

  it('the pipeline starter runs on pull requests too (the pipeline stops them after the scan) and passes PRODUCTION_URL as a variable', async () => {
    const starter = parse(await read('workflows/python-service.yml')) as Workflow;
    expect(Object.keys(starter.on)).toEqual(expect.arrayContaining(['push', 'pull_request', 'workflow_dispatch']));
    expect(starter.jobs['pipeline']?.with?.['production-url']).toBe('${{ vars.PRODUCTION_URL }}');
  });

  it("the notify starter gives a fork's pull request (no secrets) a notice and a dry run instead of a failure", async () => {
    const notify = (parse(await read('workflows/notify.yml')) as Workflow).jobs['notify']!;
    expect(notify.env).toEqual({ HAS_WEBHOOK: "${{ secrets.SLACK_WEBHOOK != '' }}" });
    const notice = notify.steps!.find((s) => s.if === "env.HAS_WEBHOOK != 'true'");
    expect(notice?.run).toMatch(/^echo "::notice title=Slack::No SLACK_WEBHOOK secret/);
    const send = notify.steps!.find((s) => s.uses?.includes('/actions/slack-notify@'));
    expect(send?.with?.['dry-run']).toBe("${{ env.HAS_WEBHOOK != 'true' }}");
  });
});
