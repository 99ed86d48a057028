import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, mapInputs, MemoryLogger, REDACTED } from '@pipeline-toolkit/core';
import { readScanInputs, runScan } from '../src/index.ts';
import { aggregateInWorker } from '../src/parallel/worker.ts';
import { jobOf } from './helpers.ts';

/**
 * Token formats of real providers (values made up, shapes as each provider issues them). Each is
 * reported by Gitleaks (its `Secret`) and planted into every string field of every other format.
 */
const CORPUS = [
  'AKIAZ3MXQ7R2VJ4KLP9T', // AWS access key id
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYZQ8mk2hT9v', // AWS secret access key
  'ghp_4Jt7Qk2Lm9Zx8Vb3Nc6Rd1Sf5Gh0Wq2Ey7Tu', // GitHub classic PAT
  'gho_9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8Vb', // GitHub OAuth token
  'github_pat_11ABCDE2F0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01234', // fine-grained PAT
  'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', // Slack bot token
  'https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/MnOpQrStUvWxYz0123456789', // Slack webhook
  'sk_live_51HaBcDeFgHiJkLmNoPqRsTuV', // Stripe secret key
  'AIzaSyD4xK9mQ2pL7vR3nT8wZ1yB6cF0hJ5gE2s', // Google API key
  'glpat-x9Yz8Wv7Ut6Sr5Qp4On3', // GitLab PAT
  'npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8', // npm token
  'pypi-AgEIcHlwaS5vcmcCJGE4ZjY3ZWQ2LTZmNzMtNDg1Yy05OTk5LTA0ZmM3MzdhMzNhYgACKlszLCJlOTc4In1d', // PyPI token
  'SG.aBcDeFgHiJkLmNoPqRsTuV.wXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ012', // SendGrid key
  'SKa1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6', // Twilio API key
  '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', // Shopify access token
  'dop_v1_a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2', // DigitalOcean token
  'hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567', // Hugging Face token
  'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEf', // OpenAI key
  'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEfGhIjKl', // Anthropic key
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', // JWT
  'dp.pt.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCd', // Doppler token
  '38c47f19e349153fa963bb3b3212fe8e-us11', // Mailchimp API key
];

/** Enumerations and format markers: a token there would make another document, not a hostile one. */
const STRUCTURAL = new Set(['level', 'severity', 'Severity', 'Class', 'Type', 'ArtifactType', 'type', 'SchemaVersion', 'check_type']);

/** Every string of a JSON value replaced by `plant(original)`, keys kept (apart from structural fields). */
function plantEverywhere(value: unknown, plant: (s: string) => string, key = '', parent = ''): unknown {
  if (typeof value === 'string') {
    const structural = STRUCTURAL.has(key) || (key === 'version' && parent === '') || (key === 'name' && parent === 'descriptor');
    return structural ? value : plant(value);
  }
  if (Array.isArray(value)) return value.map((v) => plantEverywhere(v, plant, key, parent));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plantEverywhere(v, plant, k, key)]));
  return value;
}

const loc = (uri: string) => [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: 2 } } }];

/** One small report of each supported format, whose string fields all get a token. */
function reports(): Record<string, unknown> {
  return {
    'other.sarif': {
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'Scanner',
              version: '1.0',
              informationUri: 'https://example.org/x',
              rules: [
                {
                  id: 'R1',
                  name: 'Rule',
                  helpUri: 'https://example.org/r',
                  shortDescription: { text: 'Short' },
                  properties: { tags: ['security'] },
                },
              ],
            },
          },
          results: [
            {
              ruleId: 'R1',
              level: 'error',
              message: { text: 'Found' },
              locations: loc('src/a.js'),
              fingerprints: { v1: 'abc' },
              properties: { note: 'n' },
            },
          ],
        },
      ],
    },
    'semgrep.json': {
      version: '1.100.0',
      results: [
        {
          check_id: 'rules.x',
          path: 'src/b.py',
          start: { line: 1, col: 1 },
          end: { line: 1, col: 9 },
          extra: {
            message: 'Bad',
            severity: 'ERROR',
            fingerprint: 'requires login',
            lines: 'x = 1',
            metadata: { source: 'https://semgrep.dev/r/x', cwe: ['CWE-798: Hard-coded'] },
          },
        },
      ],
      errors: [{ message: 'Oops', level: 'warn' }],
    },
    'trivy.json': {
      SchemaVersion: 2,
      ArtifactName: '.',
      ArtifactType: 'filesystem',
      Results: [
        {
          Target: 'package-lock.json',
          Class: 'lang-pkgs',
          Type: 'npm',
          Vulnerabilities: [
            {
              VulnerabilityID: 'CVE-2024-0001',
              PkgName: 'lodash',
              InstalledVersion: '1.0.0',
              FixedVersion: '1.0.1',
              Severity: 'HIGH',
              Title: 'Issue',
              PrimaryURL: 'https://avd.aquasec.com/x',
            },
          ],
        },
      ],
    },
    'grype.json': {
      matches: [
        {
          vulnerability: { id: 'CVE-2024-0002', severity: 'High', description: 'Desc', dataSource: 'https://nvd.example/x' },
          artifact: { name: 'pkg', version: '2.0', locations: [{ path: '/src/c.txt' }] },
        },
      ],
      source: { type: 'directory', target: 'repo' },
      distro: {},
      descriptor: { name: 'grype', version: '0.80.0' },
    },
    'checkov.json': {
      check_type: 'terraform',
      results: {
        failed_checks: [
          {
            check_id: 'CKV_1',
            check_name: 'Check',
            file_path: '/main.tf',
            file_line_range: [1, 3],
            resource: 'aws_s3_bucket.b',
            severity: 'HIGH',
            guideline: 'https://docs.example/g',
          },
        ],
      },
      summary: { checkov_version: '3.2.0' },
    },
    // Checkov's secrets framework, as 2.0 wrote it: the code line unmasked, the resource its secret's SHA-1
    'checkov-secrets.json': {
      check_type: 'secrets',
      results: {
        failed_checks: [
          {
            check_id: 'CKV_SECRET_2',
            check_name: 'AWS Access Key',
            file_path: '/provider.tf',
            repo_file_path: '/provider.tf',
            file_abs_path: '/work/provider.tf',
            file_line_range: [3, 4],
            resource: '25910f981e85ca04baf359199dd0bd4a3ae738b6',
            code_block: [[3, '  access_key = "value"\n']],
            guideline: 'https://docs.example/secrets',
          },
        ],
      },
      summary: { checkov_version: '2.0.1200' },
    },
  };
}

