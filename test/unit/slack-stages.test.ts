import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@pipeline-toolkit/testing';
import { STAGES } from '@pipeline-toolkit/slack';

/**
 * The Slack inputs of pipeline.yml's jobs, evaluated as GitHub evaluates them, for the job results
 * a run can end with. The expressions use only `==`, `!=`, `&&`, `||`, parentheses, string literals
 * and context look-ups, whose GitHub semantics (`&&`/`||` return an operand, '' is falsy, a missing
 * output is '') are JavaScript's; the look-ups are replaced by reads of the scenario below.
 */
interface Step {
  uses?: string;
  with?: Record<string, string>;
}
interface Workflow {
  jobs: Record<string, { outputs?: Record<string, string>; steps?: Step[] }>;
}

let workflow: Workflow;
const load = async () => (workflow ??= parse(await readFile(path.join(repoRoot, '.github/workflows/pipeline.yml'), 'utf8')) as Workflow);

/** The `with:` of the slack-notify step of a job. */
async function slackStep(job: string): Promise<Record<string, string>> {
  const steps = (await load()).jobs[job]?.steps ?? [];
  const step = steps.find((s) => s.uses?.endsWith('/actions/slack-notify'));
  if (!step?.with) throw new Error(`no slack-notify step in ${job}`);
  return step.with;
}

type Scenario = Record<string, string>;

