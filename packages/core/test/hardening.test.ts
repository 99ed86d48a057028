import { describe, expect, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ActionsLogger,
  ConsoleLogger,
  exec,
  quoteValue,
  readRepositoryText,
  readTextFile,
  refusalText,
  scrubbedEnv,
  scrubbing,
  singleLine,
  visibleControls,
  type FileRefusal,
} from '@pipeline-toolkit/core';
import { lines, OUTPUT_LIMIT } from '../src/exec.ts';

/** What the runner would execute: lines that start with `::` outside a stop-commands block. */
function executed(lines: string[]): string[] {
  const run: string[] = [];
  let stopToken: string | undefined;
  for (const raw of lines.flatMap((l) => l.split(/\r\n|\r|\n/))) {
    const line = raw.trimStart();
    if (stopToken) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) {
      stopToken = stop[1];
      continue;
    }
    if (line.startsWith('::') || line.startsWith('##[')) run.push(line);
  }
  return run;
}

describe('log lines are data, never workflow commands', () => {
  const hostile = ['ok\n::error title=x::owned', '  ::warning::x', 'a\r::set-output name=x::y', '##[error]legacy', 'x\r\n::add-mask::v'];

  it('wraps command-like info lines in stop-commands and keeps them readable', () => {
    const lines: string[] = [];
    const log = new ActionsLogger({ write: (l) => lines.push(l) });
    for (const text of hostile) log.info(text);
    expect(executed(lines)).toEqual([]);
    expect(lines).toContain('::error title=x::owned');
    expect(lines.filter((l) => l.startsWith('::stop-commands::'))).toHaveLength(hostile.length);
  });

  it('escapes annotations, titles and files, so one message is one command', () => {
    const lines: string[] = [];
    const log = new ActionsLogger({ write: (l) => lines.push(l) });
    for (const text of hostile) log.error(text, { title: text, file: text });
    expect(lines.every((l) => l.startsWith('::error ') && !l.includes('\n') && !l.includes('\r'))).toBe(true);
    expect(lines[0]).toBe(
      '::error title=ok%0A%3A%3Aerror title=x%3A%3Aowned,file=ok%0A%3A%3Aerror title=x%3A%3Aowned::ok%0A::error title=x::owned',
    );
  });

  it('the CLI logger, which a job may run, wraps them too', () => {
    const lines: string[] = [];
    const log = new ConsoleLogger({ out: (l) => lines.push(l), err: (l) => lines.push(l) });
    for (const text of hostile) log.info(text);
    expect(executed(lines)).toEqual([]);
  });

  it('shows control characters as escapes', () => {
    const lines: string[] = [];
    const log = new ActionsLogger({ write: (l) => lines.push(l) });
    log.info('red \u001b[31mX\u001b[0m bell\u0007 nul\u0000 rlo\u202e!');
    log.warning('del\u007f');
    expect(lines).toEqual(['red \\x1b[31mX\\x1b[0m bell\\x07 nul\\x00 rlo\\u202e!', '::warning::del\\x7f']);
    expect(visibleControls('tab\tline\nend')).toBe('tab\tline\nend');
    expect(singleLine('a\nb\rc')).toBe('a\\nb\\rc');
  });

  it('quotes long values with their first 200 characters and their size', () => {
    expect(quoteValue('short')).toBe("'short'");
    const long = 'x'.repeat(20_480);
    expect(quoteValue(long)).toBe(`'${'x'.repeat(200)}…' (20.0 KB, first 200 characters shown)`);
  });
});

describe('exec output', () => {
  const writer = (stream: 'stdout' | 'stderr') =>
    `const b = 'x'.repeat(65536); (function w() { while (process.${stream}.write(b)); process.${stream}.once('drain', w); })()`;

  it('keeps at most 256 MiB of each stream by default', () => {
    expect(OUTPUT_LIMIT).toBe(256 * 1024 * 1024);
  });

  it.each(['stdout', 'stderr'] as const)('stops a program that writes endlessly to %s, naming the stream and the limit', async (stream) => {
    const name = stream === 'stdout' ? 'standard output' : 'standard error';
    await expect(exec(process.execPath, ['-e', writer(stream)], { maxOutputBytes: 1 << 20 })).rejects.toThrow(
      `wrote more than 1.0 MB to its ${name} and was stopped (at most 1.0 MB of a program's output is kept).`,
    );
  });

  it('fails a program that wrote too much even when it had exited by then; up to the limit, the output is whole', async () => {
    const write = (bytes: number) => ['-e', `process.stdout.write('é'.repeat(${bytes / 2}))`];
    await expect(exec(process.execPath, write(3 << 20), { maxOutputBytes: 1 << 20 })).rejects.toThrow(/wrote more than 1\.0 MB/);
    const { stdout } = await exec(process.execPath, write(1 << 20), { maxOutputBytes: 1 << 20 });
    expect(stdout).toBe('é'.repeat(1 << 19));
  });

  it('splits streamed output into lines, a line over many chunks and a CRLF cut between two chunks included', () => {
    const seen: string[] = [];
    const split = lines((line) => seen.push(line));
    for (const chunk of ['ab', 'c\r', '\nde\n\n', ...Array.from({ length: 300 }, () => 'f'.repeat(1000)), 'g\r\nh']) split.push(chunk);
    split.end();
    expect(seen).toEqual(['abc', 'de', '', `${'f'.repeat(300_000)}g`, 'h']);
  });
});

