import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryLogger } from '@pipeline-toolkit/core';
import { loadSuite, runSuite } from '@pipeline-toolkit/smoke';
import { testAuthority, type TestAuthority } from '@pipeline-toolkit/testing';

const BIN = path.resolve(import.meta.dirname, '../src/bin.ts');
const DAY_MS = 86_400_000;

/** A real HTTPS server on loopback with a certificate issued by the test's own CA. */
async function httpsServer(tls: { key: Buffer; cert: Buffer }): Promise<{ url: string; server: Server; cert: X509Certificate }> {
  const server = createServer(tls, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, server, cert: new X509Certificate(tls.cert) };
}

/** The CLI in its own process, trusting the test CA the way a runner trusts a private CA. */
function smoke(cwd: string, target: string, ca: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'smoke', '--config', 'smoke.yml', '--target', target, '--json', 'out.json'], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', NODE_EXTRA_CA_CERTS: ca },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const SUITE =
  'defaults: { retries: 0 }\nchecks:\n  - name: certificate\n    http: { path: /health, expect: { tls: { min-days-valid: 14 }, json: { $.status: ok } } }\n';

describe('smoke TLS asserts against real HTTPS servers with certificates made by the test', () => {
  let ca: TestAuthority;
  let dir: string;
  const servers: Server[] = [];
  let healthy: Awaited<ReturnType<typeof httpsServer>>;
  let nearExpiry: Awaited<ReturnType<typeof httpsServer>>;
  let wrongHost: Awaited<ReturnType<typeof httpsServer>>;

  beforeAll(async () => {
    ca = testAuthority();
    healthy = await httpsServer(ca.issue(['IP:127.0.0.1', 'DNS:localhost'], 60));
    nearExpiry = await httpsServer(ca.issue(['IP:127.0.0.1'], 5));
    wrongHost = await httpsServer(ca.issue(['DNS:api.example.test'], 60));
    servers.push(healthy.server, nearExpiry.server, wrongHost.server);
    dir = await mkdtemp(path.join(tmpdir(), 'smoke-tls-'));
    await writeFile(path.join(dir, 'smoke.yml'), SUITE);
  });
  afterAll(async () => {
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    ca.remove();
    await rm(dir, { recursive: true, force: true });
  });

  const report = async () =>
    JSON.parse(await readFile(path.join(dir, 'out.json'), 'utf8')) as { checks: { name: string; status: string; message?: string }[] };

  it('passes a trusted certificate valid for the host for 60 days (14 required)', async () => {
    const { code, out } = await smoke(dir, healthy.url, ca.caFile);
    expect({ code, out }).toEqual({ code: 0, out: expect.stringContaining('✔ certificate') });
    expect((await report()).checks[0]?.status).toBe('passed');
  });

  it('fails a certificate that expires within the days required, with its date', async () => {
    const { code } = await smoke(dir, nearExpiry.url, ca.caFile);
    expect(code).toBe(1);
    const expiresOn = new Date(nearExpiry.cert.validTo).toISOString().slice(0, 10);
    // Issued for 5 days a few seconds ago: 4 whole days are left.
    expect(Math.floor((Date.parse(nearExpiry.cert.validTo) - Date.now()) / DAY_MS)).toBe(4);
    const host = new URL(nearExpiry.url).host;
    expect((await report()).checks[0]).toMatchObject({
      status: 'failed',
      message: `the certificate of ${host} expires on ${expiresOn} (in 4 days), under the 14 days required`,
    });
  });

  it('fails a certificate issued for another host, naming the names it covers', async () => {
    const { code } = await smoke(dir, wrongHost.url, ca.caFile);
    expect(code).toBe(1);
    expect((await report()).checks[0]).toMatchObject({
      status: 'failed',
      message: 'the certificate is not valid for 127.0.0.1: it covers DNS:api.example.test',
    });
  });

  it('fails a certificate from a CA that is not trusted (in this process: no NODE_EXTRA_CA_CERTS)', async () => {
    const suite = await loadSuite({ config: 'smoke.yml', env: {}, cwd: dir });
    const result = await runSuite(suite, { target: healthy.url, log: new MemoryLogger() });
    expect(result.checks[0]).toMatchObject({
      status: 'failed',
      message: `the certificate of ${new URL(healthy.url).host} is not trusted: UNABLE_TO_VERIFY_LEAF_SIGNATURE`,
    });
  });

  it('refuses tls asserts on an http:// URL', async () => {
    const suite = await loadSuite({ config: 'smoke.yml', env: {}, cwd: dir });
    const result = await runSuite(suite, { target: 'http://127.0.0.1:9', log: new MemoryLogger() });
    expect(result.checks[0]?.message).toBe('tls asserts need an https:// URL, got http://');
  });
});