/** Evaluates one `${{ … }}` value against a scenario keyed by `needs.<job>.result`, `env.X`, `inputs.x` …; unknown keys are ''. */
function evaluate(value: string, scenario: Scenario): string {
  const match = /^\$\{\{([\s\S]*)\}\}$/.exec(value.trim());
  if (!match) return value;
  const source = match[1]!
    .replace(/\b(?:needs|env|inputs|secrets)\.[\w-]+(?:\.[\w-]+)*/g, (key) => `read(${JSON.stringify(key)})`)
    .replace(/==/g, '===')
    .replace(/!=/g, '!==')
    .replace(/!===/g, '!==');
  if (/[^\s\w'"().|&!=,:;{}[\]-]/.test(source.replace(/'[^']*'/g, '').replace(/"[^"]*"/g, '')))
    throw new Error(`unexpected syntax in ${source}`);
  const read = (key: string) => scenario[key] ?? '';
  // GitHub's contains(array, item) and fromJSON, the two functions these inputs use.
  const contains = (where: unknown, item: string) =>
    Array.isArray(where) ? where.includes(item) : String(where).toLowerCase().includes(item.toLowerCase());
  const fromJSON = (text: string) => JSON.parse(text) as unknown;
  // The workflow's own expression, its look-ups replaced by reads of the scenario.
  return String(new Function('read', 'contains', 'fromJSON', `return (${source});`)(read, contains, fromJSON) as unknown);
}

/** A deploying run in bot-token mode where every job before the deploy succeeded. */
const base: Scenario = {
  'env.HAS_SLACK_TOKEN': 'true',
  'needs.plan.outputs.deploy': 'true',
  'needs.plan.result': 'success',
  'needs.deploy-config.result': 'success',
  'needs.lint.result': 'success',
  'needs.build.result': 'success',
  'needs.test.result': 'success',
  'needs.security-scan.result': 'success',
  'needs.approval.result': 'success',
  'needs.deploy-idle.result': 'skipped',
  'needs.promote.result': 'skipped',
  'needs.discard-idle.result': 'skipped',
  'needs.rollback.result': 'skipped',
};

describe("pipeline.yml's final Slack stage, for each way a run can end", () => {
  it.each([
    [
      'deploy and smoke passed',
      'live',
      { 'needs.deploy.result': 'success', 'needs.deploy.outputs.approved': 'true', 'needs.smoke.result': 'success' },
    ],
    [
      'thread: smoke failed after the switch and the rollback job put the old colour back',
      'rolled-back',
      { 'needs.deploy.result': 'success', 'needs.smoke.result': 'failure', 'needs.rollback.result': 'success' },
    ],
    [
      'the rollback job failed too',
      'rollback-failed',
      { 'needs.deploy.result': 'success', 'needs.smoke.result': 'failure', 'needs.rollback.result': 'failure' },
    ],
    [
      'approval: the deploy job was rejected or timed out (it never ran: no approved output)',
      'rejected',
      { 'needs.deploy.result': 'failure' },
    ],
    [
      'approval: approve-before-switch, promote rejected, idle colour discarded',
      'rejected',
      {
        'needs.deploy.result': 'skipped',
        'needs.deploy-idle.result': 'success',
        'needs.promote.result': 'failure',
        'needs.discard-idle.result': 'success',
      },
    ],
    ['the deploy job ran and failed', 'deploy-failed', { 'needs.deploy.result': 'failure', 'needs.deploy.outputs.approved': 'true' }],
    [
      'deploy-idle failed before any approval',
      'deploy-failed',
      { 'needs.deploy.result': 'skipped', 'needs.deploy-idle.result': 'failure' },
    ],
    [
      'the security scan failed',
      'checks-failed',
      { 'needs.security-scan.result': 'failure', 'needs.approval.result': 'skipped', 'needs.deploy.result': 'skipped' },
    ],
    [
      'the configuration check failed',
      'checks-failed',
      { 'needs.deploy-config.result': 'failure', 'needs.approval.result': 'skipped', 'needs.deploy.result': 'skipped' },
    ],
    ['cancelled while deploying', 'cancelled', { 'needs.deploy.result': 'cancelled', 'needs.smoke.result': 'skipped' }],
    ['webhook mode: no stage, the final message', '', { 'env.HAS_SLACK_TOKEN': 'false', 'needs.smoke.result': 'success' }],
    ['a run that does not deploy: no stage', '', { 'needs.plan.outputs.deploy': 'false', 'needs.deploy.result': 'skipped' }],
  ] as const)('%s → %s', async (_label, stage, scenario) => {
    const value = evaluate((await slackStep('notify'))['stage']!, { ...base, ...scenario });
    expect(value).toBe(stage);
    if (value) expect(STAGES).toContain(value);
  });

  it('thread: the message ts and channel come from the approval job, else from notify-start, and only in bot-token mode', async () => {
    const notify = await slackStep('notify');
    const outputs = {
      'needs.notify-start.result': 'success',
      'needs.notify-start.outputs.message-ts': '1765000001.000100',
      'needs.notify-start.outputs.channel-id': 'C0START',
    };
    const fromApproval = { 'needs.approval.outputs.message-ts': '1765000002.000100', 'needs.approval.outputs.channel-id': 'C0APPROVAL' };
    expect(evaluate(notify['message-ts']!, { ...base, ...outputs, ...fromApproval })).toBe('1765000002.000100');
    expect(evaluate(notify['channel']!, { ...base, ...outputs, ...fromApproval })).toBe('C0APPROVAL');
    // The approval job was skipped (the scan failed): the start message is the one to end.
    expect(evaluate(notify['message-ts']!, { ...base, ...outputs, 'needs.approval.result': 'skipped' })).toBe('1765000001.000100');
    expect(evaluate(notify['channel']!, { ...base, ...outputs, 'needs.approval.result': 'skipped' })).toBe('C0START');
    // act keeps a skipped job's outputs as raw template text: the result guard keeps it out.
    expect(
      evaluate(notify['message-ts']!, {
        ...base,
        'needs.approval.result': 'skipped',
        'needs.approval.outputs.message-ts': '${{ steps.slack.outputs.message-ts }}',
        'needs.notify-start.result': 'skipped',
      }),
    ).toBe('');
    expect(evaluate(notify['channel']!, { ...base, 'env.HAS_SLACK_TOKEN': 'false', ...outputs })).toBe('');
  });

  it("the security scan's counts reach the message when the scan ran to its verdict, with whether there was a baseline", async () => {
    const notify = await slackStep('notify');
    const security = (scenario: Scenario) =>
      Object.fromEntries(
        ['security-new', 'security-fixed', 'security-unchanged', 'security-baseline'].map((name) => [
          name,
          evaluate(notify[name]!, scenario),
        ]),
      );
    const outputs = {
      'needs.security-scan.outputs.new': '2',
      'needs.security-scan.outputs.fixed': '1',
      'needs.security-scan.outputs.unchanged': '0',
      'needs.security-scan.outputs.baseline': 'artifact security-findings of run 40 on main',
    };
    expect(security({ ...base, ...outputs })).toEqual({
      'security-new': '2',
      'security-fixed': '1',
      'security-unchanged': '0',
      'security-baseline': 'true',
    });
    // the gate failed: the counts are what the message should show
    expect(security({ ...base, ...outputs, 'needs.security-scan.result': 'failure' })['security-new']).toBe('2');
    // no baseline: the action's baseline output is empty
    expect(security({ ...base, ...outputs, 'needs.security-scan.outputs.baseline': '' })['security-baseline']).toBe('false');
    // the scan never ran (an earlier job failed): nothing, even with act's raw template text as outputs
    const raw = { 'needs.security-scan.outputs.new': '${{ steps.scan.outputs.new }}' };
    expect(security({ ...base, ...raw, 'needs.security-scan.result': 'skipped' })['security-new']).toBe('');
    expect(security({ ...base, 'needs.security-scan.result': 'cancelled' })['security-new']).toBe('');
    // the scan stopped before its verdict (an install failed): its outputs are empty, so is the input
    expect(security({ ...base, 'needs.security-scan.result': 'failure' })['security-new']).toBe('');
  });

  it('approval: the approval job updates the start message, and posts through the webhook without a token', async () => {
    const approval = await slackStep('approval');
    expect(approval['stage']).toBe('awaiting-approval');
    expect(approval['environment']).toBe('${{ inputs.environment }}');
    const start = {
      'needs.notify-start.result': 'success',
      'needs.notify-start.outputs.message-ts': '1765000001.000100',
      'needs.notify-start.outputs.channel-id': 'C0START',
    };
    expect(evaluate(approval['message-ts']!, { ...base, ...start })).toBe('1765000001.000100');
    expect(evaluate(approval['channel']!, { ...base, ...start })).toBe('C0START');
    expect(evaluate(approval['channel']!, { ...base, 'needs.notify-start.result': 'failure', 'inputs.slack-channel': 'deploys' })).toBe(
      'deploys',
    );
    // Webhook mode: no channel and no ts (the action refuses them without a token).
    expect(evaluate(approval['channel']!, { ...base, ...start, 'env.HAS_SLACK_TOKEN': 'false' })).toBe('');
    expect(evaluate(approval['message-ts']!, { ...base, ...start, 'env.HAS_SLACK_TOKEN': 'false' })).toBe('');
    expect(evaluate(approval['dry-run']!, { 'secrets.SLACK_BOT_TOKEN': '', 'secrets.SLACK_WEBHOOK': 'https://hooks.slack.com/x' })).toBe(
      'false',
    );
  });

  it('the protected jobs mark that they ran, and update the message to deploying from the approval job', async () => {
    const { jobs } = await load();
    for (const job of ['deploy', 'promote']) {
      expect([job, jobs[job]?.outputs?.['approved']]).toEqual([job, 'true']);
      const step = await slackStep(job);
      expect([job, step['stage'], step['message-ts']]).toEqual([job, 'deploying', '${{ needs.approval.outputs.message-ts }}']);
    }
  });
});
