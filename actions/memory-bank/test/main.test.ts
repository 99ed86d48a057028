import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  Inputs,
  mapInputs,
  MemoryLogger,
  MemoryOutputs,
  MemoryState,
  MemorySummary,
  runAction,
  type ActionContext,
} from '@pipeline-toolkit/core';
import { initBank } from '@pipeline-toolkit/memory-bank';
import { FakeGitHub } from '../../../packages/memory-bank/test/fake-github.ts';
import { run } from '../src/main.ts';

let workspace: string;

function context(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const log = new MemoryLogger();
  const outputs = new MemoryOutputs();
  const summary = new MemorySummary();
  const ctx: ActionContext = {
    inputs: new Inputs(mapInputs(inputs)),
    log,
    outputs,
    state: new MemoryState(),
    summary,
    env: {
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '555',
      GITHUB_SHA: 'abcdef1234567890abcdef1234567890abcdef12',
      GITHUB_REF: 'refs/heads/main',
      ...env,
    },
  };
  return { ctx, log, outputs, summary };
}

const now = () => new Date('2026-11-29T10:00:00Z');

beforeEach(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), 'mb-action-'));
  await initBank(path.join(workspace, 'memory-bank'), 'en', '2026-11-01');
});
afterEach(() => rm(workspace, { recursive: true, force: true }));

