import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { errorMessageWithCause, ExternalError, Inputs, mapInputs, MemoryLogger } from '@pipeline-toolkit/core';
import { hostileServer, json, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import {
  ARTIFACT_LIMITS,
  commentBody,
  commentMarker,
  extractEntry,
  findBaseBaseline,
  pullRequestBaseline,
  readScanInputs,
  runScan,
  upsertComment,
  workflowFile,
  zipEntries,
} from '../src/index.ts';
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
    local.writeUInt32LE(crc32(e.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.store ? 0 : 8, 10);
    central.writeUInt32LE(crc32(e.data), 16);
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
    expect(() => zipEntries(zipOf([{ name: '/etc/x.json', data: Buffer.from('1') }]), 'z')).toThrow('would be written outside its folder');
    expect(() => zipEntries(Buffer.from('not a zip at all, just text here'), 'z')).toThrow('not a zip archive');
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

  it("a report's text notifies no one and links no issue: mentions and references are made inert, addresses kept", () => {
    const hostile = {
      ...outcome,
      source: 'run 9 by @release-bot',
      newFindings: [
        {
          ...outcome.newFindings[0]!,
          title: 'ping @octocat and @acme/security-team, see #12, acme/other#34 and GH-56',
          where: 'debug@3.0.1 in package-lock.json:11 (mail root@example.com)',
        },
      ],
    };
    const body = commentBody(hostile, undefined, 'p');
    // no @ before a name and no # or GH- before a number is left as GitHub would read it (the entity rendered)
    const rendered = body.replaceAll('&#8203;', '\u200b');
    expect(rendered).not.toMatch(/(?<![\w.@/-])@[A-Za-z0-9]/);
    expect(rendered).not.toMatch(/#\d|GH-\d/i);
    expect(body).toContain('ping @&#8203;octocat and @&#8203;acme/security-team, see #&#8203;12, acme/other#&#8203;34 and GH&#8203;-56');
    expect(body).toContain('by @&#8203;release-bot');
    expect(body).toContain('at debug@3.0.1 in package-lock.json:11 (mail root@example.com)');
    // the note of a scan without a baseline too
    expect(commentBody(undefined, 'asked @octocat about #7', 'p')).toContain('asked @&#8203;octocat about #&#8203;7');
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

/** A local file header of a zip archive, its name after it. */
function localHeader(name: string, method: number, crc: number, compressed: number, size: number): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(method, 8);
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(compressed, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(Buffer.byteLength(name), 26);
  return Buffer.concat([header, Buffer.from(name)]);
}

/** A central directory entry pointing at the local header at `offset`. */
function centralHeader(name: string, method: number, crc: number, compressed: number, size: number, offset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(method, 10);
  header.writeUInt32LE(crc, 16);
  header.writeUInt32LE(compressed, 20);
  header.writeUInt32LE(size, 24);
  header.writeUInt16LE(Buffer.byteLength(name), 28);
  header.writeUInt32LE(offset, 42);
  return Buffer.concat([header, Buffer.from(name)]);
}

/** An archive of `files` (local headers and data) and a central directory of `entries`, as written. */
function archive(files: Buffer, entries: Buffer[]): Buffer {
  const directory = Buffer.concat(entries);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(files.length, 16);
  return Buffer.concat([files, directory, end]);
}

describe('a baseline artifact built to exhaust memory', () => {
  /** 64 MiB of zeros, deflated to about 64 KB. */
  const ZEROS = 64 * 1024 * 1024;
  const zeros = Buffer.alloc(ZEROS);
  const deflated = deflateRawSync(zeros, { level: 9 });
  const zerosCrc = crc32(zeros);
  const refusal = (why: string) => `The baseline artifact z is refused: ${why}.`;
  const refused = (zip: Buffer) => {
    try {
      zipEntries(zip, 'z');
    } catch (error) {
      return error as Error;
    }
    return undefined;
  };

  it("the review's bomb (24 directory entries over one deflated run) is refused before anything is inflated", () => {
    // /tmp/h3/repro/net/mkzip.py: one local entry, N central entries pointing at it (24: 205 KB, 5.2 GB inflated and kept)
    const files = Buffer.concat([localHeader('a.bin', 8, zerosCrc, deflated.length, ZEROS), deflated]);
    const names = Array.from({ length: 24 }, (_, i) => `f${String(i).padStart(4, '0')}.bin`);
    const bomb = archive(
      files,
      names.map((name) => centralHeader(name, 8, zerosCrc, deflated.length, ZEROS, 0)),
    );
    expect(refused(bomb)?.message).toBe(refusal('entry "f0000.bin" has a local header of another name'));
    // the same with the local header's own name: the second entry is the same bytes
    const named = archive(files, [
      centralHeader('a.bin', 8, zerosCrc, deflated.length, ZEROS, 0),
      centralHeader('a.bin', 8, zerosCrc, deflated.length, ZEROS, 0),
    ]);
    expect(refused(named)?.message).toBe(refusal('entry "a.bin" is listed twice'));
  });

  it('entries that overlap are refused: a stored entry holding another whole (local header and data)', () => {
    const inner = Buffer.concat([localHeader('inner.findings.json', 8, zerosCrc, deflated.length, ZEROS), deflated]);
    const files = Buffer.concat([localHeader('outer.json', 0, crc32(inner), inner.length, inner.length), inner]);
    const outerData = 30 + 'outer.json'.length;
    const zip = archive(files, [
      centralHeader('outer.json', 0, crc32(inner), inner.length, inner.length, 0),
      centralHeader('inner.findings.json', 8, zerosCrc, deflated.length, ZEROS, outerData),
    ]);
    expect(refused(zip)?.message).toBe(refusal('entries "outer.json" and "inner.findings.json" overlap'));
  });

  it('an entry whose local header or data is not inside the archive, or larger than an entry may be, is refused', () => {
    const data = Buffer.from('[]');
    const files = Buffer.concat([localHeader('a.findings.json', 0, crc32(data), data.length, data.length), data]);
    const at = (offset: number, compressed = data.length, size = data.length) =>
      refused(archive(files, [centralHeader('a.findings.json', 0, crc32(data), compressed, size, offset)]))?.message;
    expect(at(0)).toBeUndefined();
    expect(at(0x7fff_0000)).toBe(refusal('entry "a.findings.json" has no local header'));
    expect(at(0, 0x7fff_0000, 2)).toBe(refusal('entry "a.findings.json" does not fit in the archive (its data would end past its files)'));
    expect(at(0, 2, ARTIFACT_LIMITS.entryBytes + 1)).toBe(
      refusal(`entry "a.findings.json" is ${ARTIFACT_LIMITS.entryBytes + 1} bytes (at most ${ARTIFACT_LIMITS.entryBytes})`),
    );
  });

  it('the findings file is inflated as a stream up to the size its directory states, never past it; a wrong CRC is refused', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gh-baseline-zip-'));
    const file = path.join(dir, 'base.findings.json');
    // 64 MiB of zeros stated as 1,000 bytes: inflating stops after the first chunk past 1,000
    const lying = archive(Buffer.concat([localHeader('s.findings.json', 8, zerosCrc, deflated.length, 1000), deflated]), [
      centralHeader('s.findings.json', 8, zerosCrc, deflated.length, 1000, 0),
    ]);
    const [entry] = zipEntries(lying, 'z');
    await expect(extractEntry(lying, entry!, file, 'z')).rejects.toThrow(
      refusal('entry "s.findings.json" inflates past the 1000 bytes its directory states'),
    );
    expect(existsSync(file)).toBe(false);
    const wrongCrc = archive(Buffer.concat([localHeader('s.findings.json', 8, 1, deflated.length, ZEROS), deflated]), [
      centralHeader('s.findings.json', 8, 1, deflated.length, ZEROS, 0),
    ]);
    await expect(extractEntry(wrongCrc, zipEntries(wrongCrc, 'z')[0]!, file, 'z')).rejects.toThrow(
      refusal('entry "s.findings.json" does not match its CRC-32'),
    );
    expect(existsSync(file)).toBe(false);
    // as stated, it is written whole
    const honest = archive(Buffer.concat([localHeader('s.findings.json', 8, zerosCrc, deflated.length, ZEROS), deflated]), [
      centralHeader('s.findings.json', 8, zerosCrc, deflated.length, ZEROS, 0),
    ]);
    await extractEntry(honest, zipEntries(honest, 'z')[0]!, file, 'z');
    expect((await readFile(file)).equals(zeros)).toBe(true);
  });

  it('only the findings file is inflated: another entry that would not inflate is never read', async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'gh-baseline-'));
    const findings = Buffer.from('[]');
    const body = deflateRawSync(findings);
    const garbage = Buffer.from('not deflate data at all');
    const first = Buffer.concat([localHeader('other.json', 8, 0, garbage.length, 1000), garbage]);
    const zip = archive(Buffer.concat([first, localHeader('x.findings.json', 8, crc32(findings), body.length, findings.length), body]), [
      centralHeader('other.json', 8, 0, garbage.length, 1000, 0),
      centralHeader('x.findings.json', 8, crc32(findings), body.length, findings.length, first.length),
    ]);
    server = await github(zip);
    const found = await findBaseBaseline(
      { token: 't', apiUrl: server.url, repository: 'octo/shop' },
      { workflowRef: REF, baseRef: 'main', artifact: 'security-findings', dir: path.join(ws, 'base') },
    );
    expect(found).toEqual({ file: path.join(ws, 'base', 'base.findings.json'), shown: 'artifact security-findings of run 40 on main' });
    expect(await readFile(path.join(ws, 'base', 'base.findings.json'), 'utf8')).toBe('[]');
  });

  it('served as the base branch artifact, the bomb is no baseline: a notice naming the artifact, and the scan goes on', async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'gh-baseline-'));
    const files = Buffer.concat([localHeader('a.bin', 8, zerosCrc, deflated.length, ZEROS), deflated]);
    server = await github(
      archive(
        files,
        Array.from({ length: 24 }, () => centralHeader('a.bin', 8, zerosCrc, deflated.length, ZEROS, 0)),
      ),
    );
    const notices: string[] = [];
    const found = await pullRequestBaseline(
      readScanInputs(new Inputs(mapInputs({ 'trivy-report': NPM }))),
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_WORKFLOW_REF: REF, GITHUB_BASE_REF: 'main', RUNNER_TEMP: ws },
      { token: 't', apiUrl: server.url, repository: 'octo/shop' },
      { notice: (m) => notices.push(m) },
    );
    const why = 'The baseline artifact artifact security-findings of run 40 on main is refused: entry "a.bin" is listed twice.';
    expect(notices).toEqual([`No baseline from the base branch: ${why}`]);
    expect(found).toEqual({ baselineNotFound: `the base branch's findings could not be had (${why})` });
    expect(existsSync(path.join(ws, 'security-scan-baseline', 'base.findings.json'))).toBe(false);
  });
});