/** The Gitleaks report of every token, and each other format with a token in every string field. */
async function corpus(): Promise<{ dir: string; files: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'corpus-'));
  await writeFile(
    path.join(dir, 'gitleaks.json'),
    JSON.stringify(
      CORPUS.map((secret, i) => ({
        RuleID: 'generic-api-key',
        File: 'leaks.env',
        StartLine: i + 1,
        Secret: secret,
        Match: `KEY=${secret}`,
        Tags: [],
      })),
    ),
  );
  let n = 0;
  const files: string[] = [];
  for (const [name, report] of Object.entries(reports())) {
    // a token in the middle of each string, taking the formats in turn
    const planted = plantEverywhere(report, (s) => `${s}-${CORPUS[n++ % CORPUS.length]}-end`);
    await writeFile(path.join(dir, name), JSON.stringify(planted));
    files.push(name);
  }
  return { dir, files };
}

/** The tokens found in any output, in any letter case: a folded copy (a tool id made from a driver name) leaks a token as surely. */
function leaks(outputs: Record<string, string>): string[] {
  return Object.entries(outputs).flatMap(([where, text]) =>
    CORPUS.filter((token) => text.toLowerCase().includes(token.toLowerCase())).map((token) => `${where}: ${token}`),
  );
}

describe('secret corpus', () => {
  it(`${CORPUS.length} token formats planted into every string field of every format appear in no output`, async () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(20);
    const { dir } = await corpus();
    const log = new MemoryLogger();
    const result = await runScan(
      readScanInputs(
        new Inputs(
          mapInputs({
            'gitleaks-report': 'gitleaks.json',
            reports: '*.sarif\nsemgrep.json\ntrivy.json\ngrype.json\ncheckov.json\ncheckov-secrets.json',
            'fail-on': 'none',
          }),
        ),
      ),
      {
        log,
        env: { RUNNER_TEMP: dir },
        cwd: dir,
      },
    );
    expect(result.tools.length).toBe(6);
    expect(result.counts.total).toBeGreaterThanOrEqual(CORPUS.length + 5);
    const outputs = {
      sarif: await readFile(result.sarifFile, 'utf8'),
      findings: await readFile(result.findingsFile, 'utf8'),
      summary: result.summary,
      annotations: JSON.stringify(result.annotations),
      console: result.console,
      problems: JSON.stringify(result.problems),
      log: JSON.stringify(log.lines),
    };
    expect(leaks(outputs)).toEqual([]);
    // the planted texts are there, redacted (the test would see the tokens if they were not)
    expect(outputs.sarif.split(REDACTED).length - 1).toBeGreaterThan(40);
    expect(outputs.sarif).toContain('-end');
    // Checkov's secrets framework was read as secrets (its unmasked code line among the secrets redacted)
    expect(outputs.findings).toContain('Secret detected by rule CKV_SECRET_2-');
  });

  it('appear in no output of two threads either, the reports divided between them at every report, the tokens found by either thread', async () => {
    const { dir, files } = await corpus();
    const others = files.map((file) => ({ input: 'reports', label: "Input 'reports'", kind: 'any', file: path.join(dir, file) }));
    const gitleaks = {
      input: 'gitleaks-report',
      label: "Input 'gitleaks-report'",
      kind: 'gitleaks',
      file: path.join(dir, 'gitleaks.json'),
    };
    // the tokens are found by the coordinator (Gitleaks first) or by the shard (Gitleaks last)
    for (const sources of [
      [gitleaks, ...others],
      [...others, gitleaks],
    ]) {
      for (let index = 1; index < sources.length; index++) {
        const name = `${sources[0]!.kind}-${index}`;
        const job = jobOf(sources, dir, name, { index });
        const result = await aggregateInWorker(job);
        const sarif = await readFile(job.sarifFile, 'utf8');
        const outputs = {
          sarif,
          findings: await readFile(job.findingsFile, 'utf8'),
          summary: result.summary,
          annotations: JSON.stringify(result.annotations),
          console: result.console,
          problems: JSON.stringify(result.problems),
        };
        expect([name, leaks(outputs)]).toEqual([name, []]);
        // every result names a rule of its run's list
        const log = JSON.parse(sarif) as {
          runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number }[] }[];
        };
        const misnamed = log.runs.flatMap((run) =>
          run.results.filter((r) => run.tool.driver.rules[r.ruleIndex]?.id !== r.ruleId).map((r) => `${name}: ${r.ruleId}`),
        );
        expect(misnamed).toEqual([]);
      }
    }
  }, 120_000);
});
