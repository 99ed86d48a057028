import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { ExternalError, Inputs, mapInputs, MemoryLogger } from '@pipeline-toolkit/core';
import { hostileServer, json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { commentBody, commentMarker, findBaseBaseline, readScanInputs, runScan, unzip, upsertComment, workflowFile } from '../src/index.ts';
import { fixture } from './helpers.ts';

/** A zip archive as GitHub serves an artifact: local headers, data (deflated or stored), central directory. */
function zipOf(entries: { name: string; data: Buffer; store?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = e.store ? e.data : deflateRawSync(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.store ? 0 : 8, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const NPM = fixture('trivy/trivy-npm-with-suppressed.json');
const DEBIAN = fixture('trivy/trivy-image-debian-buster-unfixed.json');
const REF = 'octo/shop/.github/workflows/ci.yml@refs/pull/7/merge';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A GitHub REST API with one successful run on main whose artifact is `zip`. */
async function github(zip: Buffer, extraRuns?: Record<string, unknown>[]): Promise<LoopbackServer> {
  return startServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/repos/octo/shop/actions/workflows/ci.yml/runs') {
      const ok = url.searchParams.get('branch') === 'main' && url.searchParams.get('status') === 'success';
      const run = (id: number, event = 'push', repo = 'octo/shop') => ({
        id,
        event,
        head_branch: 'main',
        head_repository: { full_name: repo },
      });
      return json(res, 200, { workflow_runs: ok ? [...(extraRuns ?? []), run(41), run(40, 'schedule')] : [] });
    }
    if (url.pathname === '/repos/octo/shop/actions/runs/41/artifacts')
      return json(res, 200, { artifacts: [{ id: 5, name: 'security-findings', expired: true }] });
    if (url.pathname === '/repos/octo/shop/actions/runs/40/artifacts')
      return json(res, 200, { artifacts: [{ id: 9, name: url.searchParams.get('name'), expired: false, size_in_bytes: zip.length }] });
    if (url.pathname === '/repos/octo/shop/actions/artifacts/9/zip') {
      res.writeHead(302, { location: '/blob/artifact-9.zip' });
      res.end();
      return;
    }
    if (url.pathname === '/blob/artifact-9.zip') {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(zip);
      return;
    }
    return json(res, 404, { message: 'Not Found' });
  });
}

async function findingsOf(ws: string, report: string): Promise<Buffer> {
  const result = await runScan(readScanInputs(new Inputs(mapInputs({ 'trivy-report': report, 'output-sarif': 'main.sarif' }))), {
    log: new MemoryLogger(),
    env: { RUNNER_TEMP: ws },
    cwd: ws,
  });
  return readFile(result.findingsFile);
}

describe('the base branch baseline from the last successful run', () => {
  it('finds the artifact of the same workflow on the base branch, unzips it and gates on new findings only', async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'gh-baseline-'));
    const findings = await findingsOf(ws, DEBIAN);
    server = await github(
      zipOf([
        { name: 'security-scan.findings.json', data: findings },
        { name: 'security-scan.sarif', data: Buffer.from('{}'), store: true },
      ]),
    );
    const found = await findBaseBaseline(
      { token: 't0ken', apiUrl: server.url, repository: 'octo/shop' },
      { workflowRef: REF, baseRef: 'main', artifact: 'security-findings', dir: path.join(ws, 'base') },
    );
    expect(found).toEqual({ file: path.join(ws, 'base', 'base.findings.json'), shown: 'artifact security-findings of run 40 on main' });
    expect(await readFile(path.join(ws, 'base', 'base.findings.json'))).toEqual(findings);
    // every API request carries the token; the download follows the redirect
    expect(server.requests.map((r) => r.url.split('?')[0])).toContain('/blob/artifact-9.zip');
    expect(server.requests.filter((r) => r.url.startsWith('/repos/')).every((r) => r.headers.authorization === 'Bearer t0ken')).toBe(true);

    const result = await runScan(readScanInputs(new Inputs(mapInputs({ 'trivy-report': `${DEBIAN},${NPM}` }))), {
      log: new MemoryLogger(),
      env: { RUNNER_TEMP: ws, GITHUB_EVENT_NAME: 'pull_request' },
      cwd: ws,
      foundBaseline: found as { file: string; shown: string },
    });
    expect(result.gate.scope).toBe('new');
    expect(result.baseline).toMatchObject({ new: 1, fixed: 0, source: 'artifact security-findings of run 40 on main' });
  });

  it("never takes a pull request's or a fork's run as the baseline, even one listed under the base branch's name", async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'gh-baseline-'));
    const findings = await findingsOf(ws, DEBIAN);
    // A fork's branch called main is listed under branch=main; its run (and a pull_request_target
    // run of this repository) could have uploaded an artifact of the same name with any content.
    const untrusted = [
      { id: 77, event: 'pull_request', head_branch: 'main', head_repository: { full_name: 'mallory/shop' } },
      { id: 78, event: 'push', head_branch: 'main', head_repository: { full_name: 'mallory/shop' } },
      { id: 79, event: 'pull_request_target', head_branch: 'main', head_repository: { full_name: 'octo/shop' } },
      { id: 80, event: 'push', head_branch: 'main', head_repository: null },
    ];
    server = await github(zipOf([{ name: 'security-scan.findings.json', data: findings }]), untrusted);
    const found = await findBaseBaseline(
      { token: 't', apiUrl: server.url, repository: 'octo/shop' },
      { workflowRef: REF, baseRef: 'main', artifact: 'security-findings', dir: path.join(ws, 'base') },
    );
    expect(found).toEqual({ file: path.join(ws, 'base', 'base.findings.json'), shown: 'artifact security-findings of run 40 on main' });
    const asked = server.requests.map((r) => r.url.split('?')[0]);
    for (const id of [77, 78, 79, 80]) expect(asked).not.toContain(`/repos/octo/shop/actions/runs/${id}/artifacts`);
    expect(asked).toContain('/repos/octo/shop/actions/runs/41/artifacts');

    // only untrusted runs have the artifact: none is taken, and the reason says why
    const only = await startServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (url.pathname === '/repos/octo/shop/actions/workflows/ci.yml/runs') return json(res, 200, { workflow_runs: untrusted });
      return json(res, 200, { artifacts: [{ id: 9, name: 'security-findings', expired: false, size_in_bytes: 10 }] });
    });
    try {
      expect(
        await findBaseBaseline(
          { token: 't', apiUrl: only.url, repository: 'octo/shop' },
          { workflowRef: REF, baseRef: 'main', artifact: 'security-findings', dir: path.join(ws, 'none') },
        ),
      ).toEqual({
        missing:
          'no successful run of ci.yml on main (push, schedule, workflow_dispatch of octo/shop) has an artifact security-findings; 4 runs of pull requests or forks not trusted',
      });
      expect(only.requests.map((r) => r.url.split('?')[0])).toEqual(['/repos/octo/shop/actions/workflows/ci.yml/runs']);
    } finally {
      await only.close();
    }
  });

  it('refuses an archive with a ../ entry and writes nothing', async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'gh-baseline-'));
    server = await github(zipOf([{ name: '../evil.findings.json', data: Buffer.from('[]') }]));
    const run = findBaseBaseline(
      { token: 't', apiUrl: server.url, repository: 'octo/shop' },
      { workflowRef: REF, baseRef: 'main', artifact: 'security-findings', dir: path.join(ws, 'base') },
    );
    await expect(run).rejects.toBeInstanceOf(ExternalError);
    await expect(run).rejects.toThrow(
      'The baseline artifact artifact security-findings of run 40 on main is refused: entry "../evil.findings.json" would be written outside its folder.',
    );
    expect(existsSync(path.join(ws, 'evil.findings.json'))).toBe(false);
    expect(existsSync(path.join(ws, 'base'))).toBe(false);
    expect(() => unzip(zipOf([{ name: '/etc/x.json', data: Buffer.from('1') }]), 'z')).toThrow('would be written outside its folder');
    expect(() => unzip(Buffer.from('not a zip at all, just text here'), 'z')).toThrow('not a zip archive');
  });

  it('no run on the base branch: a reason, not an error', async () => {
    server = await github(zipOf([]));
    const found = await findBaseBaseline(
      { token: 't', apiUrl: server.url, repository: 'octo/shop' },
      { workflowRef: REF, baseRef: 'release', artifact: 'security-findings', dir: tmpdir() },
    );
    expect(found).toEqual({
      missing: 'no successful run of ci.yml on release (push, schedule, workflow_dispatch of octo/shop) has an artifact security-findings',
    });
    expect(workflowFile('o/r/.github/workflows/scan.yaml@refs/heads/main')).toBe('scan.yaml');
    expect(
      await findBaseBaseline(
        { token: 't', apiUrl: server.url, repository: 'octo/shop' },
        { artifact: 'a', dir: tmpdir(), baseRef: 'main' },
      ),
    ).toEqual({
      missing: 'the workflow file is not known (GITHUB_WORKFLOW_REF)',
    });
  });
});

