import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, mapInputs, MemoryLogger } from '@pipeline-toolkit/core';
import { readScanInputs, runScan } from '@pipeline-toolkit/sarif';
import { requireTool, writeFiles } from '@pipeline-toolkit/testing';

/**
 * security-scan applies a repository's .trivyignore.yaml to Trivy reports made without it. It must
 * ignore what the pinned Trivy ignores with the same file: a report made without the file, read
 * by security-scan in the repository, suppresses exactly the findings that Trivy, given the file
 * (`--ignorefile --show-suppressed`), lists as ignored. Secrets under paths with dot-named files
 * and folders, and Dockerfile checks named by their current ID, their AVD ID and their old ID.
 */
const KEY = 'AKIAZ3MSJV4WWNKWW5GF';
const FILES: Record<string, string> = {
  'config/.env': `aws_access_key_id = "${KEY}"\n`,
  '.github/deploy.yaml': `aws_access_key_id: "${KEY}"\n`,
  'notes/.todo.txt': `aws_access_key_id = "${KEY}"\n`,
  'docs/guide.txt': `aws_access_key_id = "${KEY}"\n`,
  'app/settings.py': `aws_access_key_id = "${KEY}"\n`,
  'svc/Dockerfile': 'FROM alpine:latest\nRUN apk add curl\n',
  'tools/Dockerfile': 'FROM alpine:latest\nRUN apk add curl\n',
};
const IGNORE = [
  'secrets:',
  '  - id: aws-access-key-id',
  '    paths: ["config/**", "**/*.yaml", "*.txt"]',
  '    statement: test keys',
  'misconfigurations:',
  '  - id: AVD-DS-0001',
  '  - id: DS002',
  '  - id: DS-0026',
  '    paths: ["svc/**"]',
  '',
].join('\n');

let dir: string;
let trivy: string;
const repo = () => path.join(dir, 'repo');
beforeAll(async () => {
  trivy = requireTool('trivy').path;
  dir = await mkdtemp(path.join(tmpdir(), 'ptk-trivyignore-'));
  await writeFiles(repo(), FILES);
  await writeFile(path.join(dir, 'ignore.yaml'), IGNORE);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface TrivyReport {
  Results?: {
    Target: string;
    Secrets?: { RuleID: string }[];
    Misconfigurations?: { ID: string; Status: string }[];
    ExperimentalModifiedFindings?: { Type: string; Finding: { RuleID?: string; ID?: string } }[];
  }[];
}

/** `trivy fs` of the repository (secrets and misconfigurations, offline), with or without the ignore file. */
async function scanWithTrivy(out: string, ignoreFile?: string): Promise<TrivyReport> {
  execFileSync(
    trivy,
    [
      'fs',
      ...['--scanners', 'secret,misconfig', '--format', 'json', '--output', out, '--quiet'],
      ...['--disable-telemetry', '--skip-version-check', '--skip-check-update', '--cache-dir', path.join(dir, 'cache')],
      ...(ignoreFile ? ['--ignorefile', ignoreFile, '--show-suppressed'] : []),
      '.',
    ],
    { cwd: repo(), timeout: 240_000 },
  );
  return JSON.parse(await readFile(out, 'utf8')) as TrivyReport;
}

it('.trivyignore.yaml: what security-scan suppresses in a report made without it is what Trivy ignores with it', async () => {
  const plain = await scanWithTrivy(path.join(dir, 'plain.json'));
  const withIgnore = await scanWithTrivy(path.join(dir, 'ignored.json'), path.join(dir, 'ignore.yaml'));
  const trivyIgnored = (withIgnore.Results ?? [])
    .flatMap((r) => (r.ExperimentalModifiedFindings ?? []).map((m) => `${r.Target} ${m.Finding.RuleID ?? m.Finding.ID}`))
    .sort();
  const all = (plain.Results ?? [])
    .flatMap((r) => [
      ...(r.Secrets ?? []).map((s) => `${r.Target} ${s.RuleID}`),
      ...(r.Misconfigurations ?? []).filter((m) => m.Status === 'FAIL').map((m) => `${r.Target} ${m.ID}`),
    ])
    .sort();

  // security-scan reads the report made without the file, in the repository that holds it
  await writeFile(path.join(repo(), '.trivyignore.yaml'), IGNORE);
  try {
    const options = readScanInputs(new Inputs(mapInputs({ 'trivy-report': path.join(dir, 'plain.json'), 'fail-on': 'none' })));
    const result = await runScan(options, { log: new MemoryLogger(), env: { RUNNER_TEMP: dir }, cwd: repo() });
    const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as {
      rule: string;
      location?: { path: string };
      suppressed: boolean;
      justification?: string;
    }[];
    const ours = findings.map((f) => ({ at: `${f.location?.path} ${f.rule}`, suppressed: f.suppressed }));
    expect(ours.map((f) => f.at).sort()).toEqual(all);
    expect(
      ours
        .filter((f) => f.suppressed)
        .map((f) => f.at)
        .sort(),
    ).toEqual(trivyIgnored);
  } finally {
    await rm(path.join(repo(), '.trivyignore.yaml'));
  }
  // what Trivy 0.74.0 ignores here, read from the file: the secrets under config/ and in .yaml
  // files (dot-named ones too; *.txt is one segment), DS-0001 by its AVD ID, DS-0002 by its old
  // ID, DS-0026 in svc/ only
  expect(trivyIgnored).toEqual([
    '.github/deploy.yaml aws-access-key-id',
    'config/.env aws-access-key-id',
    'svc/Dockerfile DS-0001',
    'svc/Dockerfile DS-0002',
    'svc/Dockerfile DS-0026',
    'tools/Dockerfile DS-0001',
    'tools/Dockerfile DS-0002',
  ]);
}, 320_000);
