import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec as realExec, MemoryLogger, type Exec } from '@pipeline-toolkit/core';
import { repoRoot, startServer } from '@pipeline-toolkit/testing';
import { versions } from '../../../scripts/tools/catalog.ts';
import {
  ARCHIVES,
  ensureTrivyDb,
  installScanners,
  parseChecksums,
  SCANNER_VERSIONS,
  scannerAssets,
  scannerCommands,
  type Platform,
} from '../src/index.ts';

const assets = path.join(repoRoot, 'actions/security-scan/scanners');
const linux: Platform = { os: 'linux', arch: 'x64' };
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A tar.gz holding one executable script named `name` that prints `text` (made with the system tar). */
async function archiveWith(name: string, text: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'archive-'));
  await mkdir(path.join(dir, 'in'));
  await writeFile(path.join(dir, 'in', name), `#!/bin/sh\necho '${text}'\n`);
  await chmod(path.join(dir, 'in', name), 0o755);
  execFileSync('tar', ['-czf', path.join(dir, 'a.tar.gz'), '-C', path.join(dir, 'in'), name]);
  return readFile(path.join(dir, 'a.tar.gz'));
}

describe('the stored checksums', () => {
  it('pin every release asset of every supported platform, at the versions of the real tier', async () => {
    const sums = parseChecksums(await readFile(path.join(assets, 'checksums.sha256'), 'utf8'), 'checksums.sha256');
    for (const release of Object.values(ARCHIVES))
      for (const os of ['linux', 'darwin'] as const)
        for (const arch of ['x64', 'arm64'] as const) expect(sums.get(release.asset({ os, arch }))).toMatch(/^[0-9a-f]{64}$/);
    expect(sums.size).toBe(8);
    expect(SCANNER_VERSIONS).toEqual({ gitleaks: versions.gitleaks, trivy: versions.trivy, semgrep: versions.semgrep });
    const lock = await readFile(path.join(assets, 'semgrep-requirements.txt'), 'utf8');
    expect(lock).toContain(`semgrep==${versions.semgrep} \\`);
    // every requirement is pinned with at least one hash (pip --require-hashes refuses anything else)
    const pins = lock.split('\n').filter((l) => /^[a-z]/i.test(l));
    expect(pins.length).toBeGreaterThan(10);
    for (const pin of pins) expect(pin).toMatch(/^[\w.[\],-]+==[\w.]+ \\$/);
    expect(scannerAssets(path.join(repoRoot, 'dist/security-scan/index.js'))).toBe(assets);
  });

  it('refuses a checksum file that is not in sha256sum format, naming the line', () => {
    expect(() => parseChecksums('abc  gitleaks.tar.gz\n', 'sums.txt')).toThrow(
      "sums.txt, line 1: expected '<sha256>  <file name>' (sha256sum format), got 'abc  gitleaks.tar.gz'.",
    );
  });
});