describe('memory-bank action', () => {
  it('record-deploy in files mode writes both files once', async () => {
    const inputs = { command: 'record-deploy', version: 'v2.0.0', 'deploy-url': 'https://shop.example.com' };
    const first = context(inputs);
    await run(first.ctx, { now });
    expect(first.outputs.values).toEqual({
      changed: 'true',
      files: '["memory-bank/progress.md","memory-bank/activeContext.md"]',
      'commit-sha': '',
      'pull-request-url': '',
    });
    const progress = await readFile(path.join(workspace, 'memory-bank/progress.md'), 'utf8');
    expect(progress).toContain(
      '- 2026-11-29 · **production** · v2.0.0 · [abcdef1](https://github.com/acme/shop/commit/abcdef1234567890abcdef1234567890abcdef12) · [deploy](https://shop.example.com) · success · [run](https://github.com/acme/shop/actions/runs/555) <!-- key: deploy/production/555 -->',
    );
    const again = context(inputs);
    await run(again.ctx, { now });
    expect(again.outputs.values['changed']).toBe('false');
    expect(again.summary.text).toContain('Already up to date');
  });

  it('record-deploy after a push links the pull request the commit came from', async () => {
    const github = await FakeGitHub.start();
    try {
      github.addPull({
        number: 77,
        title: 'Cart',
        head: 'cart',
        base: 'main',
        state: 'closed',
        files: [],
        merge_commit_sha: 'abcdef1234567890abcdef1234567890abcdef12',
      });
      const { ctx } = context(
        { command: 'record-deploy', version: 'v2', 'github-token': 'ghs_secret_token_value' },
        { GITHUB_API_URL: github.url },
      );
      await run(ctx, { now });
      expect(await readFile(path.join(workspace, 'memory-bank/progress.md'), 'utf8')).toContain(
        ' · [#77](https://github.com/acme/shop/pull/77) · ',
      );
    } finally {
      await github.close();
    }
    // The lookup is only a link: when the API is unreachable the entry is written without it.
    const { ctx, log } = context(
      { command: 'record-deploy', version: 'v3', 'github-token': 'ghs_secret_token_value' },
      { GITHUB_API_URL: github.url, GITHUB_RUN_ID: '556' },
    );
    await run(ctx, { now });
    expect(log.lines.find((l) => l.level === 'warning')?.message).toMatch(/^Could not find the pull request of abcdef1: /);
    expect(await readFile(path.join(workspace, 'memory-bank/progress.md'), 'utf8')).toContain('v3 · [abcdef1]');
  });

  it('record-progress takes the merged pull request from the event', async () => {
    const event = path.join(workspace, 'event.json');
    await writeFile(
      event,
      JSON.stringify({
        pull_request: {
          number: 12,
          title: 'Add cart',
          html_url: 'https://github.com/acme/shop/pull/12',
          merged_at: '2026-11-28T09:00:00Z',
          merge_commit_sha: '1234567abc',
          user: { login: 'ana' },
        },
      }),
    );
    const { ctx, outputs } = context({ command: 'record-progress' }, { GITHUB_EVENT_PATH: event, GITHUB_REF: 'refs/pull/12/merge' });
    await run(ctx, { now });
    expect(outputs.values['changed']).toBe('true');
    expect(await readFile(path.join(workspace, 'memory-bank/progress.md'), 'utf8')).toContain(
      '- 2026-11-28 · [#12 Add cart](https://github.com/acme/shop/pull/12) · @ana · [1234567](https://github.com/acme/shop/commit/1234567abc) <!-- key: pr/12 -->',
    );
  });

  it('record-progress reads a pull request given by number from the API; an unmerged one records nothing', async () => {
    const github = await FakeGitHub.start();
    try {
      github.addPull({
        number: 40,
        title: 'Search',
        head: 's',
        base: 'main',
        state: 'closed',
        files: [],
        merged_at: '2026-11-20T08:00:00Z',
        user: { login: 'rui' },
      });
      github.addPull({ number: 41, title: 'Draft', head: 'd', base: 'main', files: [] });
      const merged = context(
        { command: 'record-progress', pr: '40', 'github-token': 'ghs_secret_token_value' },
        { GITHUB_API_URL: github.url },
      );
      await run(merged.ctx, { now });
      expect(await readFile(path.join(workspace, 'memory-bank/progress.md'), 'utf8')).toContain(
        '- 2026-11-20 · [#40 Search](https://github.com/acme/shop/pull/40) · @rui <!-- key: pr/40 -->',
      );
      const open = context(
        { command: 'record-progress', pr: '41', 'github-token': 'ghs_secret_token_value' },
        { GITHUB_API_URL: github.url },
      );
      await run(open.ctx, { now });
      expect(open.outputs.values['changed']).toBe('false');
      expect(open.log.lines.find((l) => l.level === 'notice')?.message).toBe('Pull request #41 is not merged; nothing recorded.');
    } finally {
      await github.close();
    }
    await expect(run(context({ command: 'record-progress', pr: '40' }).ctx, { now })).rejects.toThrow(
      'Reading pull request #40 needs github-token',
    );
  });

  it('lint annotates each problem at its file and line and fails the step', async () => {
    await writeFile(
      path.join(workspace, 'memory-bank/ADR-001-x.md'),
      '# ADR-001: X\n\n- Status: maybe\n- Date: 2026-01-01\n\n## Context\n## Decision\n## Consequences\n',
    );
    const { ctx, log, summary } = context({ command: 'lint', 'github-token': '' });
    expect(await runAction((c) => run(c, { now }), ctx)).toBe(1);
    process.exitCode = 0;
    const errors = log.lines.filter((l) => l.level === 'error');
    expect(errors.map((e) => `${e.properties?.file}:${e.properties?.line}`)).toEqual([
      'memory-bank/ADR-001-x.md:3',
      'memory-bank/decisionLog.md:10',
      'undefined:undefined',
    ]);
    expect(errors[2]?.message).toBe('memory-bank lint found 2 problem(s).');
    expect(summary.text).toContain('| memory-bank/ADR-001-x.md | 3 | status |');
  });

  it('lint still reports local problems when open pull requests cannot be read', async () => {
    const github = await FakeGitHub.start();
    const url = github.url;
    await github.close();
    const event = path.join(workspace, 'event.json');
    await writeFile(event, JSON.stringify({ pull_request: { number: 3, title: 't', html_url: 'u' } }));
    const { ctx, log, summary } = context(
      { command: 'lint', 'github-token': 'ghs_secret_token_value' },
      { GITHUB_API_URL: url, GITHUB_EVENT_PATH: event },
    );
    await run(ctx, { now });
    expect(log.lines.find((l) => l.level === 'warning')?.message).toMatch(/^ADR numbers were not compared with other open pull requests: /);
    expect(summary.text).toContain('No problems found.');
  });

  it('index in commit mode commits the regenerated table of the checked-out ADRs', async () => {
    const github = await FakeGitHub.start();
    try {
      const log = '# Decision Log\n\nKept.\n\n<!-- adr-index:start -->\nold\n<!-- adr-index:end -->\n';
      github.push('main', { 'memory-bank/decisionLog.md': log });
      await writeFile(
        path.join(workspace, 'memory-bank/ADR-001-x.md'),
        '# ADR-001: X\n\n- Status: accepted\n- Date: 2026-01-01\n\n## Context\n## Decision\n## Consequences\n',
      );
      const { ctx, outputs } = context(
        { command: 'index', mode: 'commit', 'github-token': 'ghs_secret_token_value' },
        { GITHUB_API_URL: github.url },
      );
      await run(ctx, { now });
      expect(outputs.values['files']).toBe('["memory-bank/decisionLog.md"]');
      expect(github.file('main', 'memory-bank/decisionLog.md')).toBe(
        '# Decision Log\n\nKept.\n\n<!-- adr-index:start -->\n| ADR | Title | Status | Date | Supersedes | Superseded by |\n| --- | --- | --- | --- | --- | --- |\n| ADR-001 | [X](ADR-001-x.md) | accepted | 2026-01-01 | — | — |\n<!-- adr-index:end -->\n',
      );
    } finally {
      await github.close();
    }
  });

  it('rejects bad input before touching anything, naming the input', async () => {
    const { ctx } = context({ command: 'record-deploy', mode: 'push' });
    await expect(run(ctx, { now })).rejects.toThrow("Input 'mode' must be one of files, commit, pull-request, got 'push'.");
    await expect(run(context({ command: 'record-deploy', 'deploy-url': 'ftp://x' }).ctx, { now })).rejects.toThrow(
      "Input 'deploy-url' must be an http(s) URL",
    );
    await expect(run(context({ command: 'index', dir: '../elsewhere' }).ctx, { now })).rejects.toThrow(
      "Input 'dir' must be a folder inside the repository",
    );
    expect(await readFile(path.join(workspace, 'memory-bank/progress.md'), 'utf8')).not.toContain('key:');
  });

  it('commit mode commits through the GitHub API and outputs the commit', async () => {
    const github = await FakeGitHub.start();
    try {
      github.push('main', { 'memory-bank/progress.md': '# Progress\n' });
      const { ctx, outputs, log } = context(
        { command: 'record-deploy', version: 'v3', mode: 'commit', 'github-token': 'ghs_secret_token_value' },
        { GITHUB_API_URL: github.url },
      );
      await run(ctx, { now });
      expect(outputs.values['commit-sha']).toBe(github.refs.get('main'));
      expect(github.file('main', 'memory-bank/progress.md')).toContain('key: deploy/production/555');
      expect(github.file('main', 'memory-bank/activeContext.md')).toContain('- Version in production: v3');
      expect(log.text()).not.toContain('ghs_secret_token_value');
    } finally {
      await github.close();
    }
  });

  it('an environment with spaces is one key: a re-run updates its entry instead of adding a second one', async () => {
    const inputs = { command: 'record-deploy', version: 'v3', environment: 'staging eu' };
    await run(context(inputs).ctx, { now });
    const again = context(inputs);
    await run(again.ctx, { now });
    expect(again.outputs.values['changed']).toBe('false');
    const progress = await readFile(path.join(workspace, 'memory-bank/progress.md'), 'utf8');
    expect(progress.match(/staging eu/g)).toHaveLength(1);
    expect(progress).toContain('<!-- key: deploy/staging%20eu/555 -->');
  });

  it.each([
    ['environment', 'production\n## Hacked [2026-01-01]', "'environment' must be one line without control characters"],
    ['environment', 'x'.repeat(101), "'environment' is 101 characters long; at most 100"],
    ['version', 'v1\r\n- Next milestone: pwned', "'version' must be one line"],
    ['pr', '99999999999999999999', "'pr' must be a whole number from 1 to 2147483647"],
    ['dir', '../../etc', "'dir' must be a folder inside the repository"],
    ['source', '../outside', "'source' must be a folder inside the repository"],
  ])('refuses %s=%j before touching any file', async (name, value, message) => {
    const before = await readFile(path.join(workspace, 'memory-bank/activeContext.md'), 'utf8');
    const { ctx } = context({ command: 'record-deploy', version: 'v1', [name]: value });
    await expect(run(ctx, { now })).rejects.toThrow(message);
    expect(await readFile(path.join(workspace, 'memory-bank/activeContext.md'), 'utf8')).toBe(before);
  });

  it('import: a dry run reports the plan and writes nothing; the import renames, relinks and indexes', async () => {
    const source = path.join(workspace, 'doc/adr');
    await mkdir(source, { recursive: true });
    await writeFile(
      path.join(source, '0001-use-flask.md'),
      '# 1. Use Flask\n\nDate: 2017-11-11\n\n## Status\n\nSuperceded by [2. Use Django](0002-use-django.md)\n\n## Context\n\na\n\n## Decision\n\nb\n\n## Consequences\n\nc\n',
    );
    await writeFile(
      path.join(source, '0002-use-django.md'),
      '# 2. Use Django\n\nDate: 2018-01-02\n\n## Status\n\nAccepted\n\nSupercedes [1. Use Flask](0001-use-flask.md)\n\n## Context\n\na\n\n## Decision\n\nb\n\n## Consequences\n\nc\n',
    );
    const dry = context({ command: 'import', source: 'doc/adr', 'dry-run': 'true' });
    await run(dry.ctx, { now });
    expect(dry.outputs.values['changed']).toBe('false');
    expect(dry.summary.text).toContain('| 0001-use-flask.md | ADR-001-use-flask.md | 1 |');
    expect(existsSync(path.join(workspace, 'memory-bank/ADR-001-use-flask.md'))).toBe(false);

    const real = context({ command: 'import', source: 'doc/adr' });
    await run(real.ctx, { now });
    expect(JSON.parse(real.outputs.values['files'] ?? '[]')).toEqual([
      'memory-bank/ADR-001-use-flask.md',
      'memory-bank/ADR-002-use-django.md',
      'memory-bank/decisionLog.md',
    ]);
    const log = await readFile(path.join(workspace, 'memory-bank/decisionLog.md'), 'utf8');
    expect(log).toContain(
      '| ADR-001 | [Use Flask](ADR-001-use-flask.md) | superseded | 2017-11-11 | — | [ADR-002](ADR-002-use-django.md) |',
    );
    const lint = context({ command: 'lint' });
    await run(lint.ctx, { now });
    expect(lint.summary.text).toContain('No problems found.');
  });
});