describe('why the lookup failed', () => {
  it("a redirect loop on the artifact's download names its cause, not only 'fetch failed'", async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'gh-baseline-'));
    const inner = await github(Buffer.alloc(0));
    // the artifact's download redirects to itself, forever
    server = await startServer((req, res) => {
      if (req.url.startsWith('/repos/octo/shop/actions/artifacts/9/zip')) {
        res.writeHead(302, { location: req.url });
        res.end();
        return;
      }
      res.writeHead(307, { location: `${inner.url}${req.url}` });
      res.end();
    });
    const notices: string[] = [];
    try {
      const found = await pullRequestBaseline(
        readScanInputs(new Inputs(mapInputs({ 'trivy-report': NPM }))),
        { GITHUB_EVENT_NAME: 'pull_request', GITHUB_WORKFLOW_REF: REF, GITHUB_BASE_REF: 'main', RUNNER_TEMP: ws },
        { token: 't', apiUrl: server.url, repository: 'octo/shop' },
        { notice: (m) => notices.push(m) },
      );
      expect(notices).toEqual(['No baseline from the base branch: fetch failed (redirect count exceeded)']);
      expect(found).toEqual({ baselineNotFound: "the base branch's findings could not be had (fetch failed (redirect count exceeded))" });
    } finally {
      await inner.close();
    }
  });

  it('errorMessageWithCause: the causes once each, at most three deep, read by shape', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(errorMessageWithCause(new TypeError('fetch failed', { cause: refused }))).toBe(
      'fetch failed (connect ECONNREFUSED 127.0.0.1:9)',
    );
    expect(errorMessageWithCause(new Error('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } }))).toBe('fetch failed (UND_ERR_SOCKET)');
    expect(errorMessageWithCause(new Error('a: b', { cause: new Error('b') }))).toBe('a: b');
    let deep: Error = new Error('e4');
    for (const m of ['e3', 'e2', 'e1']) deep = new Error(m, { cause: deep });
    expect(errorMessageWithCause(new Error('e0', { cause: deep }))).toBe('e0 (e1) (e2) (e3)');
    expect(errorMessageWithCause('text')).toBe('text');
  });
});
