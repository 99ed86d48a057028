import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { main, type CliIO } from 'pipeline-toolkit';

function io(): CliIO & { printed: string[]; log: MemoryLogger } {
  const printed: string[] = [];
  return { log: new MemoryLogger(), out: (t) => printed.push(t), env: {}, cwd: process.cwd(), printed };
}

describe('pipeline-toolkit', () => {
  it('lists the commands with --help and exits 0', async () => {
    const cli = io();
    expect(await main(['--help'], cli)).toBe(0);
    expect(cli.printed[0]).toContain('Usage: pipeline-toolkit <command> [flags]');
    expect(cli.printed[0]).toMatch(/\n {2}lint +Run the linters/);
    expect(cli.printed[0]).toContain('Exit codes: 0 success, 1 a gate or check failed, 2 bad usage.');
  });

  it('exits 2 without a command and on an unknown one', async () => {
    expect(await main([], io())).toBe(2);
    const cli = io();
    expect(await main(['deploy-everything'], cli)).toBe(2);
    expect(cli.log.lines[0]?.message).toMatch(/^Unknown command 'deploy-everything'\. Commands: .*lint/);
  });

  it('shows a command help with its flags', async () => {
    const cli = io();
    expect(await main(['lint', '--help'], cli)).toBe(0);
    expect(cli.printed[0]).toContain('Usage: pipeline-toolkit lint');
    expect(cli.printed[0]).toContain('--working-directory <value>');
  });

  it('exits 2 on an unknown flag and on a bad value, naming the flag', async () => {
    const unknown = io();
    expect(await main(['lint', '--bogus'], unknown)).toBe(2);
    expect(unknown.log.lines[0]?.message).toBe(
      "Unknown flag '--bogus' for 'pipeline-toolkit lint'.\nRun 'pipeline-toolkit lint --help' for the accepted flags.",
    );
    const bad = io();
    expect(await main(['lint', '--linters', 'pylint'], bad)).toBe(2);
    expect(bad.log.lines[0]?.message).toBe(
      '--linters must list items from auto, ruff, eslint, actionlint, helm, memory-bank, yamllint, mypy, shellcheck, hadolint; unknown: pylint.',
    );
  });

  it('suggests the flag or command that was probably meant', async () => {
    const typo = io();
    expect(await main(['notify', '--stauts', 'failure', '--dry-run'], typo)).toBe(2);
    expect(typo.log.lines[0]?.message).toMatch(/^Unknown flag '--stauts' for 'pipeline-toolkit notify'\. Did you mean --status\?\n/);
    const prefix = io();
    expect(await main(['lint', '--work', '.'], prefix)).toBe(2);
    expect(prefix.log.lines[0]?.message).toContain('Did you mean --working-directory?');
    const command = io();
    expect(await main(['notfy'], command)).toBe(2);
    expect(command.log.lines[0]?.message).toMatch(/^Unknown command 'notfy'\. Did you mean 'notify'\? Commands: /);
    const far = io();
    expect(await main(['lint', '--zzzzzzzz'], far)).toBe(2);
    expect(far.log.lines[0]?.message).not.toContain('Did you mean');
  });

  it('reads booleans as --flag, --flag=true and --flag=false, and refuses other values', async () => {
    const needs = JSON.stringify({ build: { result: 'success' }, test: { result: 'failure' } });
    const on = io();
    expect(await main(['notify', '--needs', needs, '--dry-run=true'], on)).toBe(0);
    expect(JSON.parse(on.printed[0] ?? '')).toEqual(expect.objectContaining({ attachments: expect.any(Array) }));
    const off = io();
    // --dry-run=false means a real send: without a webhook that is a usage error, not a dry run.
    expect(await main(['notify', '--needs', needs, '--dry-run=false'], off)).toBe(2);
    expect(off.printed).toEqual([]);
    expect(off.log.lines[0]?.message).toContain('--webhook-url');
    const bad = io();
    expect(await main(['notify', '--dry-run=yes'], bad)).toBe(2);
    expect(bad.log.lines[0]?.message).toMatch(/^--dry-run is true or false, got 'yes'\./);
    // a name every object inherits is no value of the table
    const inherited = io();
    expect(await main(['notify', '--dry-run=constructor'], inherited)).toBe(2);
    expect(inherited.log.lines[0]?.message).toMatch(/^--dry-run is true or false, got 'constructor'\./);
  });

  it('refuses stray arguments and a flag without its value, and escapes what it quotes', async () => {
    const stray = io();
    expect(await main(['lint', 'src'], stray)).toBe(2);
    expect(stray.log.lines[0]?.message).toMatch(/^Unexpected argument 'src': 'pipeline-toolkit lint' takes only flags/);
    const missing = io();
    expect(await main(['smoke', '--target'], missing)).toBe(2);
    expect(missing.log.lines[0]?.message).toMatch(/^--target needs a value: --target <value> or --target=<value>\./);
    const eaten = io();
    expect(await main(['smoke', '--config', '--target', 'local'], eaten)).toBe(2);
    expect(eaten.log.lines[0]?.message).toMatch(/^--config needs a value/);
    const hostile = io();
    expect(await main(['lint', '--x\n::error::owned'], hostile)).toBe(2);
    expect(hostile.log.lines[0]?.message).toMatch(/^Unknown flag '--x\\n::error::owned'/);
    const afterDash = io();
    expect(await main(['lint', '--', '--linters'], afterDash)).toBe(2);
    expect(afterDash.log.lines[0]?.message).toMatch(/^Unexpected argument '--linters'/);
  });

  it('lint says which linters it skipped, in plain text, and fails when a required one is missing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ptk-lint-'));
    try {
      await writeFile(path.join(dir, 'app.py'), 'print("hi")\n');
      const cli = { ...io(), env: { PATH: path.join(dir, 'no-bin') }, cwd: dir };
      expect(await main(['lint'], cli)).toBe(0);
      const text = cli.printed.join('\n');
      expect(text.split('\n')[0]).toBe('Lint passed, 1 of 1 linter skipped (not installed)');
      expect(text).toMatch(/\nruff +⚠️ skipped \(not installed\) +0 +0 +\d/);
      expect(text).not.toMatch(/[|#]|\*\*/);
      const required = { ...io(), env: cli.env, cwd: dir };
      expect(await main(['lint', '--require', 'ruff,helm'], required)).toBe(1);
      const output = required.printed.join('\n');
      expect(output.split('\n')[0]).toBe('Lint failed');
      expect(output).toMatch(/\nruff +❌ not installed/);
      expect(output).toMatch(/\nhelm +❌ not installed/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('notify --dry-run prints the message as text on a terminal, and the payload JSON when piped or with --json', async () => {
    const needs = '{"build":{"result":"success"},"test":{"result":"failure"}}';
    const env = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/shop', GITHUB_REF_NAME: 'main', GITHUB_SHA: 'a'.repeat(40) };
    const terminal = { ...io(), env, terminal: true };
    expect(await main(['notify', '--needs', needs, '--dry-run'], terminal)).toBe(0);
    const text = terminal.printed.join('\n');
    expect(text.split('\n').slice(0, 2)).toEqual(['[failure]', 'CI/CD PIPELINE FAILED']);
    expect(text).toContain('• test — failed');
    expect(text).toContain('acme/shop');
    expect(text).not.toMatch(/[{}*]|"type"/);
    expect(terminal.log.lines.map((l) => l.message)).toContain(
      'Nothing sent. The payload JSON: add --json (or pipe the output); the message as a page: --preview message.html',
    );
    for (const cli of [
      { ...io(), env, terminal: true },
      { ...io(), env },
    ]) {
      const args = ['notify', '--needs', needs, '--dry-run', ...(cli.terminal ? ['--json'] : [])];
      expect(await main(args, cli)).toBe(0);
      const payload = JSON.parse(cli.printed.join('\n')) as { text: string; attachments: { color: string }[] };
      expect([payload.text, payload.attachments[0]!.color]).toEqual(['CI/CD pipeline failed — acme/shop · main: test', '#E01E5A']);
    }
  });
});
