import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ActionOutputs, ActionState, ActionSummary, ExternalError, MemoryLogger, Redactor, exec } from '@pipeline-toolkit/core';
import { createRunnerEnv, type RunnerEnv } from '@pipeline-toolkit/testing';

let runner: RunnerEnv;
const saved = { ...process.env };

beforeEach(async () => {
  runner = await createRunnerEnv();
  Object.assign(process.env, runner.env);
});
afterEach(async () => {
  process.env = { ...saved };
  await runner.cleanup();
});

describe('file commands', () => {
  it('writes outputs (objects as JSON, multi-line safe) and redacts them', async () => {
    const redactor = new Redactor();
    redactor.add('tok-123456');
    await new ActionOutputs(redactor).set({ sent: true, payload: { text: 'a\nb' }, note: 'uses tok-123456' });
    expect(await runner.outputs()).toEqual({ sent: 'true', payload: '{"text":"a\\nb"}', note: 'uses ***' });
  });

  it('saves state for the post step and reads it back from STATE_*', async () => {
    await new ActionState().save('lock', { holder: 'run-1', colour: 'blue' });
    const saved = await runner.state();
    process.env['STATE_lock'] = saved['lock'];
    expect(new ActionState().get('lock')).toEqual({ holder: 'run-1', colour: 'blue' });
    expect(new ActionState().get('missing')).toBeUndefined();
  });

  it('are written byte for byte as @actions/core writes them, but for the random delimiter', async () => {
    const core = await import('@actions/core');
    const outputs = runner.env['GITHUB_OUTPUT']!;
    const read = async () => (await readFile(outputs, 'utf8')).replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIMITER');
    const values: [string, string][] = [
      ['plain', 'value'],
      ['multi-line', 'a\nb\r\nc'],
      ['empty', ''],
      ['unicode', 'é 😀 %0A ::'],
    ];
    for (const [name, value] of values) core.setOutput(name, value);
    const theirs = await read();
    await writeFile(outputs, '');
    await new ActionOutputs(new Redactor()).set(Object.fromEntries(values));
    expect(await read()).toBe(theirs);
    await core.summary.addRaw('## Summary\n| a |\n', true).write();
    const summary = await runner.summary();
    await writeFile(runner.env['GITHUB_STEP_SUMMARY']!, '');
    await new ActionSummary(new Redactor()).write('## Summary\n| a |\n');
    expect(await runner.summary()).toBe(summary);
  });

  it('appends redacted markdown to the job summary', async () => {
    const redactor = new Redactor();
    redactor.add('hunter2-password');
    const summary = new ActionSummary(redactor);
    await summary.write('## One\npassword hunter2-password\n');
    await summary.write('## Two\n');
    expect(await runner.summary()).toBe('## One\npassword ***\n\n## Two\n\n');
  });

  it("keeps the step's summary within GitHub's 1 MiB: what would pass it is cut at a whole line, with a note", async () => {
    const summary = new ActionSummary(new Redactor());
    // rows of a table, with a three-byte character in each, about 700 KB a write
    const rows = (from: number) => Array.from({ length: 7000 }, (_, i) => `| row ${from + i} | ${'€'.repeat(30)} |`).join('\n');
    await summary.write(`## One\n${rows(0)}\n`);
    await summary.write(`## Two\n${rows(7000)}\n`);
    await summary.write('## Three\n');
    const text = await runner.summary();
    const size = Buffer.byteLength(text);
    expect(size).toBeLessThanOrEqual(1024 * 1024);
    expect(size).toBeGreaterThan(1024 * 1024 - 200);
    const lines = text.split('\n');
    const note = lines.indexOf("> This summary was cut here: GitHub keeps at most 1 MiB of a step's summary.");
    expect(note).toBeGreaterThan(7000);
    expect(lines.slice(note + 1)).toEqual(['']);
    // every line before the note is whole: a header, a full table row, or empty
    for (const line of lines.slice(0, note)) expect(line).toMatch(/^(?:## (?:One|Two)|\| row \d+ \| (?:€){30} \||)$/);
    expect(text).toContain('| row 6999 |');
    // nothing fits any more: later writes add nothing, and the summary stays as it was
    expect(text).not.toContain('## Three');
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
  });
});

describe('exec', () => {
  it('runs a program with an argument array, no shell, and captures its output', async () => {
    const result = await exec(process.execPath, ['-e', 'console.log(process.argv[1]); console.error("err")', '$(touch /tmp/x) && echo;']);
    expect(result).toEqual({ exitCode: 0, stdout: '$(touch /tmp/x) && echo;\n', stderr: 'err\n' });
  });

  it('passes standard input and accepts listed exit codes', async () => {
    const result = await exec(process.execPath, ['-e', 'process.stdin.pipe(process.stdout); process.exitCode = 3'], {
      input: 'hello',
      okExitCodes: [3],
    });
    expect(result.stdout).toBe('hello');
    expect(result.exitCode).toBe(3);
  });

  it('turns an unexpected exit code into an error with the last lines of output, redacted', async () => {
    const log = new MemoryLogger();
    log.setSecret('sekret-value');
    const failing = exec(process.execPath, ['-e', 'console.error("bad token sekret-value"); process.exit(2)'], { logger: log });
    await expect(failing).rejects.toThrow(ExternalError);
    await expect(
      exec(process.execPath, ['-e', 'console.error("bad token sekret-value"); process.exit(2)'], { logger: log }),
    ).rejects.toThrow(/exited with code 2:\nbad token \*\*\*$/);
  });

  it("shows the program's own explanation of a failure in place of its output, redacted", async () => {
    const log = new MemoryLogger();
    log.setSecret('sekret-value');
    const seen: number[] = [];
    const failing = exec(process.execPath, ['-e', 'console.error("noise"); process.exit(7)'], {
      logger: log,
      explainFailure: (result) => {
        seen.push(result.exitCode);
        return result.stderr.includes('noise') ? 'rule file sekret-value.yml is invalid' : undefined;
      },
    });
    await expect(failing).rejects.toThrow(/exited with code 7:\nrule file \*\*\*\.yml is invalid$/);
    expect(seen).toEqual([7]);
    // no explanation: the tail of the output, as before; an accepted code asks for none
    await expect(
      exec(process.execPath, ['-e', 'console.error("noise"); process.exit(7)'], { explainFailure: () => undefined }),
    ).rejects.toThrow(/exited with code 7:\nnoise$/);
    await exec(process.execPath, ['-e', 'process.exit(1)'], { okExitCodes: [1], explainFailure: () => Promise.reject(new Error('asked')) });
  });

  it('drops colour codes from the output shown (Gitleaks colours its log even when not on a terminal)', async () => {
    // what gitleaks 8.30.1 wrote to a file for a .toml it could not parse
    const stderr =
      '\u001b[90m4:54AM\u001b[0m \u001b[31mFTL\u001b[0m \u001b[1munable to load gitleaks config, err: While parsing config: toml: expected character =\u001b[0m\n';
    await expect(exec(process.execPath, ['-e', `process.stderr.write(${JSON.stringify(stderr)}); process.exit(1)`])).rejects.toThrow(
      /exited with code 1:\n4:54AM FTL unable to load gitleaks config, err: While parsing config: toml: expected character =$/,
    );
  });

  it('names a program that does not exist', async () => {
    await expect(exec('definitely-not-a-program-ptk', ['--version'])).rejects.toThrow("Could not run 'definitely-not-a-program-ptk'");
  });
});