describe('the pull request comment', () => {
  const outcome = {
    source: 'artifact security-findings of run 40 on main',
    scope: 'new' as const,
    new: 1,
    fixed: 2,
    unchanged: 3,
    newBySeverity: { CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 0, INFO: 0 },
    newFindings: [
      {
        severity: 'HIGH' as const,
        rule: 'CVE-2017-20165',
        title: 'debug: ReDoS',
        where: 'debug@3.0.1 in package-lock.json:11',
        tools: ['trivy'],
        match: 'a'.repeat(32),
      },
    ],
  };

  async function comments(existing: { id: number; body: string }[]): Promise<LoopbackServer> {
    return startServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (req.method === 'GET' && url.pathname === '/repos/octo/shop/issues/7/comments')
        return json(res, 200, url.searchParams.get('page') === '1' ? existing : []);
      if (req.method === 'PATCH' && url.pathname === '/repos/octo/shop/issues/comments/12') return json(res, 200, { id: 12 });
      if (req.method === 'POST' && url.pathname === '/repos/octo/shop/issues/7/comments') return json(res, 201, { id: 13 });
      return json(res, 404, { message: 'Not Found' });
    });
  }

  it('adds one comment listing the new findings, then updates that one in place', async () => {
    const body = commentBody(outcome, undefined, 'security-scan');
    expect(body).toContain(commentMarker('security-scan'));
    expect(body).toContain('New: **1**, fixed: 2, unchanged: 3');
    expect(body).toContain('**HIGH** `CVE-2017-20165` at debug@3.0.1 in package-lock.json:11');
    server = await comments([{ id: 11, body: 'LGTM' }]);
    const api = { token: 't', apiUrl: server.url, repository: 'octo/shop' };
    expect(await upsertComment(api, 7, body, commentMarker('security-scan'))).toBe('created');
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ body });
    await server.close();

    server = await comments([
      { id: 11, body: 'LGTM' },
      { id: 12, body: `${commentMarker('security-scan')}\nold` },
    ]);
    expect(await upsertComment({ ...api, apiUrl: server.url }, 7, body, commentMarker('security-scan'))).toBe('updated');
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'PATCH']);
  });

  it("a long list stays within GitHub's comment limit", () => {
    const many = {
      ...outcome,
      new: 60,
      newFindings: Array.from({ length: 50 }, () => ({ ...outcome.newFindings[0]!, title: 'x'.repeat(2000) })),
    };
    const body = commentBody(many, undefined, 'p');
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain('…and 10 more in the findings file.');
  });
});

describe('every request within the request policy', () => {
  it.each(['silent', 'trickle'] as const)('a %s API server ends the lookup and the comment with an error naming it', async (kind) => {
    const hostile = await hostileServer(kind, { intervalMs: 50 });
    try {
      const api = { token: 't', apiUrl: hostile.url, repository: 'octo/shop', policy: { attemptTimeoutMs: 300, deadlineMs: 2_000 } };
      await expect(
        findBaseBaseline(api, { workflowRef: REF, baseRef: 'main', artifact: 'security-findings', dir: tmpdir() }),
      ).rejects.toThrow('127.0.0.1');
      await expect(upsertComment(api, 7, 'body', 'marker')).rejects.toThrow('127.0.0.1');
    } finally {
      await hostile.close();
    }
  });
});
