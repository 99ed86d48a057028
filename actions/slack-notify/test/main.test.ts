import { describe, expect, it } from '@jest/globals';
import {
  ExternalError,
  Inputs,
  MemoryLogger,
  MemoryOutputs,
  MemoryState,
  MemorySummary,
  mapInputs,
  type ActionContext,
} from '@pipeline-toolkit/core';
import type { RunsApi } from '@pipeline-toolkit/slack';
import { run, type Deps } from '../src/main.ts';

const WEBHOOK = 'https://hooks.slack.com/services/T0AAA1111/B0BBB2222/abcdefABCDEF123456';
const env = {
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_RUN_ID: '77',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_API_URL: 'https://ghe.example.com/api/v3',
};

function context(values: Record<string, string>) {
  const outputs = new MemoryOutputs();
  const summary = new MemorySummary();
  const log = new MemoryLogger();
  const ctx: ActionContext = { inputs: new Inputs(mapInputs(values)), log, outputs, state: new MemoryState(), summary, env };
  return { ctx, outputs, summary, log };
}

/** Deps that record what the action asked for instead of reaching GitHub or Slack. */
function deps(post: Deps['post'] = async () => 1) {
  const asked: { token: string; baseUrl: string; run?: unknown }[] = [];
  const posted: unknown[] = [];
  const value: Deps = {
    chat: async () => {
      throw new Error('bot-token mode is not used here');
    },
    runsApi: (token, baseUrl) => {
      const entry: { token: string; baseUrl: string; run?: unknown } = { token, baseUrl };
      asked.push(entry);
      const runs: RunsApi = {
        failedJobs: async (ref) => {
          entry.run = ref;
          return [{ name: 'build (linux)', conclusion: 'failure', step: 'Compile' }];
        },
        previousOutcome: async () => undefined,
      };
      return runs;
    },
    post: async (webhook, payload, options) => {
      posted.push(payload);
      return post(webhook, payload, options);
    },
  };
  return { value, asked, posted };
}

describe('slack-notify run()', () => {
  it('asks the API at GITHUB_API_URL for the failed jobs of this attempt, posts once and sets the outputs', async () => {
    const { ctx, outputs, summary } = context({ 'webhook-url': WEBHOOK, status: 'failure', 'github-token': 'ghs_tokenForTheRun' });
    const d = deps();
    await run(ctx, d.value);
    expect(d.asked).toEqual([
      {
        token: 'ghs_tokenForTheRun',
        baseUrl: 'https://ghe.example.com/api/v3',
        run: { owner: 'acme', repo: 'shop', runId: 77, attempt: 2 },
      },
    ]);
    expect(d.posted).toHaveLength(1);
    expect(outputs.values).toEqual({
      sent: 'true',
      payload: JSON.stringify(d.posted[0]),
      'failed-jobs': JSON.stringify([{ name: 'build (linux)', conclusion: 'failure', step: 'Compile' }]),
      'message-ts': '',
      'channel-id': '',
    });
    expect(summary.text).toContain('| failure | sent | build (linux) |');
  });

  it('still sets the outputs and the summary when delivery fails, and fails the step', async () => {
    const { ctx, outputs, summary } = context({ 'webhook-url': WEBHOOK, status: 'success' });
    const d = deps(async () => {
      throw new ExternalError('The webhook is disabled, revoked or mistyped (no_service).');
    });
    await expect(run(ctx, d.value)).rejects.toThrow('(no_service)');
    expect(outputs.values['sent']).toBe('false');
    expect(summary.text).toMatch(/\n\| \w+ \| not delivered \| /);
  });

  it('warns instead with fail-on-error false', async () => {
    const { ctx, outputs, log } = context({ 'webhook-url': WEBHOOK, status: 'success', 'fail-on-error': 'false' });
    const d = deps(async () => {
      throw new ExternalError('The webhook is disabled, revoked or mistyped (no_service).');
    });
    await run(ctx, d.value);
    expect(outputs.values['sent']).toBe('false');
    expect(log.lines.find((l) => l.level === 'warning')?.message).toContain('(no_service)');
  });

  it('fails on invalid input before asking anything, whatever fail-on-error says', async () => {
    const { ctx, outputs } = context({ 'webhook-url': WEBHOOK, status: 'failed', 'fail-on-error': 'false' });
    const d = deps();
    await expect(run(ctx, d.value)).rejects.toThrow("Input 'status' must be one of success, failure, cancelled, got 'failed'.");
    expect(d.asked).toEqual([]);
    expect(d.posted).toEqual([]);
    expect(outputs.values).toEqual({});
  });
});
