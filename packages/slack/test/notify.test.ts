import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InputError, Inputs, MemoryLogger, mapInputs } from '@pipeline-toolkit/core';
import {
  deliver,
  githubRunsApi,
  notificationSummary,
  prepareNotification,
  readNotifyInputs,
  runContext,
  type NotifyRequest,
  type RunsApi,
} from '@pipeline-toolkit/slack';
import { runHistory, startGitHub, startSlack, type GitHubStandIn, type SlackStandIn } from './fakes.ts';

const WEBHOOK = 'https://hooks.slack.com/services/T0AAA1111/B0BBB2222/abcdefABCDEF123456';
const run = runContext({
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_REF_NAME: 'main',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
});

const read = (values: Record<string, string>, log = new MemoryLogger()) => readNotifyInputs(new Inputs(mapInputs(values)), log);
const request = (values: Record<string, string>) => read({ 'dry-run': 'true', ...values });

let slack: SlackStandIn;
let github: GitHubStandIn;
beforeAll(async () => {
  slack = await startSlack();
  github = await startGitHub({ runs: runHistory('failure') });
});
afterAll(async () => {
  await slack.close();
  await github.close();
});

describe('readNotifyInputs', () => {
  it('masks the webhook and token before validating anything else', () => {
    const log = new MemoryLogger();
    expect(() => read({ 'webhook-url': WEBHOOK, 'github-token': 'ghs_someTokenValue', status: 'bogus' }, log)).toThrow(
      "Input 'status' must be one of success, failure, cancelled, got 'bogus'.",
    );
    expect(log.redactor.secrets).toEqual(expect.arrayContaining([WEBHOOK, 'ghs_someTokenValue']));
  });

  it('reads every input with its default', () => {
    const r = read({ 'webhook-url': WEBHOOK, status: 'failure', 'mention-on-failure': 'here, U0123ABCD\n<!subteam^S0123ABCD>' });
    expect({ ...r, webhook: `${r.webhook}` }).toEqual({
      webhook: '[Slack webhook URL]',
      status: 'failure',
      needs: undefined,
      language: 'en',
      title: undefined,
      environmentUrl: undefined,
      smokeReport: undefined,
      mentions: ['<!here>', '<@U0123ABCD>', '<!subteam^S0123ABCD>'],
      githubToken: undefined,
      retry5xx: false,
      dryRun: false,
      failOnError: true,
      notifyOn: 'always',
      request: { attemptTimeoutMs: 30_000, deadlineMs: 300_000 },
    });
  });

  it.each([
    [
      { status: 'failure' },
      "Input 'webhook-url' (or Input 'slack-token' with Input 'channel') is required unless Input 'dry-run' is true.",
    ],
    [
      { 'dry-run': 'true' },
      "Input 'status' is required when neither Input 'needs' nor Input 'stage' is given: one of success, failure, cancelled.",
    ],
    [{ 'dry-run': 'true', status: 'success', language: 'fr' }, "Input 'language' must be one of en, pt-BR, got 'fr'."],
    [
      { 'dry-run': 'true', status: 'success', 'notify-on': 'sometimes' },
      "Input 'notify-on' must be one of always, failure, success, change, got 'sometimes'.",
    ],
    [{ 'dry-run': 'true', status: 'success', 'retry-5xx': 'yes' }, "Input 'retry-5xx' must be a boolean (true or false), got 'yes'."],
    [{ 'dry-run': 'true', status: 'success', 'environment-url': 'javascript:alert(1)' }, "Input 'environment-url' must be an http(s) URL"],
    [{ 'dry-run': 'true', status: 'success', 'mention-on-failure': 'everyone-please' }, "Input 'mention-on-failure' accepts here, channel"],
    [{ 'dry-run': 'true', needs: '{"a":1}' }, "Input 'needs' must be the JSON of toJSON(needs)"],
  ])('rejects %j', (values, message) => {
    const attempt = () => read(values as Record<string, string>);
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(message);
  });

  it("reads the security scan's counts only when security-new is given, and needs to know whether there was a baseline", () => {
    expect(request({ status: 'success' }).security).toBeUndefined();
    expect(
      request({ status: 'success', 'security-new': '2', 'security-fixed': '1', 'security-unchanged': '5', 'security-baseline': 'true' })
        .security,
    ).toEqual({ new: 2, fixed: 1, unchanged: 5, baseline: true });
    // the pipeline passes the scan's outputs; without a baseline fixed and unchanged may be left out
    expect(request({ status: 'success', 'security-new': '3', 'security-baseline': 'false' }).security).toEqual({
      new: 3,
      fixed: 0,
      unchanged: 0,
      baseline: false,
    });
    const refused: [Record<string, string>, string][] = [
      [{ 'security-new': '3' }, "Input 'security-baseline' is required with Input 'security-new'"],
      [{ 'security-new': '-1', 'security-baseline': 'true' }, "Input 'security-new' must be a whole number from 0 to 10000000, got '-1'."],
      [{ 'security-new': '1', 'security-baseline': 'true' }, "Input 'security-fixed' is required: a whole number from 0 to 10000000."],
      [{ 'security-fixed': '1' }, "Input 'security-fixed' needs Input 'security-new' (the counts of one scan go together)."],
      [{ 'security-new': '1', 'security-baseline': 'maybe' }, "Input 'security-baseline' must be a boolean (true or false), got 'maybe'."],
    ];
    for (const [values, message] of refused) {
      expect(() => request({ status: 'success', ...values })).toThrow(InputError);
      expect(() => request({ status: 'success', ...values })).toThrow(message);
    }
  });

  it('validates the webhook even in a dry run, without showing it', () => {
    expect(() => request({ status: 'success', 'webhook-url': 'https://example.com/services/T1/B2/abcsecret' })).toThrow(/points elsewhere/);
  });
});