describe('readTextFile', () => {
  it('reads a file up to the limit, and refuses a larger one by its size without reading it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ptk-read-'));
    const file = path.join(dir, 'config.yml');
    await writeFile(file, 'é'.repeat(5)); // 10 bytes
    expect(await readTextFile(file, 10, () => assert.fail('within the limit'))).toBe('é'.repeat(5));
    const refused: string[] = [];
    const tooLarge = (refusal: FileRefusal): never => {
      assert.equal(refusal.kind, 'too-large');
      refused.push(refusal.size);
      throw new Error(`too large: ${refusal.size}`);
    };
    await expect(readTextFile(file, 9, tooLarge)).rejects.toThrow('too large: 10 B');
    // sparse: 3 GB on paper, more than any string holds; refused from its size alone
    await truncate(file, 3 * 1024 ** 3);
    await expect(readTextFile(file, 1 << 20, tooLarge)).rejects.toThrow('too large: 3072.0 MB');
    expect(refused).toEqual(['10 B', '3072.0 MB']);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('exec deadline', () => {
  it('stops a program that outlives its deadline and names the limit', async () => {
    const started = Date.now();
    await expect(
      exec(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 300, timeoutInput: 'scan-timeout' }),
    ).rejects.toThrow(/did not finish within its deadline \(scan-timeout: 300ms\) and was stopped/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('kills a program that ignores SIGTERM after the grace period', async () => {
    await expect(
      exec(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { timeoutMs: 200 }),
    ).rejects.toThrow(/deadline \(200ms\)/);
  }, 15_000);

  it('stops a program when the step is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(exec(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { signal: controller.signal })).rejects.toThrow(
      /was stopped: the step was cancelled/,
    );
  });
});

describe("scrubbedEnv: a scanner's environment without the job's credentials (ADR-051)", () => {
  const JOB = {
    'INPUT_GITHUB-TOKEN': 'ghs_input0123456789',
    'INPUT_SLACK-WEBHOOK-URL': 'https://hooks.slack.com/services/T/B/x',
    GITHUB_TOKEN: 'ghs_env0123456789',
    GH_TOKEN: 'gho_cli0123456789',
    ACTIONS_RUNTIME_TOKEN: 'eyJruntime',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'eyJoidc',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.example/idtoken',
    input_lower: 'also an input on Windows',
    PATH: '/usr/bin',
    HOME: '/home/runner',
    HTTPS_PROXY: 'http://proxy:3128',
    NO_PROXY: 'localhost',
    SSL_CERT_FILE: '/etc/ssl/ca.pem',
    TRIVY_USERNAME: 'mirror',
    SEMGREP_APP_TOKEN: 'kept: Semgrep reads it itself',
    GITLEAKS_CONFIG: '.gitleaks.toml',
    RUNNER_TEMP: '/tmp/runner',
    GITHUB_REPOSITORY: 'acme/shop',
    ACTIONS_RESULTS_URL: 'https://results.example/',
  };
  const KEPT = [
    'PATH',
    'HOME',
    'HTTPS_PROXY',
    'NO_PROXY',
    'SSL_CERT_FILE',
    'TRIVY_USERNAME',
    'SEMGREP_APP_TOKEN',
    'GITLEAKS_CONFIG',
    'RUNNER_TEMP',
    'GITHUB_REPOSITORY',
    'ACTIONS_RESULTS_URL',
  ];

  it('drops every INPUT_* variable and the known token variables, and keeps the rest', () => {
    expect(Object.keys(scrubbedEnv(JOB)).sort()).toEqual([...KEPT].sort());
  });

  it('exec with scrubEnv (and an exec wrapped by scrubbing) gives the program that environment', async () => {
    const printEnv = ['-e', 'process.stdout.write(JSON.stringify(process.env))'];
    for (const run of [
      () => exec(process.execPath, printEnv, { env: JOB, scrubEnv: true }),
      () => scrubbing(exec)(process.execPath, printEnv, { env: JOB }),
    ]) {
      const seen = JSON.parse((await run()).stdout) as Record<string, string>;
      for (const name of KEPT) expect(seen[name]).toBe(JOB[name as keyof typeof JOB]);
      expect(Object.keys(seen).filter((name) => /^INPUT_|TOKEN$|TOKEN_REQUEST/i.test(name) && name !== 'SEMGREP_APP_TOKEN')).toEqual([]);
    }
    // without the option, everything is passed, as before
    const all = JSON.parse((await exec(process.execPath, printEnv, { env: JOB })).stdout) as Record<string, string>;
    expect(all['INPUT_GITHUB-TOKEN']).toBe('ghs_input0123456789');
  });
});

describe('readTextFile: what is not a regular file, and a file longer than its stated size', () => {
  /** The refusal as an error, for rejects.toThrow. */
  const refuse = (refusal: FileRefusal): never => {
    throw new Error(refusalText(refusal, 'a test file'));
  };

  it('refuses a named pipe, a device and a directory without reading them (a pipe without a writer does not block)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ptk-read-'));
    const pipe = path.join(dir, 'pipe');
    execFileSync('mkfifo', [pipe]);
    await expect(readTextFile(pipe, 1 << 20, refuse)).rejects.toThrow('is a named pipe, not a regular file');
    await expect(readTextFile('/dev/zero', 1 << 20, refuse)).rejects.toThrow('is a character device, not a regular file');
    await expect(readTextFile(dir, 1 << 20, refuse)).rejects.toThrow('is a directory, not a regular file');
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file whose size says 0 to its end (procfs), and refuses it once what is read passes the limit', async () => {
    // /proc/self/status is a regular file of size 0 with a page of text: read past its stated size
    const status = await readTextFile('/proc/self/status', 1 << 20, refuse);
    expect(status).toMatch(/^Name:\t/);
    expect(status).toMatch(/\nPid:\t\d+\n/);
    await expect(readTextFile('/proc/self/status', 100, refuse)).rejects.toThrow(/^is 10\d B; a test file is read whole, up to 100 B$/);
  });
});

