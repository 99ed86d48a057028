import { describe, expect, it } from '@jest/globals';
import {
  details,
  link,
  mermaid,
  table,
  outputValue,
  runAction,
  MemoryLogger,
  MemoryOutputs,
  MemoryState,
  MemorySummary,
  Inputs,
  mapInputs,
  InputError,
} from '@pipeline-toolkit/core';

describe('summary helpers', () => {
  it('builds a table whose cells cannot break it', () => {
    expect(
      table(
        ['Job', 'Result'],
        [
          ['build | <x>', link('run', 'https://x/y (1)')],
          ['n', 3],
        ],
      ),
    ).toBe('| Job | Result |\n| --- | --- |\n| build \\| \\<x\\> | [run](https://x/y%20%281%29) |\n| n | 3 |\n');
  });
  it('a lone CR in a cell breaks neither the row nor a line of the summary', () => {
    const cell = 'https://x.example/\r\r## Gate: passed\r\n- forged\nend';
    expect(table(['Target'], [[cell]])).toBe('| Target |\n| --- |\n| https://x.example/  ## Gate: passed - forged end |\n');
  });

  it('wraps details and mermaid blocks', () => {
    expect(details('More', 'body')).toBe('<details><summary>More</summary>\n\nbody\n</details>\n');
    expect(mermaid('gantt\n title x\n')).toBe('```mermaid\ngantt\n title x\n```\n');
  });
  it('writes objects as JSON outputs', () => {
    expect(outputValue({ a: 1 })).toBe('{"a":1}');
    expect(outputValue(['x'])).toBe('["x"]');
    expect(outputValue(true)).toBe('true');
    expect(outputValue('plain')).toBe('plain');
  });
});

describe('runAction', () => {
  const context = (values: Record<string, string> = {}) => ({
    inputs: new Inputs(mapInputs(values)),
    log: new MemoryLogger(),
    outputs: new MemoryOutputs(),
    state: new MemoryState(),
    summary: new MemorySummary(),
    env: {},
  });
  it('turns bad input into one error line and exit code 2, redacted, without a stack', async () => {
    const ctx = context();
    ctx.log.setSecret('hunter2-secret');
    const code = await runAction(async () => {
      throw new InputError('x', 'bad value hunter2-secret');
    }, ctx);
    expect(code).toBe(2);
    expect(process.exitCode).toBe(2);
    process.exitCode = 0;
    expect(ctx.log.lines).toEqual([{ level: 'error', message: 'bad value ***' }]);
  });
  it('turns any other error into exit code 1, with the stack in debug', async () => {
    const ctx = context();
    const code = await runAction(async () => {
      throw new Error('server said no');
    }, ctx);
    expect(code).toBe(1);
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    expect(ctx.log.lines[0]).toEqual({ level: 'error', message: 'server said no' });
    expect(ctx.log.lines[1]?.level).toBe('debug');
  });
  it('returns 0 when the body succeeds', async () => {
    const ctx = context({ name: 'v' });
    expect(await runAction(async (c) => c.outputs.set({ name: c.inputs.string('name') }), ctx)).toBe(0);
    expect(ctx.outputs.values).toEqual({ name: 'v' });
  });
});