/** A RunsApi that records what it was asked and answers from fixed data. */
function fakeRuns(answer: {
  jobs?: Awaited<ReturnType<RunsApi['failedJobs']>>;
  previous?: 'success' | 'failure' | 'cancelled';
  fail?: boolean;
}) {
  const calls: string[] = [];
  const runs: RunsApi = {
    async failedJobs() {
      calls.push('failedJobs');
      if (answer.fail) throw new Error('Resource not accessible by integration');
      return answer.jobs ?? [];
    },
    async previousOutcome() {
      calls.push('previousOutcome');
      if (answer.fail) throw new Error('Resource not accessible by integration');
      return answer.previous;
    },
  };
  return { runs, calls };
}

describe('prepareNotification', () => {
  it('derives the status from needs and lists failed jobs from the API (the real one, through GITHUB_API_URL)', async () => {
    const log = new MemoryLogger();
    const prepared = await prepareNotification(request({ needs: '{"build":{"result":"failure"},"lint":{"result":"success"}}' }), run, {
      log,
      runs: githubRunsApi(github.token, github.url),
    });
    expect(prepared.status).toBe('failure');
    expect(prepared.failedJobs.map((j) => j.name)).toEqual(['test (ubuntu-latest, 24)', 'deploy / blue-green', 'e2e']);
    expect(prepared.payload?.attachments[0].color).toBe('#E01E5A');
  });

  it('names the failed jobs from needs when the API is refused, with a warning that says which permission is missing', async () => {
    const log = new MemoryLogger();
    const { runs } = fakeRuns({ fail: true });
    const prepared = await prepareNotification(request({ needs: '{"build":{"result":"failure"}}' }), run, { log, runs });
    expect(prepared.failedJobs).toEqual([{ name: 'build', conclusion: 'failure' }]);
    expect(log.text()).toContain(
      "warning: Could not list the run's jobs from the GitHub API (Resource not accessible by integration); the job needs 'permissions: actions: read'.",
    );
  });

  it('does not ask the API for failed jobs on success', async () => {
    const { runs, calls } = fakeRuns({});
    const prepared = await prepareNotification(request({ status: 'success' }), run, { log: new MemoryLogger(), runs });
    expect(prepared.failedJobs).toEqual([]);
    expect(calls).toEqual([]);
  });

  it.each([
    ['always', 'success', undefined, true],
    ['failure', 'failure', undefined, true],
    ['failure', 'success', undefined, false],
    ['failure', 'cancelled', undefined, false],
    ['success', 'success', undefined, true],
    ['success', 'failure', undefined, false],
    ['change', 'failure', 'success', true],
    ['change', 'failure', 'failure', false],
    ['change', 'success', 'failure', true],
    ['change', 'success', undefined, true],
  ] as const)('notify-on %s with status %s (previous %s): due %s', async (notifyOn, status, previous, due) => {
    const { runs } = fakeRuns({ previous });
    const prepared = await prepareNotification(request({ status, 'notify-on': notifyOn }), run, { log: new MemoryLogger(), runs });
    expect(prepared.due).toBe(due);
    expect(prepared.payload === undefined).toBe(!due);
  });

  it('reads the previous run for notify-on change from the API, and sends when it cannot', async () => {
    const asked = await prepareNotification(request({ status: 'failure', 'notify-on': 'change' }), run, {
      log: new MemoryLogger(),
      runs: githubRunsApi(github.token, github.url),
    });
    expect(asked).toMatchObject({ due: false, reason: "the previous run's outcome was failure and this one is failure" });

    const log = new MemoryLogger();
    const unknown = await prepareNotification(request({ status: 'failure', 'notify-on': 'change' }), run, {
      log,
      runs: fakeRuns({ fail: true }).runs,
    });
    expect(unknown.due).toBe(true);
    expect(log.text()).toContain('Could not read the previous run from the GitHub API');

    const noToken = await prepareNotification(request({ status: 'failure', 'notify-on': 'change' }), run, { log });
    expect(noToken.due).toBe(true);
    expect(log.text()).toContain('notify-on: change needs github-token');
  });

  it('includes the smoke-test result and tolerates its absence', async () => {
    const log = new MemoryLogger();
    const prepared = await prepareNotification(request({ status: 'success', 'smoke-report': 'missing/smoke.json' }), run, {
      log,
      cwd: '/nonexistent',
    });
    expect(prepared.due).toBe(true);
    expect(log.text()).toContain('No smoke-test result at /nonexistent/missing/smoke.json');
  });

  it("puts the security scan's counts in the webhook message and, in bot-token mode, in the final stage's thread reply", async () => {
    const counts = { 'security-new': '2', 'security-fixed': '1', 'security-unchanged': '5', 'security-baseline': 'true' };
    const webhook = await prepareNotification(request({ status: 'success', ...counts }), run, { log: new MemoryLogger() });
    expect(JSON.stringify(webhook.payload)).toContain('*Security scan*: 2 new · 1 fixed · 5 unchanged');
    const bot = await prepareNotification(
      read({
        'dry-run': 'true',
        'slack-token': 'xoxb-1111111111-2222222222-notifyTokenEEEE',
        channel: 'deploys',
        stage: 'live',
        ...counts,
      }),
      run,
      { log: new MemoryLogger() },
    );
    expect(JSON.stringify(bot.payload)).not.toContain('Security scan');
    expect(bot.reply?.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Security scan*: 2 new · 1 fixed · 5 unchanged' } },
    ]);
  });
});

