import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@pipeline-toolkit/testing';

/**
 * Structure of the reusable workflow .github/workflows/pipeline.yml and of the starter workflows
 * that call it: the job graph, where approvals and rollbacks happen, permissions per job, pinning,
 * and that every input passed to a toolkit action exists in that action's action.yml.
 */

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  uses?: string;
  environment?: string | { name: string; url?: string };
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps?: Step[];
  with?: Record<string, unknown>;
  secrets?: Record<string, string> | 'inherit';
}
interface Workflow {
  on: Record<string, unknown> & {
    workflow_call?: {
      inputs: Record<string, { description: string; type: string; default?: unknown }>;
      secrets: Record<string, { description: string; required: boolean }>;
      outputs: Record<string, { value: string }>;
    };
  };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}
interface ActionYaml {
  inputs?: Record<string, { required?: boolean; default?: unknown }>;
}

const PIPELINE = '.github/workflows/pipeline.yml';
const STARTERS = ['workflows/python-service.yml', 'workflows/security-scan.yml', 'workflows/notify.yml'];
const TOOLKIT_DIR = '.pipeline-toolkit';
const OPS_ENV = "${{ inputs.operations-environment || format('{0}-operations', inputs.environment) }}";

const read = (file: string) => readFile(path.join(repoRoot, file), 'utf8');
const pipelineText = await read(PIPELINE);
const pipeline = parse(pipelineText) as Workflow;
const jobs = pipeline.jobs;
const call = pipeline.on.workflow_call!;

const needsOf = (job: string): string[] => {
  const needs = jobs[job]?.needs ?? [];
  return Array.isArray(needs) ? needs : [needs];
};

/** Every job that `job` waits for, directly or through others. */
function ancestors(job: string, seen = new Set<string>()): Set<string> {
  for (const need of needsOf(job)) {
    if (!seen.has(need)) {
      seen.add(need);
      ancestors(need, seen);
    }
  }
  return seen;
}

/** `./.pipeline-toolkit/actions/<name>` → `<name>`. */
function toolkitAction(uses: string | undefined): string | undefined {
  return uses?.match(/^\.\/\.pipeline-toolkit\/actions\/([a-z-]+)$/)?.[1];
}

const toolkitSteps = Object.entries(jobs).flatMap(([job, j]) =>
  (j.steps ?? []).flatMap((step, index) => {
    const action = toolkitAction(step.uses);
    return action ? [{ job, index, action, step }] : [];
  }),
);

