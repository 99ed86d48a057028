import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { codeScanning, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { requireAct } from '../act/install.ts';
import { prepareWorkspace, runAct, type ActRun, type ActWorkspace } from '../act/pipeline.ts';
import { requirePythonVenv } from './python-venv.ts';

/**
 * The reusable workflow's lint job on a pull request, under act (one run, no cluster): the base
 * branch of a copy of the example service has an old ruff finding, and the pull request adds one
 * file with a new one. With the workflow's defaults for pull requests (lint-scope: changed from the
 * event's base commit, lint-upload-sarif: true), the lint job reports the new file's finding only,
 * says how many unchanged files it skipped, and uploads the lint SARIF to a loopback stand-in of
 * GitHub's code-scanning route. The finding fails the lint job, so build, test and security-scan
 * do not run (they need lint); notify does.
 */
const token = 'ghs_lintScopeToken0123456789abcdefghiXYZ';
const legacyFile = 'src/orders_service/legacy.py';
const newFile = 'src/orders_service/discounts.py';
const uploadRoute = '/repos/example/orders-service/code-scanning/sarifs';

let github: LoopbackServer;
let ws: ActWorkspace;
let run: ActRun;
let baseSha: string;
let pythonFiles: string[];

const ofJob = (job: string, command: string) => run.entries.filter((e) => e['jobID'] === job && e['command'] === command);
const result = (job: string) => run.jobs.filter((j) => j.job === job).map((j) => j.result);
const outputs = (job: string) => ofJob(job, 'set-output').map((e) => `${String(e['name'])}=${String(e['arg'])}`);
const summary = (job: string) =>
  ofJob(job, 'summary')
    .map((e) => String(e['content']))
    .join('\n');
const uploads = () => github.requests.filter((r) => r.method === 'POST' && r.url === uploadRoute);

beforeAll(async () => {
  const act = requireAct();
  const venv = requirePythonVenv();
  github = await startServer((req, res) => {
    if (codeScanning(req, res, 'example/orders-service', '47177e22-5596-11eb-80a1-c1e54ef945c6')) return;
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end('{"message":"Not Found"}');
  });

  ws = await prepareWorkspace('lint-scope.yml');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=pipeline-toolkit', '-c', 'user.email=pipeline-toolkit@example.invalid', ...args], {
      cwd: ws.dir,
      encoding: 'utf8',
    }).trim();
  // The base branch: an old finding (an unused import) that the pull request does not touch.
  await writeFile(path.join(ws.dir, legacyFile), 'import sys\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'legacy module');
  baseSha = git('rev-parse', 'HEAD');
  // The pull request: one new file with one new finding (an unused import, line 1).
  git('checkout', '-q', '-b', 'feature');
  await writeFile(path.join(ws.dir, newFile), 'import os\n\n\ndef discount(total: float) -> float:\n    return total * 0.9\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'discounts');
  pythonFiles = git('ls-files', '--', '*.py', '*.pyi').split('\n').filter(Boolean);

  run = await runAct(act, ws, {
    secrets: { GITHUB_TOKEN: token },
    vars: {},
    env: { PTK_ACT_PYTHON: path.dirname(venv.bin('python')), GITHUB_API_URL: github.url },
    path: [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    timeoutMs: 240_000,
    event: {
      name: 'pull_request',
      payload: {
        number: 21,
        pull_request: { number: 21, head: { ref: 'feature', sha: git('rev-parse', 'HEAD') }, base: { ref: 'main', sha: baseSha } },
      },
    },
  });
}, 300_000);

afterAll(async () => {
  await github?.close();
  if (ws && !process.env['PTK_ACT_KEEP']) await rm(path.dirname(ws.dir), { recursive: true, force: true });
});

describe('the reusable workflow’s lint job on a pull request, under act', () => {
  it('fails lint on the new file’s finding only, and stops before build', () => {
    expect(pythonFiles).toContain(legacyFile);
    expect(pythonFiles).toContain(newFile);
    expect(result('lint')).toEqual(['failure']);
    for (const job of ['build', 'test', 'security-scan']) expect([job, result(job)]).toEqual([job, []]);
    expect(result('notify')).toEqual(['success']);
    const findings = ofJob('lint', 'error').filter((e) => /\(ruff [A-Z]+\d+\)$/.test(String(e['arg'])));
    expect(findings.map((e) => String(e['arg']))).toEqual(['`os` imported but unused (ruff F401)']);
    expect(JSON.stringify(findings[0])).toContain(newFile);
    expect(JSON.stringify(run.entries.filter((e) => e['jobID'] === 'lint'))).not.toContain('legacy.py');
  });

  it('says it linted the changed file and how many unchanged files it skipped', () => {
    const skipped = pythonFiles.length - 1;
    expect(outputs('lint')).toEqual(expect.arrayContaining(['scope=changed', `skipped-files=${skipped}`, 'errors=1']));
    expect(summary('lint')).toContain(
      `Changed files only (compared with \`${baseSha.slice(0, 12)}\`): 1 changed file(s) linted, ${skipped} unchanged file(s) skipped.`,
    );
  });

  it('uploaded the lint SARIF, holding only the new finding, to code scanning', () => {
    expect(uploads()).toHaveLength(1);
    const upload = uploads()[0]!;
    expect(upload.headers['authorization']).toBe(`Bearer ${token}`);
    const body = JSON.parse(upload.body) as { ref: string; sarif: string };
    expect(body.ref).toBe('refs/pull/21/merge');
    const sarif = JSON.parse(gunzipSync(Buffer.from(body.sarif, 'base64')).toString('utf8')) as {
      runs: {
        tool: { driver: { name: string } };
        results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    const results = sarif.runs.flatMap((r) => r.results.map((x) => [x.ruleId, x.locations[0]?.physicalLocation.artifactLocation.uri]));
    expect(results).toEqual([['F401', newFile]]);
  });

  it('never printed the token', () => {
    expect(JSON.stringify(run.entries.filter((e) => e['command'] !== 'add-mask'))).not.toContain(token);
  });
});
