import { describe, it, expect } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ExternalError,
  Inputs,
  mapInputs,
  MemoryLogger,
  MemoryOutputs,
  MemoryState,
  MemorySummary,
  type ActionContext,
} from '@pipeline-toolkit/core';
import type { DeployPlan, Outcome } from '@pipeline-toolkit/k8s';
import type { SlackPayload } from '@pipeline-toolkit/slack';
import { run, type Deps } from '../src/main.ts';

const WEBHOOK = 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX';

function context(values: Record<string, string> = {}, env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ptk-release-action-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, 'apiVersion: v1\nclusters: []\ncontexts: []\nusers: []\n');
  return {
    dir,
    inputs: new Inputs(mapInputs({ release: 'web', namespace: 'shop', chart: './chart', kubeconfig, tag: 'v1.4.2', ...values })),
    log: new MemoryLogger(),
    outputs: new MemoryOutputs(),
    state: new MemoryState(),
    summary: new MemorySummary(),
    env: { GITHUB_WORKSPACE: dir, GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abc1234def', GITHUB_RUN_ID: '42', ...env },
  } satisfies ActionContext & { dir: string };
}

const outcome = (over: Partial<Outcome> = {}): Outcome => ({
  mode: 'full',
  result: 'deployed',
  liveColor: 'green',
  previousColor: 'blue',
  revision: 4,
  url: 'https://shop.example.com',
  phases: [],
  gates: [],
  ...over,
});

const rolledBackError = 'Rolled back to blue: post-switch smoke failed';
const rolledBack = outcome({
  result: 'rolled-back',
  liveColor: 'blue',
  error: rolledBackError,
  failure: { kind: 'gate', phase: 'verify', message: rolledBackError },
});

/** Fakes that log the order of the calls: deploy, the Slack post, and the memory bank's clock (read when the record starts). */
function fakes(result: Outcome | Error, over: Partial<Deps> = {}) {
  const calls: string[] = [];
  const payloads: SlackPayload[] = [];
  const deps: Deps = {
    deploy: async () => {
      calls.push('deploy');
      if (result instanceof Error) throw result;
      return result;
    },
    plan: async () => {
      calls.push('plan');
      const plan: DeployPlan = {
        lines: [['live colour', 'blue']],
        helm: ['helm', 'upgrade', 'web-green'],
        writes: [{ what: 'patch Service web to colour green', body: { spec: { selector: { color: 'green' } } } }],
      };
      return plan;
    },
    signal: new AbortController().signal,
    fetch: async () => {
      throw new Error('no GitHub Deployment expected');
    },
    exitSoon: () => calls.push('exit'),
    post: async (_url, payload) => {
      calls.push('notify');
      payloads.push(payload as SlackPayload);
      return 1;
    },
    now: () => {
      calls.push('record');
      return new Date('2026-11-29T10:00:00Z');
    },
    ...over,
  };
  return { deps, calls, payloads };
}

const progress = (dir: string) => readFileSync(path.join(dir, 'memory-bank', 'progress.md'), 'utf8');