describe('readRepositoryText', () => {
  const refuse = (refusal: FileRefusal): never => {
    throw new Error(refusalText(refusal, 'an ignore file'));
  };

  it('reads a file of the repository, through a link inside it; no file, or a link to nothing, is undefined', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ptk-repo-'));
    await mkdir(path.join(root, 'config'));
    await writeFile(path.join(root, 'config', 'ignore'), 'CVE-1\n');
    await symlink('config/ignore', path.join(root, '.trivyignore'));
    await symlink('missing', path.join(root, '.gitleaksignore'));
    expect(await readRepositoryText(root, '.trivyignore', 1024, refuse)).toBe('CVE-1\n');
    expect(await readRepositoryText(root, '.semgrepignore', 1024, refuse)).toBeUndefined();
    expect(await readRepositoryText(root, '.gitleaksignore', 1024, refuse)).toBeUndefined();
    await rm(root, { recursive: true, force: true });
  });

  it('refuses a link that leads outside the repository (a file, /proc/self/environ, /dev/zero), naming where it leads', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'ptk-outside-'));
    const root = await mkdtemp(path.join(tmpdir(), 'ptk-repo-'));
    await writeFile(path.join(outside, 'secret'), 'token');
    await symlink(path.join(outside, 'secret'), path.join(root, 'a'));
    await symlink('/proc/self/environ', path.join(root, 'b'));
    await symlink('/dev/zero', path.join(root, 'c'));
    await expect(readRepositoryText(root, 'a', 1024, refuse)).rejects.toThrow(
      `leads to '${path.join(outside, 'secret')}', outside the repository: refused`,
    );
    await expect(readRepositoryText(root, 'b', 1024, refuse)).rejects.toThrow(
      /^leads to '\/proc\/\d+\/environ', outside the repository: refused$/,
    );
    await expect(readRepositoryText(root, 'c', 1024, refuse)).rejects.toThrow("leads to '/dev/zero', outside the repository: refused");
    // a pipe inside the repository is inside, and still not read
    execFileSync('mkfifo', [path.join(root, 'd')]);
    await expect(readRepositoryText(root, 'd', 1024, refuse)).rejects.toThrow('is a named pipe, not a regular file');
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });
});
