/**
 * Security-scan aggregation benchmark: ≈100,000 findings in ≈93 MB of Gitleaks, Semgrep and Trivy
 * JSON reports, generated into a temp dir. Each measurement runs in a fresh child process
 * (bench/sarif-child.mjs):
 *  - baseline: read and JSON.parse every report (nothing else);
 *  - aggregation: the built action (dist/security-scan) — read, normalise, deduplicate, redact,
 *    gate, write the SARIF and findings files, outputs and job summary.
 * Prints aggregation time / parse time (budget ≤ 3×) and the aggregation's peak RSS / input bytes
 * (budget ≤ 3×; peak RSS from process.resourceUsage().maxRSS in the child).
 *
 *   node bench/sarif.ts [--findings 100000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BUDGET = 3;

/** A deterministic pseudo-random sequence, so that every run generates the same reports. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const rnd = random(42);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
const words = 'the value of input is passed to a sink without validation which allows an attacker to inject code into the query'.split(' ');
const sentence = (n: number) => Array.from({ length: n }, () => pick(words)).join(' ');
const file = (i: number) => `src/module${i % 400}/component${i % 37}/file${i % 1000}.${['py', 'ts', 'go', 'java'][i % 4]}`;

function gitleaks(count: number): unknown[] {
  let secret = '';
  return Array.from({ length: count }, (_, i) => {
    // every 20th leak is the previous one found again in another commit: it collapses in deduplication
    const base = i % 20 === 19 ? i - 1 : i;
    if (base === i) secret = `AKIA${hex(16).toUpperCase()}`;
    return {
      RuleID: ['aws-access-token', 'generic-api-key', 'github-pat', 'slack-bot-token'][base % 4],
      Description:
        'Identified a pattern that may indicate AWS credentials, risking unauthorized cloud resource access and data breaches on AWS platforms.',
      StartLine: 10 + (base % 300),
      EndLine: 10 + (base % 300),
      StartColumn: 14,
      EndColumn: 34,
      Match: `aws_access_key_id = "${secret}"`,
      Secret: secret,
      File: file(base),
      SymlinkFile: '',
      Commit: hex(40),
      Entropy: 3.6841838,
      Author: 'Jane Developer',
      Email: 'jane@example.com',
      Date: '2026-01-15T10:22:33Z',
      Message: sentence(6),
      Tags: [],
      Fingerprint: `${hex(40)}:${file(base)}:aws-access-token:${10 + (base % 300)}`,
    };
  });
}

function semgrep(count: number): unknown {
  // one message per rule, as Semgrep writes them (metavariables are rarely interpolated)
  const messages = Array.from({ length: 150 }, () => `Detected ${sentence(8)}. ${sentence(8)}.`);
  return {
    version: '1.185.0',
    errors: [],
    paths: { scanned: [] },
    results: Array.from({ length: count }, (_, i) => {
      const rule = `python.lang.security.audit.rule-${i % 150}`;
      return {
        check_id: rule,
        path: file(i),
        start: { line: 1 + (i % 900), col: 5, offset: 100 + i },
        end: { line: 1 + (i % 900), col: 60, offset: 155 + i },
        extra: {
          message: messages[i % 150],
          metadata: {
            cwe: [`CWE-${78 + (i % 20)}: Improper Neutralization of Special Elements used in an OS Command`],
            owasp: ['A03:2021 - Injection'],
            references: ['https://owasp.org/Top10/A03_2021-Injection'],
            category: 'security',
            confidence: 'MEDIUM',
            source: `https://semgrep.dev/r/${rule}`,
            shortlink: 'https://sg.run/abcd',
          },
          severity: pick(['ERROR', 'WARNING', 'INFO']),
          fingerprint: `${hex(128)}_${i % 3}`,
          lines: `    subprocess.run(args, shell=True)  # ${sentence(4)}`,
          is_ignored: i % 50 === 0,
          validation_state: 'NO_VALIDATOR',
          engine_kind: 'OSS',
        },
      };
    }),
  };
}

function trivy(count: number): unknown {
  const perTarget = 1000;
  const results = [];
  for (let t = 0; t * perTarget < count; t++) {
    results.push({
      Target: `services/svc${t}/package-lock.json`,
      Class: 'lang-pkgs',
      Type: 'npm',
      Vulnerabilities: Array.from({ length: Math.min(perTarget, count - t * perTarget) }, (_, i) => {
        const id = `CVE-20${10 + (i % 15)}-${10000 + i}`;
        return {
          VulnerabilityID: id,
          PkgID: `pkg-${i % 300}@1.${i % 10}.0`,
          PkgName: `pkg-${i % 300}`,
          PkgIdentifier: { PURL: `pkg:npm/pkg-${i % 300}@1.${i % 10}.0`, UID: hex(16) },
          InstalledVersion: `1.${i % 10}.0`,
          FixedVersion: `1.${(i % 10) + 1}.0`,
          Status: 'fixed',
          SeveritySource: 'ghsa',
          PrimaryURL: `https://avd.aquasec.com/nvd/${id.toLowerCase()}`,
          Fingerprint: `sha256:${hex(64)}`,
          Title: `pkg: ${sentence(6)}`,
          Description: `${sentence(8)}.`,
          Severity: pick(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']),
          CweIDs: ['CWE-400'],
          CVSS: { nvd: { V3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', V3Score: 7.5 } },
          References: [`https://nvd.nist.gov/vuln/detail/${id}`],
          PublishedDate: '2023-01-09T10:15:10.447Z',
          LastModifiedDate: '2024-05-17T01:17:24.28Z',
        };
      }),
    });
  }
  return { SchemaVersion: 2, Trivy: { Version: '0.74.0' }, ArtifactName: '.', ArtifactType: 'filesystem', Results: results };
}

function generate(dir: string, findings: number): void {
  const third = Math.round(findings / 3);
  writeFileSync(path.join(dir, 'gitleaks.json'), JSON.stringify(gitleaks(third), null, 1));
  writeFileSync(path.join(dir, 'semgrep.json'), JSON.stringify(semgrep(third)));
  writeFileSync(path.join(dir, 'trivy.json'), JSON.stringify(trivy(findings - 2 * third), null, 2));
}

const REPORTS = ['gitleaks.json', 'semgrep.json', 'trivy.json'];

/** One measurement in a fresh process running bench/sarif-child.mjs (plain JavaScript). */
function child(mode: string, dir: string): Record<string, number> {
  const out = path.join(dir, `${mode}.figures.json`);
  const run = spawnSync(process.execPath, [path.join(import.meta.dirname, 'sarif-child.mjs'), `--${mode}`, dir, out], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`${mode} child failed (${run.status}):\n${run.stderr}\n${run.stdout.slice(-2000)}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>;
}

async function main(): Promise<void> {
  const [mode, dir] = process.argv.slice(2);
  if (mode === '--generate') return generate(dir!, 100_000);
  const flag = process.argv.indexOf('--findings');
  const findings = flag > 0 ? Number(process.argv[flag + 1]) : 100_000;
  const work = mkdtempSync(path.join(tmpdir(), 'bench-sarif-'));
  try {
    generate(work, findings);
    const bytes = REPORTS.reduce((sum, name) => sum + statSync(path.join(work, name)).size, 0);
    // interleave and keep the median of 3 of each, as machines are noisy
    const parses: Record<string, number>[] = [];
    const aggregations: Record<string, number>[] = [];
    for (let i = 0; i < 3; i++) {
      parses.push(child('parse', work));
      aggregations.push(child('aggregate', work));
    }
    const median = (runs: Record<string, number>[], key: string) => [...runs.map((r) => r[key]!)].sort((a, b) => a - b)[1]!;
    const parseMs = median(parses, 'ms');
    const aggMs = median(aggregations, 'ms');
    const rss = median(aggregations, 'maxRssKb') * 1024;
    // checked here, not in the measured child: the action's outputs and the SARIF file it wrote
    const outputs = readFileSync(path.join(work, 'runner-output'), 'utf8');
    const found = Number(/total<<\S+\n(\d+)/.exec(outputs)?.[1]) + Number(/suppressed<<\S+\n(\d+)/.exec(outputs)?.[1]);
    const sarif = JSON.parse(readFileSync(path.join(work, 'out', 'security-scan.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
    const sarifResults = sarif.runs.reduce((n, r) => n + r.results.length, 0);
    const timeRatio = aggMs / parseMs;
    const memRatio = rss / bytes;
    console.log(`Input: ${parses[0]!['items']} findings in ${(bytes / 1048576).toFixed(1)} MB (${REPORTS.length} reports)`);
    console.log(`Output: ${found} findings after dedupe; ${sarifResults} SARIF results (at most 25,000 per tool)`);
    const [parseCpu, aggCpu] = [median(parses, 'cpuMs'), median(aggregations, 'cpuMs')];
    console.log(`JSON.parse only   ${parseMs.toFixed(0).padStart(6)} ms  (CPU ${parseCpu.toFixed(0)} ms)`);
    console.log(
      `aggregation       ${aggMs.toFixed(0).padStart(6)} ms  (CPU ${aggCpu.toFixed(0)} ms)  ${timeRatio.toFixed(2)}× parse (CPU ${(aggCpu / parseCpu).toFixed(2)}×)${timeRatio > BUDGET ? `  OVER ${BUDGET}× BUDGET` : ''}`,
    );
    console.log(
      `peak RSS          ${(rss / 1048576).toFixed(0).padStart(6)} MB  ${memRatio.toFixed(2)}× input${memRatio > BUDGET ? `  OVER ${BUDGET}× BUDGET` : ''}`,
    );
    process.exitCode = timeRatio > BUDGET || memRatio > BUDGET ? 1 : 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
