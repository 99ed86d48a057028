import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, mapInputs, MemoryLogger } from '@pipeline-toolkit/core';
import { readScanInputs, runScan } from '@pipeline-toolkit/sarif';
import { requireTool, writeFiles } from '@pipeline-toolkit/testing';

/**
 * security-scan applies a repository's .gitleaksignore to Gitleaks reports made without it. It
 * must ignore what the pinned Gitleaks ignores with the same file: a report made without the
 * file, read by security-scan in the repository, suppresses exactly the leaks that Gitleaks,
 * given the file, leaves out. Fingerprints with their commit, without it, with a shortened one.
 */
const FILES: Record<string, string> = {
  'app/a.py': 'aws_access_key_id = "AKIAZ3MSJV4WWNKWW5GF"\n',
  'app/c.py': 'aws_access_key_id = "AKIAQWERTYUIOPASDFGH"\n',
  '.config/b.env': 'token = "ghp_Z3MSJV4WWNKWW5GFabcdefghijklmnopqrstu"\n',
};

let dir: string;
let gitleaks: string;
const repo = () => path.join(dir, 'repo');
beforeAll(async () => {
  gitleaks = requireTool('gitleaks').path;
  dir = await mkdtemp(path.join(tmpdir(), 'ptk-gitleaksignore-'));
  await writeFiles(repo(), FILES);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo() });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'add settings');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Leak {
  Fingerprint: string;
}

/** `gitleaks git` of the repository's history, into `out`; with .gitleaksignore in place or not. */
async function scanWithGitleaks(out: string): Promise<Leak[]> {
  execFileSync(gitleaks, ['git', '--report-format', 'json', '--report-path', out, '--no-banner', '--exit-code', '0', '.'], {
    cwd: repo(),
    stdio: 'ignore',
    timeout: 120_000,
  });
  return JSON.parse(await readFile(out, 'utf8')) as Leak[];
}

it('.gitleaksignore: what security-scan suppresses in a report made without it is what Gitleaks leaves out with it', async () => {
  const plain = await scanWithGitleaks(path.join(dir, 'plain.json'));
  const by = (file: string, rule: string) => plain.find((l) => l.Fingerprint.includes(`:${file}:${rule}:`))!.Fingerprint;
  const commit = by('app/a.py', 'aws-access-token').split(':')[0]!;
  await writeFile(
    path.join(repo(), '.gitleaksignore'),
    [
      '# reviewed',
      by('app/c.py', 'aws-access-token'), // with its commit
      '.config/b.env:generic-api-key:1', // without a commit: every commit
      `${commit.slice(0, 7)}:.config/b.env:github-pat:1`, // a shortened commit
      'app/a.py:aws-access-token:9', // another line
      '',
    ].join('\n'),
  );
  try {
    const kept = (await scanWithGitleaks(path.join(dir, 'ignored.json'))).map((l) => l.Fingerprint);
    const gitleaksLeftOut = plain.map((l) => l.Fingerprint).filter((f) => !kept.includes(f));

    const options = readScanInputs(new Inputs(mapInputs({ 'gitleaks-report': path.join(dir, 'plain.json'), 'fail-on': 'none' })));
    const result = await runScan(options, { log: new MemoryLogger(), env: { RUNNER_TEMP: dir }, cwd: repo() });
    const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as {
      rule: string;
      location: { path: string };
      suppressed: boolean;
    }[];
    const suppressed = findings.filter((f) => f.suppressed).map((f) => `${f.location.path} ${f.rule}`);
    const leftOut = gitleaksLeftOut.map((f) => f.split(':').slice(1, 3).join(' '));
    expect(suppressed.sort()).toEqual(leftOut.sort());
    // what Gitleaks 8.30.1 leaves out here, read from the file: the full fingerprint and the one without a commit
    expect(leftOut.sort()).toEqual(['.config/b.env generic-api-key', 'app/c.py aws-access-token']);
  } finally {
    await rm(path.join(repo(), '.gitleaksignore'));
  }
}, 300_000);
