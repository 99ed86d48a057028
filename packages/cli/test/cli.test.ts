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
    expect(unknown.log.lines[0]?.message).toContain("Unknown option '--bogus'");
    const bad = io();
    expect(await main(['lint', '--linters', 'pylint'], bad)).toBe(2);
    expect(bad.log.lines[0]?.message).toBe(
      '--linters must list items from auto, ruff, eslint, actionlint, helm, memory-bank; unknown: pylint.',
    );
  });
});