describe('release action', () => {
  it('deploys, then notifies, then records, and reports all three', async () => {
    const ctx = context({ 'slack-webhook-url': WEBHOOK, record: 'files' });
    const { deps, calls, payloads } = fakes(outcome());
    await run(ctx, deps);
    expect(calls).toEqual(['deploy', 'notify', 'record']);
    expect(ctx.outputs.values).toMatchObject({ result: 'deployed', 'live-color': 'green', notified: 'true', recorded: 'true' });
    const message = JSON.stringify(payloads[0]);
    expect(message).toContain('web in shop: deployed');
    expect(message).toContain('https://shop.example.com');
    expect(progress(ctx.dir)).toMatch(/v1\.4\.2/);
    expect(progress(ctx.dir)).toContain('https://shop.example.com');
    expect(ctx.log.lines.map((l) => l.message).join('\n')).not.toContain('XXXXSECRETXXXX');
  });

  it('notifies and records a rolled-back deploy too, then fails the step with the deploy error', async () => {
    const ctx = context({ 'slack-webhook-url': WEBHOOK, record: 'files', 'mention-on-failure': 'here' });
    const { deps, calls, payloads } = fakes(rolledBack);
    await expect(run(ctx, deps)).rejects.toMatchObject({ name: 'GateError', message: rolledBack.error });
    expect(calls).toEqual(['deploy', 'notify', 'record']);
    const message = JSON.stringify(payloads[0]);
    expect(message).toContain('web in shop: rolled-back');
    expect(message).toContain('<!here>');
    expect(ctx.outputs.values).toMatchObject({ result: 'rolled-back', notified: 'true', recorded: 'true' });
    expect(progress(ctx.dir)).toMatch(/failure/i);
  });

  it('a Slack failure is a warning and never hides the deploy failure', async () => {
    const ctx = context({ 'slack-webhook-url': WEBHOOK, record: 'files' });
    const { deps, calls } = fakes(rolledBack, {
      post: async () => {
        calls.push('notify');
        throw new ExternalError('Slack answered 500');
      },
    });
    await expect(run(ctx, deps)).rejects.toMatchObject({ name: 'GateError', message: rolledBack.error });
    expect(calls).toEqual(['deploy', 'notify', 'record']);
    expect(ctx.log.lines).toContainEqual(
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('Slack answered 500') }),
    );
    expect(ctx.outputs.values).toMatchObject({ notified: 'false', recorded: 'true' });
  });

  it('a Slack or memory-bank failure does not fail a successful deploy', async () => {
    const ctx = context(
      { 'slack-webhook-url': WEBHOOK, record: 'commit', 'github-token': 'ghs_0123456789abcdefghijklmnopqrstuvwxyz' },
      { GITHUB_REF: 'refs/heads/main' },
    );
    const { deps } = fakes(outcome(), {
      post: async () => {
        throw new ExternalError('Slack answered 500');
      },
      github: async () => {
        throw new ExternalError('GitHub answered 403');
      },
    });
    await run(ctx, deps);
    expect(ctx.outputs.values).toMatchObject({ result: 'deployed', notified: 'false', recorded: 'false' });
    const warnings = ctx.log.lines.filter((l) => l.level === 'warning').map((l) => l.message);
    expect(warnings[0]).toContain('Slack answered 500');
    expect(warnings.at(-1)).toMatch(/^The deploy was not recorded in the memory bank: .*GitHub answered 403/);
  });

  it('when the deploy cannot start, still tells Slack it failed, then fails with the original error', async () => {
    const ctx = context({ 'slack-webhook-url': WEBHOOK });
    const { deps, calls, payloads } = fakes(new ExternalError('The cluster did not answer'));
    await expect(run(ctx, deps)).rejects.toThrow('The cluster did not answer');
    expect(calls).toEqual(['deploy', 'notify']);
    expect(JSON.stringify(payloads[0])).toContain('web in shop: failed');
    expect(ctx.outputs.values).toMatchObject({ result: 'failed', notified: 'true', recorded: 'false' });
  });

  it('without slack-webhook-url and with record none, it only deploys', async () => {
    const ctx = context();
    const { deps, calls } = fakes(outcome());
    await run(ctx, deps);
    expect(calls).toEqual(['deploy']);
    expect(ctx.outputs.values).toMatchObject({ notified: 'false', recorded: 'false' });
    expect(existsSync(path.join(ctx.dir, 'memory-bank'))).toBe(false);
  });

  it.each([
    [{ record: 'wiki' }, "Input 'record'"],
    [{ 'slack-webhook-url': 'https://example.com/hook' }, "Input 'slack-webhook-url'"],
    [{ language: 'fr' }, "Input 'language'"],
    [{ record: 'commit' }, "Input 'github-token' is required with record: commit"],
    [{ record: 'files', 'memory-bank-dir': '../elsewhere' }, "Input 'memory-bank-dir'"],
    [{ mode: 'sideways' }, "Input 'mode'"],
  ])('validates every input before any side effect: %j', async (values, named) => {
    const ctx = context(values);
    const { deps, calls } = fakes(outcome());
    await expect(run(ctx, deps)).rejects.toMatchObject({ name: 'InputError', message: expect.stringContaining(named) });
    expect(calls).toEqual([]);
    expect(ctx.outputs.values).toEqual({});
  });

  it('dry-run prints the plan and neither deploys, notifies nor records', async () => {
    const ctx = context({ 'slack-webhook-url': WEBHOOK, record: 'files', 'dry-run': 'true' });
    const { deps, calls } = fakes(outcome());
    await run(ctx, deps);
    expect(calls).toEqual(['plan']);
    const printed = ctx.log.lines.map((l) => l.message).join('\n');
    expect(printed).toContain('helm upgrade web-green');
    expect(printed).toContain('patch Service web to colour green');
    expect(ctx.outputs.values).toEqual({ result: 'unchanged', notified: 'false', recorded: 'false' });
    expect(existsSync(path.join(ctx.dir, 'memory-bank'))).toBe(false);
  });
});
