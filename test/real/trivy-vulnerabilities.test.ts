import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  advisoriesDir,
  createRunnerEnv,
  offlineTrivyCache,
  offlineTrivyDb,
  requireTool,
  runBundle,
  type BundleRun,
} from '@pipeline-toolkit/testing';
import { ARCHIVES, platformOf } from '../../packages/sarif/src/install/releases.ts';

/**
 * Trivy's vulnerability scanner, for real, through the security-scan action's default set-up
 * (install-scanners: trivy from a mirror folder, its database from trivy-cache-dir): the database is
 * built offline by the real trivy-db builder from real GitHub Security Advisories
 * (test/fixtures/advisories, see SOURCES.md), so the gate is seen failing because of a known
 * vulnerability in a pinned dependency — and not failing for one that has no fix with ignore-unfixed.
 * Every expected id, severity and fixed version is read from the advisory files.
 */

interface Advisory {
  ghsa: string;
  /** Trivy's VulnerabilityID: the CVE alias when there is one (trivy-db's OSV source). */
  id: string;
  severity: string;
  ecosystem: string;
  fixed?: string;
  lastAffected?: string;
}

const SEVERITY: Record<string, string> = { LOW: 'LOW', MODERATE: 'MEDIUM', HIGH: 'HIGH', CRITICAL: 'CRITICAL' };

/** The fixture advisory of a package (its first `affected` entry for that name). */
function advisory(pkg: string): Advisory {
  for (const file of offlineTrivyDb().advisories) {
    const osv = JSON.parse(readFileSync(path.join(advisoriesDir, 'ghsa', file), 'utf8')) as {
      id: string;
      aliases: string[];
      affected: { package: { ecosystem: string; name: string }; ranges: { events: Record<string, string>[] }[] }[];
      database_specific: { severity: string };
    };
    const affected = osv.affected.find((a) => a.package.name === pkg);
    if (!affected) continue;
    const events = affected.ranges.flatMap((r) => r.events);
    const fixed = events.find((e) => e['fixed'])?.['fixed'];
    const lastAffected = events.find((e) => e['last_affected'])?.['last_affected'];
    return {
      ghsa: osv.id,
      id: osv.aliases.find((a) => a.startsWith('CVE-')) ?? osv.id,
      severity: SEVERITY[osv.database_specific.severity]!,
      ecosystem: affected.package.ecosystem,
      ...(fixed ? { fixed } : {}),
      ...(lastAffected ? { lastAffected } : {}),
    };
  }
  throw new Error(`no fixture advisory for ${pkg}`);
}

interface FindingRecord {
  rule: string;
  severity: string;
  message: string;
  package?: string;
  target?: string;
  location?: { path: string; startLine?: number };
  suppressed: boolean;
  justification?: string;
  tools: string[];
}

let scratch: string;
let mirror: string;
let checksums: string;
let toolsDir: string;
const trivyBin = () => requireTool('trivy').path;

/** A mirror folder serving the trivy of `npm run tools` under its official asset name, with a checksum file for it. */
async function trivyMirror(dir: string): Promise<{ mirror: string; checksums: string }> {
  const asset = ARCHIVES.trivy.asset(platformOf());
  const stage = path.join(dir, 'stage');
  await mkdir(path.join(dir, 'mirror'), { recursive: true });
  await mkdir(stage, { recursive: true });
  await cp(trivyBin(), path.join(stage, ARCHIVES.trivy.binary));
  execFileSync('tar', ['-czf', path.join(dir, 'mirror', asset), '-C', stage, ARCHIVES.trivy.binary]);
  const sha = createHash('sha256')
    .update(readFileSync(path.join(dir, 'mirror', asset)))
    .digest('hex');
  await writeFile(path.join(dir, 'mirror.sha256'), `${sha}  ${asset}\n`);
  return { mirror: path.join(dir, 'mirror'), checksums: path.join(dir, 'mirror.sha256') };
}

/**
 * A `docker save` archive of one layer holding the given files (no OS: Trivy's language analyzers
 * read node_modules/<name>/package.json and <name>.dist-info/METADATA in images).
 */
async function imageArchive(dir: string, files: Record<string, string>): Promise<string> {
  const root = path.join(dir, 'rootfs');
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  const stage = path.join(dir, 'image');
  await mkdir(stage, { recursive: true });
  const layer = path.join(stage, 'layer.tar');
  execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-cf', layer, '-C', root, '.']);
  const diffId = createHash('sha256').update(readFileSync(layer)).digest('hex');
  await mkdir(path.join(stage, diffId));
  await cp(layer, path.join(stage, diffId, 'layer.tar'));
  await rm(layer);
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
    history: [{ created: '2026-01-01T00:00:00Z', created_by: 'test layer' }],
  });
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  await writeFile(path.join(stage, configName), config);
  await writeFile(
    path.join(stage, 'manifest.json'),
    JSON.stringify([{ Config: configName, RepoTags: ['orders-service:vulnerable'], Layers: [`${diffId}/layer.tar`] }]),
  );
  const archive = path.join(dir, 'orders-service.tar');
  execFileSync('tar', ['-cf', archive, '-C', stage, 'manifest.json', configName, `${diffId}/layer.tar`]);
  return archive;
}

