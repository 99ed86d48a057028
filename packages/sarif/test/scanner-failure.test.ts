import { describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec, ExternalError, MemoryLogger } from '@pipeline-toolkit/core';
import { runAvailableScanners, SCANNERS } from '../src/index.ts';
import { fixture } from './helpers.ts';

const semgrepRun = SCANNERS.find((s) => s.tool.id === 'semgrep')!.run!;
const failed = { exitCode: 7, stdout: '', stderr: '' };
const explain = (report: string) => semgrepRun.explainFailure!(report, failed);
const errorFixture = (name: string) => fixture(`semgrep/semgrep-1.185.0-error-${name}.json`);

describe("Semgrep's failure explained from its report (it writes nothing else with --quiet --json --output)", () => {
  it('a rule without message: the schema error with the rule file and line, then the summary error', async () => {
    expect(await explain(errorFixture('missing-message'))).toBe(
      [
        'Semgrep reports 2 errors:',
        "- InvalidRuleSchemaError: One of these properties is missing: 'message' (/tmp/semgrep-errors/repo/rules/missing-message.yml:2)",
        '- SemgrepError: invalid configuration file found (1 configs were invalid)',
      ].join('\n'),
    );
  });

  it('a pattern that does not parse: the message on one line, the type not repeated, the rule named', async () => {
    expect(await explain(errorFixture('bad-pattern'))).toBe(
      [
        'Semgrep reports this error:',
        '- Rule parse error in rule rules.unclosed-call: Invalid pattern for Python: Stdlib.Parsing.Parse_error ----- pattern ----- eval( ----- end pattern ----- (rule rules.unclosed-call)',
      ].join('\n'),
    );
  });

  it('a file that is not YAML: the file and the parser lines', async () => {
    expect(await explain(errorFixture('not-yaml'))).toBe(
      [
        'Semgrep reports 2 errors:',
        `- SemgrepError: Invalid YAML file /tmp/semgrep-errors/repo/rules/not-yaml.yml: while parsing a flow mapping in "<file>", line 1, column 10 expected ',' or '}', but got '<stream end>' in "<file>", line 2, column 1`,
        '- SemgrepError: invalid configuration file found (1 configs were invalid)',
      ].join('\n'),
    );
  });

  it('an unknown language: the long message, cut at 400 characters', async () => {
    const text = (await explain(errorFixture('unknown-language')))!;
    const [head, line, ...rest] = text.split('\n');
    expect(head).toBe('Semgrep reports this error:');
    expect(rest).toEqual([]);
    expect(line).toMatch(/^- UnknownLanguageError: unsupported language: cobol\. supported languages are: apex, bash, /);
    // "- UnknownLanguageError: " then at most 400 characters, the last one the ellipsis
    expect(line!.length).toBe('- UnknownLanguageError: '.length + 400);
    expect(line!.endsWith('…')).toBe(true);
  });

  it('tells the first five errors (errors before warnings) and how many more there are', async () => {
    // the errors of the four real reports together (6), with a warning from another real report first
    const errors = [];
    const warning = JSON.parse(await readFile(fixture('semgrep/semgrep-json-with-errors-cwe-owasp.json'), 'utf8')).errors[0];
    expect(warning.level).toBe('warn');
    errors.push(warning);
    for (const name of ['missing-message', 'bad-pattern', 'unknown-language', 'not-yaml'])
      errors.push(...JSON.parse(await readFile(errorFixture(name), 'utf8')).errors);
    const dir = await mkdtemp(path.join(tmpdir(), 'semgrep-fail-'));
    const report = path.join(dir, 'semgrep.json');
    await writeFile(report, JSON.stringify({ version: '1.185.0', results: [], errors }));
    const lines = (await explain(report))!.split('\n');
    expect(lines[0]).toBe('Semgrep reports 7 errors:');
    expect(lines.slice(1, 6).map((l) => l.split(':')[0])).toEqual([
      '- InvalidRuleSchemaError',
      '- SemgrepError',
      '- Rule parse error in rule rules.unclosed-call',
      '- UnknownLanguageError',
      '- SemgrepError',
    ]);
    expect(lines.slice(6)).toEqual([`… and 2 more in ${report}`]);
  });

  it('no report, an unfinished one, or one without errors: no explanation (the output is shown instead)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'semgrep-fail-'));
    expect(await explain(path.join(dir, 'missing.json'))).toBeUndefined();
    await writeFile(path.join(dir, 'cut.json'), '{"version": "1.185.0", "results": [], "errors": [{"code": 2, "le');
    expect(await explain(path.join(dir, 'cut.json'))).toBeUndefined();
    expect(await explain(fixture('semgrep/semgrep-json-critical-severity.json'))).toBeUndefined();
  });
});

describe('run-scanners: a scanner that fails', () => {
  /** A program standing in for semgrep: copies a real failed run's report to --output and exits as Semgrep did. */
  async function failingSemgrep(report: string, exitCode: number, stderr = ''): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'semgrep-bin-'));
    const bin = path.join(dir, 'semgrep');
    await writeFile(
      bin,
      `#!/bin/sh\nwhile [ "$1" != "--output" ]; do shift; done\ncp ${JSON.stringify(report)} "$2"\nprintf '%s' ${JSON.stringify(stderr)} >&2\nexit ${exitCode}\n`,
    );
    await chmod(bin, 0o755);
    return bin;
  }

  it("fails naming the scanner and exit code, with Semgrep's errors from its report, redacted", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'scanners-'));
    const bin = await failingSemgrep(errorFixture('missing-message'), 7);
    const log = new MemoryLogger();
    log.setSecret('missing-message');
    const run = runAvailableScanners(
      ['semgrep'],
      { workspace: '/ws', outDir, semgrepConfig: ['rules'] },
      { exec, log, env: {}, which: (name) => (name === 'semgrep' ? bin : undefined) },
    );
    await expect(run).rejects.toThrow(ExternalError);
    const error = (await run.then(
      () => undefined,
      (e: unknown) => e as Error,
    ))!;
    expect(error.message).toBe(
      [
        `run-scanners: Semgrep failed: '${bin} scan --config' exited with code 7:`,
        'Semgrep reports 2 errors:',
        "- InvalidRuleSchemaError: One of these properties is missing: 'message' (/tmp/semgrep-errors/repo/rules/***.yml:2)",
        '- SemgrepError: invalid configuration file found (1 configs were invalid)',
      ].join('\n'),
    );
    // the run's group in the log says the same
    expect(log.lines.map((l) => l.message)).toContain(error.message);
    expect(JSON.stringify(log.lines)).not.toContain('missing-message');
  });

  it('without errors in the report, the tail of its output', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'scanners-'));
    const bin = await failingSemgrep(fixture('semgrep/semgrep-json-critical-severity.json'), 2, 'semgrep: out of memory\n');
    const run = runAvailableScanners(
      ['semgrep'],
      { workspace: '/ws', outDir, semgrepConfig: ['rules'] },
      { exec, log: new MemoryLogger(), env: {}, which: (name) => (name === 'semgrep' ? bin : undefined) },
    );
    await expect(run).rejects.toThrow(`run-scanners: Semgrep failed: '${bin} scan --config' exited with code 2:\nsemgrep: out of memory`);
  });
});
