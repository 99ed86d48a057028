import { describe, it, expect, afterEach } from '@jest/globals';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, mapInputs, MemoryLogger, MemoryOutputs, MemoryState, MemorySummary, type ActionContext } from '@pipeline-toolkit/core';
import type { Journal, Outcome } from '@pipeline-toolkit/k8s';
import { json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { run, JOURNAL, type Deps } from '../src/main.ts';
import { cleanupDeploy as cleanup } from '@pipeline-toolkit/k8s';

let github: LoopbackServer | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const dir = mkdtempSync(path.join(tmpdir(), 'ptk-deploy-action-'));
const kubeconfig = path.join(dir, 'kubeconfig');
writeFileSync(kubeconfig, 'apiVersion: v1\nclusters: []\ncontexts: []\nusers: []\n');

function context(values: Record<string, string>, env: Record<string, string> = {}) {
  const ctx = {
    inputs: new Inputs(mapInputs({ release: 'web', namespace: 'shop', chart: './chart', kubeconfig, ...values })),
    log: new MemoryLogger(),
    outputs: new MemoryOutputs(),
    state: new MemoryState(),
    summary: new MemorySummary(),
    env: { GITHUB_WORKSPACE: dir, GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abc123', GITHUB_RUN_ID: '42', ...env },
  } satisfies ActionContext;
  return ctx;
}

const outcome = (over: Partial<Outcome> = {}): Outcome => ({
  mode: 'full',
  result: 'deployed',
  liveColor: 'green',
  previousColor: 'blue',
  revision: 4,
  url: 'https://shop.example.com',
  phases: [{ name: 'switch', startedAt: 0, endedAt: 120, outcome: 'ok', detail: 'router web: blue → green' }],
  gates: [],
  ...over,
});

function deps(result: Outcome, journal?: Journal): Deps & { exited: number } {
  const d = {
    exited: 0,
    deploy: async (_options: unknown, io: { saveJournal(j: Journal): Promise<void> }) => {
      if (journal) await io.saveJournal(journal);
      return result;
    },
    plan: async () => ({ lines: [], helm: [], writes: [] }),
    signal: new AbortController().signal,
    fetch,
    exitSoon: () => void d.exited++,
  };
  return d as unknown as Deps & { exited: number };
}

describe('deploy action', () => {
  it('writes the outputs and the summary, saves the journal for the post step, and records a GitHub Deployment', async () => {
    github = await startServer((req, res) => json(res, 201, req.url.endsWith('/deployments') ? { id: 77 } : {}));
    const ctx = context(
      { 'github-token': 'ghs_0123456789abcdefghijklmnopqrstuvwxyz', environment: 'production' },
      { GITHUB_API_URL: github.url },
    );
    const journal: Journal = { namespace: 'shop', release: 'web', runId: 'acme/shop#42', lockHeld: false, finished: true };
    await run(ctx, deps(outcome(), journal));
    expect(ctx.outputs.values).toEqual({
      result: 'deployed',
      'live-color': 'green',
      'previous-color': 'blue',
      revision: '4',
      url: 'https://shop.example.com',
      'preview-address': '',
    });
    expect(ctx.summary.text).toContain('## Deploy web (shop): deployed');
    expect(ctx.state.get(JOURNAL)).toEqual(journal);
    expect(github.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /repos/acme/shop/deployments',
      'POST /repos/acme/shop/deployments/77/statuses',
      'POST /repos/acme/shop/deployments/77/statuses',
    ]);
    expect(JSON.parse(github.requests[0]!.body)).toMatchObject({
      ref: 'abc123',
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
    });
    expect(JSON.parse(github.requests[1]!.body)).toMatchObject({ state: 'in_progress' });
    expect(JSON.parse(github.requests[2]!.body)).toMatchObject({
      state: 'success',
      environment_url: 'https://shop.example.com',
      description: 'green is live',
    });
    expect(github.requests[0]!.headers['authorization']).toBe('Bearer ghs_0123456789abcdefghijklmnopqrstuvwxyz');
  });

  it('a rolled-back deploy fails the step as a gate, after writing outputs and a failure status', async () => {
    github = await startServer((req, res) => json(res, 201, { id: 5 }));
    const ctx = context(
      { 'github-token': 'ghs_0123456789abcdefghijklmnopqrstuvwxyz', environment: 'staging' },
      { GITHUB_API_URL: github.url },
    );
    const failed = outcome({
      result: 'rolled-back',
      liveColor: 'blue',
      previousColor: 'green',
      error: 'Rolled back to blue: post-switch smoke failed',
      failure: { kind: 'gate', phase: 'verify', message: 'Rolled back to blue: post-switch smoke failed' },
      rollback: { reason: 'post-switch smoke failed', restored: true, details: ['router selects blue again'] },
    });
    await expect(run(ctx, deps(failed))).rejects.toMatchObject({
      name: 'GateError',
      message: 'Rolled back to blue: post-switch smoke failed',
    });
    expect(ctx.outputs.values).toMatchObject({ result: 'rolled-back', 'live-color': 'blue' });
    expect(ctx.summary.text).toContain('### Rolled back');
    expect(JSON.parse(github.requests.at(-1)!.body)).toMatchObject({ state: 'failure' });
  });

  it("mode rollback marks the rolled-back commit's Deployments failed instead of recording a success for it", async () => {
    github = await startServer((req, res) =>
      req.method === 'GET'
        ? json(res, 200, [
            { id: 77, sha: 'abc123' },
            { id: 76, sha: 'abc123' },
          ])
        : json(res, 201, {}),
    );
    const ctx = context(
      { mode: 'rollback', 'github-token': 'ghs_0123456789abcdefghijklmnopqrstuvwxyz', environment: 'production' },
      { GITHUB_API_URL: github.url, GITHUB_SERVER_URL: 'https://github.com' },
    );
    await run(ctx, deps(outcome({ mode: 'rollback', result: 'rolled-back', liveColor: 'blue', previousColor: 'green' })));
    expect(github.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /repos/acme/shop/deployments?sha=abc123&environment=production&per_page=100',
      'POST /repos/acme/shop/deployments/77/statuses',
      'POST /repos/acme/shop/deployments/76/statuses',
    ]);
    for (const request of github.requests.slice(1)) {
      expect(JSON.parse(request.body)).toMatchObject({ state: 'failure', description: 'rolled back: blue is live' });
    }
    expect(github.requests[0]!.headers['authorization']).toBe('Bearer ghs_0123456789abcdefghijklmnopqrstuvwxyz');
  });

  it('exits promptly after a cancelled run (work in flight must not hold the step)', async () => {
    const controller = new AbortController();
    controller.abort();
    const d = {
      ...deps(
        outcome({
          result: 'rolled-back',
          error: 'The deploy was cancelled.',
          failure: { kind: 'cancelled', phase: 'verify', message: 'The deploy was cancelled.' },
        }),
      ),
      signal: controller.signal,
    };
    let exits = 0;
    d.exitSoon = () => void exits++;
    await expect(run(context({}), d)).rejects.toThrow('The deploy was cancelled.');
    expect(exits).toBe(1);
  });

  it('dry-run shows the plan and changes nothing', async () => {
    const ctx = context({ 'dry-run': 'true' });
    const d = deps(outcome());
    d.deploy = async () => {
      throw new Error('must not deploy');
    };
    d.plan = async () => ({
      lines: [['Live colour', 'green']],
      helm: ['helm', 'upgrade', 'web-blue'],
      writes: [{ what: 'patch Service ns/web', body: { spec: {} } }],
    });
    await run(ctx, d);
    expect(ctx.outputs.values).toEqual({ result: 'unchanged' });
    expect(ctx.summary.text).toContain('helm upgrade web-blue');
  });

  it('records an error status when the deploy cannot start', async () => {
    github = await startServer((req, res) => json(res, 201, { id: 9 }));
    const ctx = context(
      { 'github-token': 'ghs_0123456789abcdefghijklmnopqrstuvwxyz', environment: 'production' },
      { GITHUB_API_URL: github.url },
    );
    const d = deps(outcome());
    d.deploy = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
    };
    await expect(run(ctx, d)).rejects.toThrow('connect ECONNREFUSED');
    expect(JSON.parse(github.requests.at(-1)!.body)).toMatchObject({ state: 'error', description: 'connect ECONNREFUSED 127.0.0.1:6443' });
  });
});

describe('deploy post step', () => {
  it('does nothing after a main step that finished', async () => {
    const ctx = context({});
    await ctx.state.save(JOURNAL, { namespace: 'shop', release: 'web', runId: 'r', lockHeld: false, finished: true });
    let called = false;
    await cleanup(ctx, async () => {
      called = true;
      return [];
    });
    expect(called).toBe(false);
  });

  it('recovers when the main step did not finish', async () => {
    const ctx = context({});
    const journal: Journal = {
      namespace: 'shop',
      release: 'web',
      runId: 'r',
      lockHeld: true,
      finished: false,
      switchInFlight: { to: 'green', from: 'blue', previousRoute: {} },
    };
    await ctx.state.save(JOURNAL, journal);
    await cleanup(ctx, async (options, j) => {
      expect(options.spec.release).toBe('web');
      expect(j).toEqual(journal);
      return ['restored the router to blue', 'Lease web-deploy released'];
    });
    expect(ctx.log.text()).toContain('info: post: restored the router to blue');
    expect(ctx.log.text()).toContain('info: post: Lease web-deploy released');
  });
});
