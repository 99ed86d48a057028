import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError, MemoryLogger } from '@pipeline-toolkit/core';
import { failedJobsFromNeeds, parseNeeds, readSmokeReport, statusFromNeeds, summariseSmoke } from '@pipeline-toolkit/slack';

describe('needs', () => {
  const label = "Input 'needs'";
  it('reads toJSON(needs) and derives the status from it', () => {
    const needs = parseNeeds(
      JSON.stringify({
        build: { result: 'success', outputs: { image: 'x' } },
        test: { result: 'failure', outputs: {} },
        lint: { result: 'cancelled' },
      }),
      label,
    );
    expect(needs).toEqual({ build: 'success', test: 'failure', lint: 'cancelled' });
    expect(statusFromNeeds(needs)).toBe('failure');
    expect(failedJobsFromNeeds(needs)).toEqual([
      { name: 'test', conclusion: 'failure' },
      { name: 'lint', conclusion: 'cancelled' },
    ]);
    expect(statusFromNeeds({ a: 'success', b: 'cancelled', c: 'skipped' })).toBe('cancelled');
    expect(statusFromNeeds({ a: 'success', c: 'skipped' })).toBe('success');
    expect(statusFromNeeds({})).toBe('success');
  });

  it.each([
    ['{not json', 'must be the JSON of toJSON(needs)'],
    ['[1,2]', 'got an array'],
    ['"text"', 'got string'],
    ['{"build":{"outputs":{}}}', "job 'build' has no result"],
    ['{"build":{"result":"exploded"}}', "job 'build' has no result (expected one of success, failure, cancelled, skipped)"],
  ])('rejects %s naming the input', (text, reason) => {
    const attempt = () => parseNeeds(text, label);
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(reason);
    expect(attempt).toThrow("Input 'needs' must be the JSON of toJSON(needs)");
  });
});

describe('smoke-test result', () => {
  const write = async (content: string) => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'ptk-smoke-')), 'smoke.json');
    await writeFile(file, content);
    return file;
  };

  it('reads counts and failed critical checks from the smoke-test JSON', async () => {
    const file = await write(
      JSON.stringify({
        summary: { passed: 5, failed: 2, flaky: 1, skipped: 1 },
        checks: [
          { name: 'health', tags: ['smoke'], status: 'passed', durationMs: 12 },
          { name: 'checkout', tags: ['smoke', 'critical'], status: 'failed', error: 'HTTP 500' },
          { name: 'search', tags: ['smoke'], status: 'failed' },
          { name: 'login', tags: ['critical', 'flaky'], status: 'flaky' },
        ],
      }),
    );
    const log = new MemoryLogger();
    expect(await readSmokeReport(file, log)).toEqual({ passed: 5, failed: 2, flaky: 1, skipped: 1, failedCritical: ['checkout'] });
    expect(log.lines).toEqual([]);
  });

  it('counts from the checks when the summary is missing or partial', () => {
    expect(
      summariseSmoke({
        summary: { passed: 'many' },
        checks: [{ name: 'a', status: 'passed' }, { name: 'b', status: 'skipped' }, { status: 'failed', tags: ['critical'] }, null],
      }),
    ).toEqual({ passed: 1, failed: 1, flaky: 0, skipped: 1, failedCritical: ['(unnamed check)'] });
  });

  it('is tolerant: an absent file is noted, a malformed one is a warning, neither is an error', async () => {
    const log = new MemoryLogger();
    expect(await readSmokeReport('/nonexistent/smoke.json', log)).toBeUndefined();
    expect(log.lines).toEqual([
      { level: 'info', message: 'No smoke-test result at /nonexistent/smoke.json; the message will not include smoke results.' },
    ]);
    expect(await readSmokeReport(await write('{"checks": 3}'), log)).toBeUndefined();
    expect(await readSmokeReport(await write('not json'), log)).toBeUndefined();
    expect(log.lines.filter((l) => l.level === 'warning')).toHaveLength(2);
    expect(log.lines[1]?.message).toContain('expected a JSON object with summary and checks');
  });

  it('a result that is a pipe or a device is a warning, read neither without end nor waiting for a writer', async () => {
    const log = new MemoryLogger();
    const pipe = path.join(await mkdtemp(path.join(tmpdir(), 'smoke-pipe-')), 'smoke.json');
    execFileSync('mkfifo', [pipe]);
    expect(await readSmokeReport(pipe, log)).toBeUndefined();
    expect(await readSmokeReport('/dev/zero', log)).toBeUndefined();
    expect(log.lines).toEqual([
      {
        level: 'warning',
        message: `Could not read the smoke-test result ${pipe} (is a named pipe, not a regular file); the message will not include smoke results.`,
      },
      {
        level: 'warning',
        message:
          'Could not read the smoke-test result /dev/zero (is a character device, not a regular file); the message will not include smoke results.',
      },
    ]);
  });
});