describe('deliver', () => {
  const loopback = (values: Record<string, string>): NotifyRequest =>
    readNotifyInputs(new Inputs(mapInputs({ status: 'failure', ...values })), new MemoryLogger(), { allowLoopback: true });

  it('posts a due message once', async () => {
    const r = loopback({ 'webhook-url': slack.webhook('ok') });
    const log = new MemoryLogger();
    const prepared = await prepareNotification(r, run, { log });
    expect(await deliver(r, prepared, log)).toBe(true);
    expect(slack.accepted()).toHaveLength(1);
    expect(JSON.parse(slack.accepted()[0]?.body ?? '')).toEqual(prepared.payload);
    expect(log.text()).toContain('Slack message sent (failure).');
  });

  it('fails on a delivery error, or warns with fail-on-error false', async () => {
    const failing = loopback({ 'webhook-url': slack.webhook('channel_is_archived') });
    const prepared = await prepareNotification(failing, run, { log: new MemoryLogger() });
    await expect(deliver(failing, prepared, new MemoryLogger())).rejects.toThrow('(channel_is_archived)');

    const tolerant = loopback({ 'webhook-url': slack.webhook('channel_is_archived'), 'fail-on-error': 'false' });
    const log = new MemoryLogger();
    expect(await deliver(tolerant, prepared, log)).toBe(false);
    expect(log.lines.at(-1)).toMatchObject({ level: 'warning', message: expect.stringContaining('channel is archived') });
  });

  it('sends nothing in a dry run or when the message is not due', async () => {
    const before = slack.requests.length;
    const dry = loopback({ 'webhook-url': slack.webhook('ok'), 'dry-run': 'true' });
    expect(await deliver(dry, await prepareNotification(dry, run, { log: new MemoryLogger() }), new MemoryLogger())).toBe(false);
    const quiet = loopback({ 'webhook-url': slack.webhook('ok'), 'notify-on': 'success' });
    expect(await deliver(quiet, await prepareNotification(quiet, run, { log: new MemoryLogger() }), new MemoryLogger())).toBe(false);
    expect(slack.requests.length).toBe(before);
  });
});

describe('notificationSummary', () => {
  it('shows the payload of a dry run and says why nothing was sent', async () => {
    const prepared = await prepareNotification(request({ status: 'success', title: 'Release 1.2' }), run, { log: new MemoryLogger() });
    const summary = notificationSummary(prepared, { dryRun: true, sent: false });
    expect(summary).toContain('| Status | Message | Failed jobs |\n| --- | --- | --- |\n| success | dry run: not sent | none |');
    expect(summary).toContain('<details><summary>Payload (Block Kit JSON)</summary>\n\n```json\n{\n  "text": "CI/CD pipeline succeeded');
    const skipped = await prepareNotification(request({ status: 'success', 'notify-on': 'failure' }), run, { log: new MemoryLogger() });
    expect(notificationSummary(skipped, { dryRun: false, sent: false })).toContain(
      'not sent: notify-on is failure and the status is success',
    );
  });
});