describe('installScanners', () => {
  it('fails on an archive whose hash is not the stored one, naming it and both hashes, and installs nothing', async () => {
    const served = await archiveWith('gitleaks', `gitleaks version ${SCANNER_VERSIONS.gitleaks}`);
    const server = await startServer((_req, res) => {
      res.end(served);
    });
    const dir = await mkdtemp(path.join(tmpdir(), 'tools-'));
    const asset = ARCHIVES.gitleaks.asset(linux);
    const expected = parseChecksums(await readFile(path.join(assets, 'checksums.sha256'), 'utf8'), 'x').get(asset)!;
    try {
      await expect(
        installScanners(
          {
            tools: ['gitleaks'],
            dir,
            mirror: server.url,
            checksumsFile: path.join(assets, 'checksums.sha256'),
            semgrepRequirements: path.join(assets, 'semgrep-requirements.txt'),
            platform: linux,
          },
          { exec: realExec, log: new MemoryLogger() },
        ),
      ).rejects.toThrow(
        `Checksum mismatch for ${asset} (from 127.0.0.1:${server.port}/${asset}): expected SHA-256 ${expected}, got ${sha256(served)}.`,
      );
      expect(server.requests.map((r) => r.url)).toEqual([`/${asset}`]);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('retries a 503, verifies against the given checksum file, installs, then reuses the intact copy', async () => {
    const served = await archiveWith('trivy', `Version: ${SCANNER_VERSIONS.trivy}`);
    let n = 0;
    const server = await startServer((_req, res) => {
      n += 1;
      if (n < 3) {
        res.statusCode = 503;
        res.end('busy');
      } else res.end(served);
    });
    const dir = await mkdtemp(path.join(tmpdir(), 'tools-'));
    const asset = ARCHIVES.trivy.asset(linux);
    const sums = path.join(dir, 'test.sha256');
    await writeFile(sums, `${sha256(served)}  ${asset}\n`);
    const options = {
      tools: ['trivy'] as const,
      dir: path.join(dir, 'tools'),
      mirror: `${server.url}/`,
      checksumsFile: sums,
      semgrepRequirements: path.join(assets, 'semgrep-requirements.txt'),
      platform: linux,
      download: { attemptTimeoutMs: 10_000, idleTimeoutMs: 10_000, attempts: 3, backoffMs: 1 },
    };
    const log = new MemoryLogger();
    try {
      const [first] = await installScanners(options, { exec: realExec, log });
      expect(first).toMatchObject({ tool: 'trivy', version: SCANNER_VERSIONS.trivy, from: 'install' });
      expect(existsSync(first!.bin)).toBe(true);
      expect(log.lines.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
        `Download of ${asset} from 127.0.0.1:${server.port}/${asset}, attempt 1: 127.0.0.1:${server.port}/${asset} answered 503 Service Unavailable; retrying in 1ms.`,
        `Download of ${asset} from 127.0.0.1:${server.port}/${asset}, attempt 2: 127.0.0.1:${server.port}/${asset} answered 503 Service Unavailable; retrying in 2ms.`,
      ]);
      const [second] = await installScanners(options, { exec: realExec, log: new MemoryLogger() });
      expect(second).toMatchObject({ from: 'cache', bin: first!.bin });
      expect(server.requests).toHaveLength(3);
      // a binary changed in the cache is not trusted: it is fetched and verified again
      await writeFile(first!.bin, '#!/bin/sh\necho tampered\n');
      const [third] = await installScanners(options, { exec: realExec, log: new MemoryLogger() });
      expect(third).toMatchObject({ from: 'install' });
      expect(server.requests).toHaveLength(4);
    } finally {
      await server.close();
    }
  });
});

describe('installSemgrep', () => {
  it("checks the installed Semgrep's version with its update check and metrics off: no call to semgrep.dev, and no 95 s wait for one without a network", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tools-'));
    const calls: { command: string; args: readonly string[]; env?: Record<string, string> }[] = [];
    const ok = { exitCode: 0, stdout: '', stderr: '' };
    // python, its venv and pip as the install drives them; the version probe answers like Semgrep
    const exec: Exec = async (command, args, options) => {
      calls.push({ command, args, ...(options?.env ? { env: options.env } : {}) });
      if (args[0] === '-c') return { ...ok, stdout: '3.11\n' };
      if (args[0] === '-m' && args[1] === 'venv') await mkdir(path.join(args[2]!, 'bin'), { recursive: true });
      if (args[0] === '--version') return { ...ok, stdout: `${SCANNER_VERSIONS.semgrep}\n` };
      return ok;
    };
    const [installed] = await installScanners(
      {
        tools: ['semgrep'],
        dir,
        checksumsFile: path.join(assets, 'checksums.sha256'),
        semgrepRequirements: path.join(assets, 'semgrep-requirements.txt'),
        platform: linux,
      },
      { exec, log: new MemoryLogger() },
    );
    expect(installed).toMatchObject({ tool: 'semgrep', version: SCANNER_VERSIONS.semgrep, from: 'install' });
    const probes = calls.filter((c) => c.args[0] === '--version');
    expect(probes).toEqual([
      { command: installed!.bin, args: ['--version'], env: { SEMGREP_ENABLE_VERSION_CHECK: '0', SEMGREP_SEND_METRICS: 'off' } },
    ]);
  });
});

describe('ensureTrivyDb', () => {
  it('fails naming the repositories and the last error when no database can be had', async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'trivy-cache-'));
    const calls: string[][] = [];
    const exec: Exec = async (_c, args) => {
      calls.push([...args]);
      throw new Error('FATAL\tinit error: DB error: failed to download vulnerability DB: connection refused');
    };
    await expect(
      ensureTrivyDb(
        {
          trivy: 'trivy',
          cacheDir,
          repositories: ['127.0.0.1:9/db:2', '127.0.0.1:9/db2:2'],
          maxAgeMs: 1000,
          attempts: 2,
          backoffMs: 1,
          attemptTimeoutMs: 1000,
        },
        { exec, log: new MemoryLogger() },
      ),
    ).rejects.toThrow(
      'No Trivy vulnerability database: downloading it from 127.0.0.1:9/db:2, 127.0.0.1:9/db2:2 failed 2 times (last error: FATAL\tinit error: DB error: failed to download vulnerability DB: connection refused). Without a database Trivy would report no vulnerabilities at all',
    );
    expect(calls).toEqual(
      Array(2).fill([
        'image',
        '--download-db-only',
        '--no-progress',
        '--disable-telemetry',
        '--skip-version-check',
        '--cache-dir',
        cacheDir,
        '--db-repository',
        '127.0.0.1:9/db:2,127.0.0.1:9/db2:2',
      ]),
    );
  });

  it('keeps a fresh database and falls back to a stale one with a warning', async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'trivy-cache-'));
    await mkdir(path.join(cacheDir, 'db'));
    await writeFile(path.join(cacheDir, 'db', 'metadata.json'), JSON.stringify({ Version: 2, DownloadedAt: '2026-12-01T00:00:00Z' }));
    const exec: Exec = async () => {
      throw new Error('unreachable');
    };
    const options = {
      trivy: 'trivy',
      cacheDir,
      repositories: ['a.example/db:2'],
      attempts: 1,
      backoffMs: 1,
      attemptTimeoutMs: 1000,
      now: () => Date.parse('2026-12-01T06:00:00Z'),
    };
    expect(await ensureTrivyDb({ ...options, maxAgeMs: 12 * 3600_000 }, { exec, log: new MemoryLogger() })).toMatchObject({
      from: 'cache',
    });
    const log = new MemoryLogger();
    expect(await ensureTrivyDb({ ...options, maxAgeMs: 3600_000 }, { exec, log })).toMatchObject({ from: 'stale-cache' });
    expect(log.lines.find((l) => l.level === 'warning')?.message).toContain(
      'scanning with the cached one from 2026-12-01T00:00:00Z (360m old)',
    );
  });
});