describe('pipeline.yml job graph', () => {
  it('is a reusable workflow', () => {
    expect(Object.keys(pipeline.on)).toEqual(['workflow_call']);
  });

  it('has the jobs of the original design plus the deploy-configuration check and the approval-before-switch and rollback paths', () => {
    expect(Object.keys(jobs).sort()).toEqual(
      [
        'approval',
        'build',
        'deploy',
        'deploy-config',
        'deploy-idle',
        'discard-idle',
        'lint',
        'notify',
        'notify-start',
        'plan',
        'promote',
        'record',
        'rollback',
        'security-scan',
        'smoke',
        'test',
      ].sort(),
    );
  });

  it('waits exactly for the jobs before it', () => {
    expect(Object.fromEntries(Object.keys(jobs).map((job) => [job, needsOf(job).sort()]))).toEqual({
      plan: [],
      'deploy-config': ['plan'],
      lint: ['plan'],
      build: ['lint'],
      test: ['build'],
      'security-scan': ['test'],
      'notify-start': ['plan'],
      approval: ['deploy-config', 'deploy-idle', 'notify-start', 'plan', 'security-scan'],
      deploy: ['approval', 'deploy-config', 'security-scan'],
      'deploy-idle': ['deploy-config', 'security-scan'],
      promote: ['approval', 'deploy-idle'],
      'discard-idle': ['deploy-idle', 'promote'],
      smoke: ['deploy', 'promote'],
      rollback: ['deploy', 'promote', 'smoke'],
      record: ['deploy', 'promote', 'rollback', 'smoke'],
      notify: Object.keys(jobs)
        .filter((j) => j !== 'notify')
        .sort(),
    });
  });

  it('runs lint → build → test → security-scan → deploy → smoke → notify in that order', () => {
    const order = ['lint', 'build', 'test', 'security-scan', 'deploy', 'smoke', 'notify'];
    order.slice(1).forEach((job, i) => expect(ancestors(job)).toContain(order[i]));
    // the approval-before-switch path keeps the same order
    expect([...ancestors('promote')]).toEqual(expect.arrayContaining(['security-scan', 'deploy-idle']));
    expect(ancestors('smoke')).toContain('promote');
  });

  it('deploys in the protected environment (default production) with its URL from the deploy output', () => {
    expect(call.inputs['environment']?.default).toBe('production');
    expect(jobs['deploy']?.environment).toEqual({ name: '${{ inputs.environment }}', url: '${{ steps.deploy.outputs.url }}' });
    expect(jobs['deploy']?.steps?.find((s) => s.id === 'deploy')?.uses).toBe('./.pipeline-toolkit/actions/deploy');
  });

  it('with approve-before-switch, deploys the idle colour without approval and promotes in the protected environment', () => {
    // Explicit results: a skipped job upstream of a need (deploy-idle, through approval) would skip it otherwise.
    expect(jobs['deploy']?.if).toBe(
      "${{ !cancelled() && !inputs.approve-before-switch && needs.security-scan.result == 'success' && needs.deploy-config.result == 'success' && needs.approval.result == 'success' }}",
    );
    expect(jobs['promote']?.if).toBe("${{ !cancelled() && needs.deploy-idle.result == 'success' && needs.approval.result == 'success' }}");
    expect(jobs['deploy-idle']?.if).toBe('${{ inputs.approve-before-switch }}');
    // the operations environment: its secrets apply, it has no reviewers
    expect(jobs['deploy-idle']?.environment).toEqual({ name: OPS_ENV });
    expect(jobs['promote']?.environment).toEqual({ name: '${{ inputs.environment }}', url: '${{ steps.promote.outputs.url }}' });
    const mode = (job: string) => toolkitSteps.find((s) => s.job === job && s.action === 'deploy')?.step.with?.['mode'];
    expect({ deploy: mode('deploy'), idle: mode('deploy-idle'), promote: mode('promote') }).toEqual({
      deploy: 'full',
      idle: 'deploy',
      promote: 'promote',
    });
  });

  it('discards the idle colour when the promote is not approved or fails', () => {
    expect(jobs['discard-idle']?.if).toBe("${{ always() && needs.deploy-idle.result == 'success' && needs.promote.result != 'success' }}");
    expect(toolkitSteps.find((s) => s.job === 'discard-idle')?.step.with?.['mode']).toBe('rollback');
  });

  it('smoke-tests whichever deploy path ran', () => {
    expect(jobs['smoke']?.if).toBe("${{ !cancelled() && (needs.deploy.result == 'success' || needs.promote.result == 'success') }}");
    expect(toolkitSteps.find((s) => s.job === 'smoke')?.step.with?.['target']).toBe('production');
  });

  it('rolls back with the deploy action in rollback mode only when the smoke job failed', () => {
    expect(jobs['rollback']?.if).toBe("${{ always() && needs.smoke.result == 'failure' }}");
    const step = toolkitSteps.find((s) => s.job === 'rollback');
    expect(step?.action).toBe('deploy');
    expect(step?.step.with?.['mode']).toBe('rollback');
    expect(jobs['rollback']?.environment).toEqual({ name: OPS_ENV }); // a rollback never waits for approval
  });

  it('records every deploy that ran in the memory bank, as a success only when the smoke job passed', () => {
    expect(jobs['record']?.if).toBe(
      `\${{ !cancelled() && inputs.record-to-memory-bank && (contains(fromJSON('["success","failure"]'), needs.deploy.result) || contains(fromJSON('["success","failure"]'), needs.promote.result)) }}`,
    );
    const step = toolkitSteps.find((s) => s.job === 'record');
    expect(step?.step.with).toMatchObject({
      command: 'record-deploy',
      result: "${{ needs.smoke.result == 'success' && 'success' || 'failure' }}",
    });
  });

  it('always notifies, naming the failed job from toJSON(needs)', () => {
    expect(jobs['notify']?.if).toBe('${{ always() }}');
    const step = toolkitSteps.find((s) => s.job === 'notify');
    expect(step?.action).toBe('slack-notify');
    expect(step?.step.with).toMatchObject({ needs: '${{ toJSON(needs) }}', 'webhook-url': '${{ secrets.SLACK_WEBHOOK }}' });
  });

  it('runs one deploy per environment at a time and never cancels one in progress', () => {
    for (const job of ['deploy', 'deploy-idle', 'promote']) {
      expect(jobs[job]?.concurrency).toEqual({
        group: 'pipeline-toolkit-deploy-${{ github.repository }}-${{ inputs.environment }}',
        'cancel-in-progress': false,
      });
    }
  });
});

