import { afterEach, describe, expect, it } from '@jest/globals';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import {
  GateError,
  Inputs,
  mapInputs,
  MemoryLogger,
  MemoryOutputs,
  MemoryState,
  MemorySummary,
  type ActionContext,
} from '@pipeline-toolkit/core';
import { json, repoRoot, startServer, type LoopbackServer } from '@pipeline-toolkit/testing';
import { run } from '../src/main.ts';

/** A one-entry deflated zip, as GitHub serves an artifact. */
function zipOf(name: string, data: Buffer): Buffer {
  const file = Buffer.from(name);
  const body = deflateRawSync(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(data), 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(file.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(data), 16);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(file.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + file.length, 12);
  end.writeUInt32LE(30 + file.length + body.length, 16);
  return Buffer.concat([local, file, body, central, file, end]);
}

const fixture = (name: string) => path.join(repoRoot, 'test/fixtures/scanners', name);

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function context(dir: string, values: Record<string, string>, env: NodeJS.ProcessEnv): ActionContext {
  return {
    inputs: new Inputs(mapInputs(values)),
    log: new MemoryLogger(),
    outputs: new MemoryOutputs(),
    state: new MemoryState(),
    summary: new MemorySummary(),
    env: {
      GITHUB_WORKSPACE: dir,
      RUNNER_TEMP: dir,
      GITHUB_REPOSITORY: 'octo/shop',
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_REF: 'refs/pull/7/merge',
      ...env,
    },
  };
}

describe('security-scan on a pull request', () => {
  it("compares with the base branch's artifact, gates on the new finding, names it, and comments once", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scan-pr-'));
    for (const f of ['trivy/trivy-image-debian-buster-unfixed.json', 'trivy/trivy-npm-with-suppressed.json'])
      await copyFile(fixture(f), path.join(dir, path.basename(f)));
    // the base branch's run: the debian report only
    const main = context(
      dir,
      { 'trivy-report': 'trivy-image-debian-buster-unfixed.json', 'output-sarif': 'main.sarif', 'fail-on': 'none' },
      { GITHUB_EVENT_NAME: 'push' },
    );
    await run(main);
    // no baseline on the base branch's run: new counts every finding, and the baseline output says there was none
    expect((main.outputs as MemoryOutputs).values).toMatchObject({ baseline: '', fixed: '0', unchanged: '0' });
    const findings = await readFile(path.join(dir, 'main.findings.json'));
    const npm = JSON.parse(await readFile(fixture('trivy/trivy-npm-with-suppressed.json'), 'utf8')) as {
      Results: { Vulnerabilities: { VulnerabilityID: string }[] }[];
    };
    const added = npm.Results[0]!.Vulnerabilities[0]!.VulnerabilityID;

    const zip = zipOf('security-scan.findings.json', findings);
    const comments: string[] = [];
    server = await startServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (url.pathname === '/repos/octo/shop/actions/workflows/ci.yml/runs')
        return json(res, 200, {
          workflow_runs: [{ id: 3, event: 'push', head_branch: 'main', head_repository: { full_name: 'octo/shop' } }],
        });
      if (url.pathname === '/repos/octo/shop/actions/runs/3/artifacts')
        return json(res, 200, { artifacts: [{ id: 4, name: 'security-findings', size_in_bytes: zip.length }] });
      if (url.pathname === '/repos/octo/shop/actions/artifacts/4/zip') {
        res.writeHead(200);
        res.end(zip);
        return;
      }
      if (url.pathname === '/repos/octo/shop/issues/7/comments' && req.method === 'GET') return json(res, 200, []);
      if (url.pathname === '/repos/octo/shop/issues/7/comments' && req.method === 'POST') {
        comments.push((JSON.parse(req.body) as { body: string }).body);
        return json(res, 201, { id: 1 });
      }
      return json(res, 404, { message: 'Not Found' });
    });
    const event = path.join(dir, 'event.json');
    await writeFile(event, JSON.stringify({ pull_request: { number: 7 } }));
    const ctx = context(
      dir,
      { 'trivy-report': 'trivy-image-debian-buster-unfixed.json,trivy-npm-with-suppressed.json', 'github-token': 'ghs_prtoken' },
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_BASE_REF: 'main',
        GITHUB_WORKFLOW_REF: 'octo/shop/.github/workflows/ci.yml@refs/pull/7/merge',
        GITHUB_API_URL: server.url,
      },
    );
    const failure = run(ctx);
    await expect(failure).rejects.toBeInstanceOf(GateError);
    await expect(failure).rejects.toThrow(`1 new unsuppressed finding at or above HIGH (fail-on: high, gate-scope: new): HIGH ${added} at`);
    const outputs = (ctx.outputs as MemoryOutputs).values;
    expect(outputs).toMatchObject({
      new: '1',
      fixed: '0',
      'gate-scope': 'new',
      gate: 'failed',
      baseline: 'artifact security-findings of run 3 on main',
    });
    expect((ctx.summary as MemorySummary).text).toContain('artifact security-findings of run 3 on main');
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain(added);
    expect(comments[0]).not.toContain('ghs_prtoken');
  });
});