interface Scan {
  run: BundleRun;
  findings: FindingRecord[];
}

/** The security-scan bundle with the default scan set-up for Trivy, over a project of the given files. */
async function scan(files: Record<string, string>, inputs: Record<string, string> = {}): Promise<Scan> {
  const runner = await createRunnerEnv({ RUNNER_TEMP: await mkdtemp(path.join(scratch, 'temp-')) });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(runner.dir, name)), { recursive: true });
    await writeFile(path.join(runner.dir, name), text);
  }
  const cache = offlineTrivyCache({ parent: scratch });
  const run = await runBundle('security-scan', {
    runner,
    inputs: {
      'run-scanners': 'available',
      'install-scanners': 'trivy',
      'tools-dir': toolsDir,
      'scanner-mirror': mirror,
      'scanner-checksums': checksums,
      'trivy-cache-dir': cache,
      'fail-on': 'high',
      ...inputs,
    },
    // no gitleaks or semgrep on this PATH: Trivy alone runs
    env: {
      PATH: [path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
      TRIVY_SKIP_CHECK_UPDATE: 'true',
    },
    timeoutMs: 300_000,
  });
  const findingsFile = run.outputs['findings-file'];
  const findings = findingsFile && existsSync(findingsFile) ? (JSON.parse(await readFile(findingsFile, 'utf8')) as FindingRecord[]) : [];
  await runner.cleanup();
  return { run, findings };
}

const werkzeug = () => advisory('Werkzeug');
const ecdsa = () => advisory('ecdsa');
const pyyaml = () => advisory('PyYAML');

/** The project's pins: each one version the advisory affects (below `fixed`, or at `last_affected`). */
const REQUIREMENTS = ['fastapi==0.163.2', 'Werkzeug==3.0.1', 'ecdsa==0.18.0', 'PyYAML==5.3.1', ''].join('\n');

const byRule = (findings: FindingRecord[], rule: string) => findings.filter((f) => f.rule === rule);

let pinned: Scan;
let unfixedIgnored: Scan;
let onlyUnfixed: Scan;
let image: Scan;
let imageFile: string;

beforeAll(async () => {
  requireTool('trivy');
  scratch = await mkdtemp(path.join(tmpdir(), 'trivy-vulns-real-'));
  ({ mirror, checksums } = await trivyMirror(scratch));
  toolsDir = path.join(scratch, 'scanners');
  pinned = await scan({ 'requirements.txt': REQUIREMENTS });
  unfixedIgnored = await scan({ 'requirements.txt': REQUIREMENTS }, { 'ignore-unfixed': 'true' });
  onlyUnfixed = await scan({ 'requirements.txt': 'ecdsa==0.18.0\n' }, { 'ignore-unfixed': 'true' });
  imageFile = await imageArchive(path.join(scratch, 'img'), {
    'usr/lib/node_modules/lodash/package.json': JSON.stringify({ name: 'lodash', version: '4.17.11', license: 'MIT' }),
    'usr/local/lib/python3.11/site-packages/Werkzeug-3.0.1.dist-info/METADATA': 'Metadata-Version: 2.1\nName: Werkzeug\nVersion: 3.0.1\n',
  });
  image = await scan({ 'README.md': '# orders-service\n' }, { image: imageFile });
}, 900_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the offline Trivy database', () => {
  it('was built by trivy-db from the fixture advisories (schema 2) and is what the scans used', () => {
    const db = offlineTrivyDb();
    expect(db.advisories.length).toBeGreaterThanOrEqual(5);
    expect(JSON.parse(readFileSync(path.join(db.dir, 'db', 'metadata.json'), 'utf8'))).toMatchObject({ Version: 2 });
    expect(pinned.run.stdout).toMatch(/Trivy database: the cached one, downloaded .* ago/);
    expect(pinned.run.stdout).toMatch(/trivy \d+\.\d+\.\d+: installed from trivy_[\w.-]+\.tar\.gz \(SHA-256 [0-9a-f]{64} verified\)/);
  });
});