describe('scanner command lines', () => {
  const common = { workspace: '/ws', outDir: '/out', semgrepConfig: ['/rules'] };
  it('scan only the change on a diff-aware scan: Gitleaks the commits after the base, Semgrep against its baseline', () => {
    const base = 'b'.repeat(40);
    expect(scannerCommands('gitleaks', { ...common, command: 'gitleaks', diffBase: base })[0]!.args.slice(0, 2)).toEqual([
      'git',
      `--log-opts=${base}..HEAD`,
    ]);
    const semgrep = scannerCommands('semgrep', { ...common, command: 'semgrep', diffBase: base })[0]!.args;
    expect(semgrep.slice(semgrep.indexOf('--baseline-commit'), semgrep.indexOf('--baseline-commit') + 2)).toEqual([
      '--baseline-commit',
      base,
    ]);
  });

  it('adds the image scan to Trivy, with the database made ready beforehand', () => {
    const runs = scannerCommands('trivy', { ...common, command: 'trivy', image: '/tmp/app.tar', trivyCacheDir: '/cache' });
    expect(runs.map((r) => [r.name, r.report, r.args])).toEqual([
      [
        'trivy',
        '/out/trivy.json',
        [
          'fs',
          '--disable-telemetry',
          '--skip-version-check',
          '--cache-dir',
          '/cache',
          '--skip-db-update',
          '--format',
          'json',
          '--output',
          '/out/trivy.json',
          '--exit-code',
          '0',
          '--quiet',
          '/ws',
        ],
      ],
      [
        'trivy-image',
        '/out/trivy-image.json',
        [
          'image',
          '--disable-telemetry',
          '--skip-version-check',
          '--cache-dir',
          '/cache',
          '--skip-db-update',
          '--scanners',
          'vuln,secret',
          '--format',
          'json',
          '--output',
          '/out/trivy-image.json',
          '--exit-code',
          '0',
          '--quiet',
          '--input',
          '/tmp/app.tar',
        ],
      ],
    ]);
    expect(scannerCommands('trivy', { ...common, command: 'trivy', image: 'ghcr.io/acme/shop:1.2' })[1]!.args.at(-1)).toBe(
      'ghcr.io/acme/shop:1.2',
    );
  });
});