describe('pipeline.yml deploy-config check', () => {
  const script = jobs['deploy-config']?.steps?.[0]?.run ?? '';
  /** Runs the step's script as the runner does (`bash -eo pipefail`), with the env it would get. */
  const check = (env: Record<string, string>) => {
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HAS_KUBE_CONFIG: 'false',
        HAS_ACCESS_KEYS: 'false',
        ROLE: '',
        CLUSTER: '',
        REGION: '',
        ...env,
      },
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout.trim().split('\n') };
  };

  it('accepts KUBE_CONFIG alone', () => {
    expect(check({ HAS_KUBE_CONFIG: 'true' })).toEqual({ status: 0, stdout: ['Cluster access: the KUBE_CONFIG secret.'] });
  });

  it('accepts EKS with access keys or with an OIDC role', () => {
    expect(check({ HAS_ACCESS_KEYS: 'true', CLUSTER: 'prod', REGION: 'eu-west-1' })).toEqual({
      status: 0,
      stdout: ['Cluster access: EKS with access keys.'],
    });
    expect(check({ ROLE: 'arn:aws:iam::123456789012:role/deploy', CLUSTER: 'prod', REGION: 'eu-west-1' })).toEqual({
      status: 0,
      stdout: ['Cluster access: EKS through an OIDC role.'],
    });
  });

  it('names everything that is missing, as errors, and fails', () => {
    expect(check({})).toEqual({
      status: 1,
      stdout: [
        '::error title=Deploy configuration::Set the cluster-name input (or the KUBE_CONFIG secret instead of EKS).',
        '::error title=Deploy configuration::Set the aws-region input or the AWS_REGION secret.',
        '::error title=Deploy configuration::Set the aws-role-to-assume input (OIDC) or the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY secrets.',
      ],
    });
    expect(check({ ROLE: 'arn:aws:iam::123456789012:role/deploy', CLUSTER: 'prod' })).toEqual({
      status: 1,
      stdout: ['::error title=Deploy configuration::Set the aws-region input or the AWS_REGION secret.'],
    });
  });

  it('gets the flags from the secrets without exposing them', () => {
    expect(jobs['deploy-config']?.steps?.[0]?.env).toEqual({
      HAS_KUBE_CONFIG: "${{ secrets.KUBE_CONFIG != '' }}",
      HAS_ACCESS_KEYS: "${{ secrets.AWS_ACCESS_KEY_ID != '' && secrets.AWS_SECRET_ACCESS_KEY != '' }}",
      ROLE: '${{ inputs.aws-role-to-assume }}',
      CLUSTER: '${{ inputs.cluster-name }}',
      REGION: '${{ inputs.aws-region || secrets.AWS_REGION }}',
    });
  });
});