describe('security-scan with the real trivy and a database of real advisories', () => {
  it('fails the gate on the pinned vulnerable versions, counting them by the advisories’ severities', () => {
    const expected = { CRITICAL: 0, HIGH: 0 } as Record<string, number>;
    for (const a of [werkzeug(), ecdsa(), pyyaml()]) expected[a.severity] = (expected[a.severity] ?? 0) + 1;
    expect(pinned.run.stderr).toBe('');
    expect(pinned.run.exitCode).toBe(1);
    expect(pinned.run.outputs).toMatchObject({
      critical: String(expected['CRITICAL']),
      high: String(expected['HIGH']),
      suppressed: '0',
      total: '3',
      gate: 'failed',
    });
    const gate = pinned.run.commands.filter((c) => c.command === 'error').at(-1)!.message;
    expect(gate).toBe('Security gate failed: 3 unsuppressed findings at or above HIGH (fail-on: high, gate-scope: all).');
  });

  it('names the id, the package, the installed and the fixed version of the HIGH one, on requirements.txt', () => {
    const a = werkzeug();
    expect(a.severity).toBe('HIGH');
    const [finding] = byRule(pinned.findings, a.id);
    expect(finding).toMatchObject({
      severity: 'HIGH',
      package: 'Werkzeug@3.0.1',
      suppressed: false,
      tools: ['trivy'],
      // Trivy gives no line numbers for requirements.txt packages: the finding is on the file
      location: { path: 'requirements.txt' },
    });
    expect(finding!.location!.startLine).toBeUndefined();
    expect(finding!.message).toContain(`${a.id} in Werkzeug@3.0.1 (fixed in ${a.fixed})`);
    // the error annotation on the file, and the job summary's row
    const annotation = pinned.run.commands.find((c) => c.command === 'error' && c.message.startsWith(a.id));
    expect(annotation).toMatchObject({ properties: { file: 'requirements.txt', line: '1' } });
    expect(annotation!.message).toContain(`${a.id} in Werkzeug@3.0.1 (fixed in ${a.fixed})`);
    expect(pinned.run.summary).toMatch(new RegExp(`\\| High \\| Trivy \\| \\[${a.id}\\]\\([^)]+\\) \\| \\[requirements\\.txt\\]`));
    expect(pinned.run.summary).toContain(`${a.id} in Werkzeug@3.0.1 (fixed in ${a.fixed})`);
  });

  it('reports the one without a fix as such, and the CRITICAL one', () => {
    const unfixed = ecdsa();
    expect(unfixed.fixed).toBeUndefined();
    expect(byRule(pinned.findings, unfixed.id)[0]).toMatchObject({
      severity: unfixed.severity,
      package: 'ecdsa@0.18.0',
      suppressed: false,
    });
    expect(byRule(pinned.findings, unfixed.id)[0]!.message).toContain(`${unfixed.id} in ecdsa@0.18.0 (no fix yet)`);
    const critical = pyyaml();
    expect(critical.severity).toBe('CRITICAL');
    expect(byRule(pinned.findings, critical.id)[0]).toMatchObject({ severity: 'CRITICAL', package: 'PyYAML@5.3.1' });
    expect(byRule(pinned.findings, critical.id)[0]!.message).toContain(`(fixed in ${critical.fixed})`);
  });

  it('ignore-unfixed: the vulnerability without a fix is reported, suppressed, and no longer gates', () => {
    const unfixed = ecdsa();
    expect(unfixedIgnored.run.exitCode).toBe(1); // the fixed ones still gate
    // total counts the unsuppressed findings
    expect(unfixedIgnored.run.outputs).toMatchObject({ suppressed: '1', total: '2', gate: 'failed' });
    expect(byRule(unfixedIgnored.findings, unfixed.id)[0]).toMatchObject({
      suppressed: true,
      justification: 'ignore-unfixed: no fixed version yet',
      package: 'ecdsa@0.18.0',
    });
    expect(unfixedIgnored.run.commands.filter((c) => c.command === 'error').at(-1)!.message).toBe(
      'Security gate failed: 2 unsuppressed findings at or above HIGH (fail-on: high, gate-scope: all).',
    );

    expect(onlyUnfixed.run.stderr).toBe('');
    expect(onlyUnfixed.run.exitCode).toBe(0);
    expect(onlyUnfixed.run.outputs).toMatchObject({ total: '0', suppressed: '1', high: '0', gate: 'passed' });
    expect(onlyUnfixed.findings.map((f) => [f.rule, f.package, f.suppressed])).toEqual([[unfixed.id, 'ecdsa@0.18.0', true]]);
  });

  it('scans an image archive too: its findings carry the image and the package', () => {
    expect(image.run.stderr).toBe('');
    expect(image.run.exitCode).toBe(1);
    const lodashAdvisories = readdirSync(path.join(advisoriesDir, 'ghsa', 'advisories', 'github-reviewed'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(path.join(advisoriesDir, 'ghsa', 'advisories', 'github-reviewed', f), 'utf8')))
      .filter((osv: { affected: { package: { name: string } }[] }) => osv.affected.some((a) => a.package.name === 'lodash'));
    expect(lodashAdvisories.length).toBe(2);
    const expected = [
      ...lodashAdvisories.map((osv: { aliases: string[]; database_specific: { severity: string } }) => [
        osv.aliases.find((a) => a.startsWith('CVE-')),
        SEVERITY[osv.database_specific.severity],
        'lodash@4.17.11',
      ]),
      [werkzeug().id, werkzeug().severity, 'Werkzeug@3.0.1'],
    ].sort();
    const found = image.findings.filter((f) => f.tools.includes('trivy') && f.package);
    expect(found.map((f) => [f.rule, f.severity, f.package]).sort()).toEqual(expected);
    for (const f of found) {
      expect(f.location).toBeUndefined();
      expect(f.target).toContain(imageFile);
    }
    expect(image.run.summary).toContain(`lodash@4.17.11 in ${imageFile}`);
  });
});
