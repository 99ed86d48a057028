import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsoleLogger } from '@pipeline-toolkit/core';
import { main, type CliIO } from 'pipeline-toolkit';
import { startSlack, type SlackStandIn } from '../../slack/test/fakes.ts';

/** Runs the CLI in-process with captured stdout/stderr. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}, cwd = '/nonexistent') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    log: new ConsoleLogger({ out: (l) => out.push(l), err: (l) => err.push(l) }),
    out: (text) => out.push(text),
    env,
    cwd,
  };
  const code = await main(['notify', ...argv], io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await startSlack();
});
afterAll(() => slack.close());

const seam = { PIPELINE_TOOLKIT_TEST_SLACK_LOOPBACK: 'true' };

describe('pipeline-toolkit notify', () => {
  it('names the repository, branch and commit of the git checkout it runs in, outside Actions', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ptk-notify-git-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();
      git('init', '--quiet', '--initial-branch', 'feature/login');
      git('remote', 'add', 'origin', 'git@github.com:acme/shop.git');
      await writeFile(path.join(dir, 'a.txt'), 'a\n');
      git('add', 'a.txt');
      git('commit', '--quiet', '-m', 'first');
      const sha = git('rev-parse', 'HEAD');
      const env = { PATH: process.env['PATH'] ?? '' };
      const { code, stdout } = await cli(['--status', 'success', '--dry-run'], env, dir);
      expect(code).toBe(0);
      expect(stdout).toContain('acme/shop');
      expect(stdout).toContain('feature/login');
      expect(stdout).toContain(sha.slice(0, 7));
      expect(stdout).toContain(`https://github.com/acme/shop/commit/${sha}`);
      // Inside Actions the runner's variables are the truth, never the checkout.
      const actions = await cli(['--status', 'success', '--dry-run'], { ...env, GITHUB_ACTIONS: 'true' }, dir);
      expect(actions.stdout).not.toContain('feature/login');
      expect(actions.stdout).not.toContain('acme/shop');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints the payload of a dry run', async () => {
    const { code, stdout } = await cli(
      ['--status', 'failure', '--needs', '{"build":{"result":"failure"},"test":{"result":"success"}}', '--dry-run', '--language', 'pt-BR'],
      {
        GITHUB_REPOSITORY: 'acme/shop',
      },
    );
    expect(code).toBe(0);
    const payload = JSON.parse(stdout) as { text: string; attachments: { color: string }[] };
    expect(payload.text).toBe('Pipeline CI/CD falhou — acme/shop: build');
    expect(payload.attachments[0]?.color).toBe('#E01E5A');
  });

  it('derives the status from --needs', async () => {
    const { code, stdout } = await cli(['--needs', '{"build":{"result":"cancelled"}}', '--dry-run']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).attachments[0].color).toBe('#9E9E9E');
  });

  it('shows help with every flag', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--webhook-url',
      '--status',
      '--needs',
      '--language',
      '--smoke-report',
      '--mention-on-failure',
      '--retry-5xx',
      '--dry-run',
      '--fail-on-error',
      '--notify-on',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it('exits 2 on bad usage, naming the flag', async () => {
    expect(await cli(['--status', 'bogus', '--dry-run'])).toMatchObject({
      code: 2,
      stderr: "error: --status must be one of success, failure, cancelled, got 'bogus'.",
    });
    expect(await cli(['--status', 'success'])).toMatchObject({
      code: 2,
      stderr: 'error: --webhook-url (or --slack-token with --channel) is required unless --dry-run is true.',
    });
    expect((await cli(['--status', 'success', '--colour', 'red'])).code).toBe(2);
  });

  it('sends one message to the webhook from $SLACK_WEBHOOK and exits 0', async () => {
    const before = slack.accepted().length;
    const { code, stdout } = await cli(['--status', 'success'], { ...seam, SLACK_WEBHOOK: slack.webhook('ok') });
    expect(code).toBe(0);
    expect(slack.accepted().length - before).toBe(1);
    expect(stdout).toContain('Slack message sent (success).');
  });

  it('exits 1 when Slack refuses the message, without printing the webhook; 0 with a warning when fail-on-error is false', async () => {
    const webhook = slack.webhook('channel_not_found');
    const failed = await cli(['--status', 'failure', '--webhook-url', webhook], seam);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("The webhook's channel no longer exists (channel_not_found).");
    const tolerated = await cli(['--status', 'failure', '--webhook-url', webhook, '--fail-on-error', 'false'], seam);
    expect(tolerated.code).toBe(0);
    expect(tolerated.stderr).toContain('warning: ');
    for (const run of [failed, tolerated]) expect(run.stdout + run.stderr).not.toContain(webhook);
  });
});