describe('pipeline.yml permissions', () => {
  const DEPLOYING = { contents: 'read', deployments: 'write', 'id-token': 'write' };
  const expected: Record<string, Record<string, string>> = {
    plan: {},
    'deploy-config': { actions: 'read' },
    lint: { contents: 'read', 'security-events': 'write' },
    build: { contents: 'read' },
    test: { contents: 'read' },
    // actions: the baseline artifact of the base branch's last run; pull-requests: the new-findings comment
    'security-scan': { actions: 'read', contents: 'read', 'pull-requests': 'write', 'security-events': 'write' },
    deploy: DEPLOYING,
    'deploy-idle': DEPLOYING,
    promote: DEPLOYING,
    'discard-idle': DEPLOYING,
    rollback: DEPLOYING,
    smoke: { contents: 'read' },
    record: { contents: 'write', 'pull-requests': 'write' },
    notify: { actions: 'read', contents: 'read' },
  };

  it('grants nothing at the workflow level', () => {
    expect(pipeline.permissions).toEqual({});
  });

  it.each(Object.keys(expected))('%s asks for exactly what it uses', (job) => {
    expect(jobs[job]?.permissions).toEqual(expected[job]);
  });

  it('gives security-events only where SARIF is uploaded and id-token only where AWS credentials are configured', () => {
    const withPermission = (p: string) =>
      Object.entries(jobs)
        .filter(([, j]) => j.permissions?.[p])
        .map(([name]) => name)
        .sort();
    expect(withPermission('security-events')).toEqual(['lint', 'security-scan']);
    const awsJobs = Object.entries(jobs)
      .filter(([, j]) => (j.steps ?? []).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@')))
      .map(([name]) => name)
      .sort();
    expect(withPermission('id-token')).toEqual(awsJobs);
  });
});

describe('pipeline.yml steps', () => {
  const allSteps = Object.entries(jobs).flatMap(([job, j]) => (j.steps ?? []).map((step) => ({ job, step })));

  it('pins every third-party action by a 40-hex commit SHA with the version as a comment', () => {
    const remote = pipelineText.split('\n').filter((line) => /^\s*(- )?uses: (?!\.\/)/.test(line));
    expect(remote.length).toBeGreaterThan(10);
    for (const line of remote) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('expands no expression inside a run: script (values reach the shell through env)', () => {
    const scripts = allSteps.filter(({ step }) => step.run !== undefined);
    expect(scripts.length).toBeGreaterThan(0);
    for (const { job, step } of scripts) expect(`${job}: ${step.run}`).not.toContain('${{');
  });

  it('never persists checkout credentials', () => {
    const checkouts = allSteps.filter(({ step }) => step.uses?.startsWith('actions/checkout@'));
    for (const { job, step } of checkouts) expect([job, step.with?.['persist-credentials']]).toEqual([job, false]);
  });

  it("checks out the toolkit at this workflow own commit before each toolkit action, with only the job's actions", () => {
    expect(toolkitSteps.length).toBeGreaterThan(0);
    for (const { job, index } of toolkitSteps) {
      const actions = [...new Set(toolkitSteps.filter((s) => s.job === job).map((s) => s.action))].sort();
      const checkout = jobs[job]!.steps!.slice(0, index).find((s) => s.with?.['path'] === TOOLKIT_DIR);
      expect({ job, with: checkout?.with }).toEqual({
        job,
        with: {
          repository: '${{ inputs.toolkit-repository || fromJSON(toJSON(job)).workflow_repository }}',
          ref: '${{ inputs.toolkit-ref || fromJSON(toJSON(job)).workflow_sha }}',
          token: '${{ secrets.TOOLKIT_TOKEN || github.token }}',
          path: TOOLKIT_DIR,
          // security-scan also reads the files beside it: the stored checksums, Semgrep's lock and default rules
          'sparse-checkout': `${actions.map((a) => `/actions/${a}/action.yml\n${a === 'security-scan' ? '/actions/security-scan/scanners/\n' : ''}`).join('')}/dist/package.json\n/dist/chunks/\n${actions.map((a) => `/dist/${a}/\n`).join('')}`,
          'sparse-checkout-cone-mode': false,
          'persist-credentials': false,
        },
      });
    }
  });

  it.each(toolkitSteps.map((s) => [`${s.job} → ${s.action}`, s] as const))(
    '%s passes only inputs its action.yml declares, and every required one',
    async (_label, { action, step }) => {
      const file = path.join('actions', action, 'action.yml');
      expect(existsSync(path.join(repoRoot, file))).toBe(true);
      const declared = (parse(await read(file)) as ActionYaml).inputs ?? {};
      const given = Object.keys(step.with ?? {});
      expect(given.filter((input) => !(input in declared))).toEqual([]);
      const required = Object.entries(declared)
        .filter(([, spec]) => spec.required && spec.default === undefined)
        .map(([name]) => name);
      expect(required.filter((input) => !given.includes(input))).toEqual([]);
    },
  );

  it('reads only inputs the workflow declares', () => {
    const used = new Set([...pipelineText.matchAll(/inputs\.([a-z0-9-]+)/g)].map((m) => m[1]));
    expect([...used].filter((name) => name && !(name in call.inputs))).toEqual([]);
  });

  it('reads only secrets the workflow declares', () => {
    const used = new Set([...pipelineText.matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]));
    expect([...used].filter((name) => name && !(name in call.secrets))).toEqual([]);
  });
});

describe('pipeline.yml interface', () => {
  it("takes the original design's secrets but PRODUCTION_URL (an input or variable: outputs carry it), all optional", () => {
    expect(Object.keys(call.secrets).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
      'KUBE_CONFIG',
      'SLACK_BOT_TOKEN',
      'SLACK_WEBHOOK',
      'TOOLKIT_TOKEN',
    ]);
    for (const secret of Object.values(call.secrets)) expect(secret.required).toBe(false);
    expect(call.inputs['aws-role-to-assume']?.default).toBe('');
  });

  it('gives every input a description and a default that works for a Python 3.11 service', () => {
    for (const [name, input] of Object.entries(call.inputs)) {
      expect([name, input.description.length > 10, input.default !== undefined]).toEqual([name, true, true]);
    }
    expect(call.inputs['python-version']?.default).toBe('3.11');
    expect(call.inputs['build-command']?.default).toContain('python -m build');
    expect(call.inputs['test-command']?.default).toContain('pytest');
    expect(call.inputs['install-command']?.default).toContain('requirements.txt');
    expect(call.inputs['lint-tools-command']?.default).toContain('ruff');
  });

  it('lets the caller override each stage', () => {
    for (const name of [
      'working-directory',
      'install-command',
      'build-command',
      'test-command',
      'python-version',
      'chart',
      'release',
      'namespace',
      'cluster-name',
      'aws-region',
      'environment',
      'smoke-config',
      'fail-on',
      'record-to-memory-bank',
    ]) {
      expect(call.inputs).toHaveProperty([name]);
    }
  });

  it('exposes the deploy URL, live colour, smoke result, scan gate and the artifact names', () => {
    expect(Object.keys(call.outputs).sort()).toEqual([
      'build-artifact',
      'deploy-url',
      'live-color',
      'scan-gate',
      'smoke-report-artifact',
      'smoke-result',
    ]);
  });
});

const starters = await Promise.all(
  STARTERS.map(async (file) => ({ file, text: await read(file), workflow: parse(await read(file)) as Workflow })),
);

describe('starter workflows', () => {
  it.each(starters.map((s) => [s.file, s] as const))(
    '%s grants nothing at the workflow level and pins third-party actions by SHA',
    (_file, { text, workflow }) => {
      expect(workflow.permissions).toEqual({});
      const remote = text.split('\n').filter((line) => /^\s*(- )?uses: /.test(line) && !line.includes('org/pipeline-toolkit/'));
      for (const line of remote) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    },
  );

  it('the Python service starter calls the pipeline with declared inputs and secrets, and grants what its jobs need', () => {
    const { workflow } = starters.find((s) => s.file === 'workflows/python-service.yml')!;
    const job = workflow.jobs['pipeline']!;
    expect(job.uses).toMatch(/^org\/pipeline-toolkit\/\.github\/workflows\/pipeline\.yml@/);
    expect(Object.keys(job.with ?? {}).filter((name) => !(name in call.inputs))).toEqual([]);
    expect(job.secrets).not.toBe('inherit');
    expect(Object.keys(job.secrets as Record<string, string>).filter((name) => !(name in call.secrets))).toEqual([]);
    const union: Record<string, string> = {};
    for (const j of Object.values(jobs)) {
      for (const [scope, level] of Object.entries(j.permissions ?? {})) if (union[scope] !== 'write') union[scope] = level;
    }
    expect(job.permissions).toEqual(union);
  });

  it.each([
    ['workflows/security-scan.yml', 'security-scan'],
    ['workflows/notify.yml', 'slack-notify'],
  ])('%s passes only inputs that %s declares', async (file, action) => {
    const { workflow } = starters.find((s) => s.file === file)!;
    const declared = (parse(await read(path.join('actions', action, 'action.yml'))) as ActionYaml).inputs ?? {};
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps ?? []);
    const step = steps.find((s) => s.uses?.startsWith(`org/pipeline-toolkit/actions/${action}@`));
    expect(Object.keys(step?.with ?? {}).filter((input) => !(input in declared))).toEqual([]);
  });
});
