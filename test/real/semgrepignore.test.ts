import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitignore, globCompiler, readSemgrepIgnore } from '@pipeline-toolkit/sarif';
import { requireTool, writeFiles } from '@pipeline-toolkit/testing';

/**
 * security-scan applies a repository's .semgrepignore to Semgrep reports made elsewhere. It must
 * decide as the pinned Semgrep decides when it scans: the files Semgrep reads from a tree with a
 * .semgrepignore are the files security-scan keeps open. Folders and files named with a dot,
 * `!` after an ignored folder, anchored and folder-only patterns.
 */
const PATTERNS = ['vendor/', '!vendor/keep.py', '*.gen.py', 'fixtures/', '/build', 'docs/**/*.py', 'tmp*', 'lib/*', '!lib/keep.py'];
const FILES = [
  ...['vendor/a.py', 'vendor/keep.py', 'vendor/.bin/x.py', '.hidden.gen.py', '.github/x.gen.py', 'src/.cache/fixtures/a.py'],
  ...['build/x.py', 'src/build/x.py', 'docs/.drafts/a.py', 'docs/a.py', '.tmpfile.py', 'src/tmp1/a.py', 'src/a.py'],
  ...['lib/keep.py', 'lib/other.py', 'lib/sub/keep.py', '.hidden.py'],
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ptk-semgrepignore-'));
  await writeFiles(path.join(dir, 'tree'), Object.fromEntries(FILES.map((file) => [file, 'eval(input())\n'])));
  await writeFile(path.join(dir, 'tree', '.semgrepignore'), `# as in a repository\n${PATTERNS.join('\n')}\n`);
  await writeFile(
    path.join(dir, 'rule.yml'),
    'rules:\n  - id: eval-use\n    pattern: eval(...)\n    message: eval\n    languages: [python]\n    severity: ERROR\n',
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('.semgrepignore: the files the real Semgrep scans are the files security-scan keeps open', async () => {
  const semgrep = requireTool('semgrep').path;
  const out = execFileSync(
    semgrep,
    ['scan', '--config', path.join(dir, 'rule.yml'), '--json', '--metrics', 'off', '--disable-version-check', '--quiet', '.'],
    {
      cwd: path.join(dir, 'tree'),
      encoding: 'utf8',
      env: { ...process.env, SEMGREP_SEND_METRICS: 'off', SEMGREP_ENABLE_VERSION_CHECK: '0' },
      timeout: 300_000,
    },
  );
  const scanned = (JSON.parse(out) as { results: { path: string }[] }).results.map((r) => r.path).sort();
  const ignored = gitignore(await globCompiler(), await readSemgrepIgnore(path.join(dir, 'tree')));
  expect(FILES.filter((f) => ignored(f) === undefined).sort()).toEqual(scanned);
  // what Semgrep 1.185.0 scans here, read from the patterns
  expect(scanned).toEqual(['.hidden.py', '.tmpfile.py', 'lib/keep.py', 'src/a.py', 'src/build/x.py']);
}, 320_000);
