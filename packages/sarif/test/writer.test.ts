import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Aggregator, writeSarif, type ReportKind, type RawFindingForTests } from './writer-helpers.ts';
import { findingJson } from '../src/writer.ts';
import type { Finding } from '../src/model.ts';
import { aggregate, fixture, githubUploadProblems, sarifValidators } from './helpers.ts';

const ALL: [string, ReportKind][] = [
  ['gitleaks/gitleaks-baseline-report.json', 'gitleaks'],
  ['gitleaks/gitleaks-golden-json_simple.json', 'gitleaks'],
  ['gitleaks/gitleaks-golden-sarif_simple.sarif', 'gitleaks'],
  ['gitleaks/gitleaks-v8-unsafe-bank.sarif', 'gitleaks'],
  ['semgrep/semgrep-json-critical-severity.json', 'semgrep'],
  ['semgrep/semgrep-json-v1.100.0-logged-out.json', 'semgrep'],
  ['semgrep/semgrep-json-v1.84.1-low-severity.json', 'semgrep'],
  ['semgrep/semgrep-sarif-include-nosemgrep.sarif', 'semgrep'],
  ['semgrep/semgrep-sarif-dataflow-traces.sarif', 'semgrep'],
  ['trivy/trivy-image-alpine39.json', 'trivy'],
  ['trivy/trivy-npm-with-suppressed.json', 'trivy'],
  ['trivy/trivy-repo-secrets.json', 'trivy'],
  ['trivy/trivy-v0.72.0-config-terraform.json', 'trivy'],
  ['trivy/trivy-v0.43.1-image-alpine.sarif', 'trivy'],
  ['other/codeql-2.5.4-output.sarif', 'sarif'],
  ['other/codeql-action-valid-multirun.sarif', 'sarif'],
  ['other/codeql-action-tool-names.sarif', 'sarif'],
  ['other/dockle-0.3.15-image-no-locations.sarif', 'sarif'],
  ['grype/grype-0.34.7-cxf.sarif', 'sarif'],
];

async function written(agg: Aggregator, options: { root?: string; maxResultsPerRun?: number; categoryPrefix?: string } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'sarif-writer-'));
  const file = path.join(dir, 'out', 'scan.sarif');
  const stats = await writeSarif(file, agg.findings(), agg.tools, {
    categoryPrefix: 'security-scan',
    root: options.root ?? dir,
    ...options,
  });
  return { stats, log: JSON.parse(await readFile(file, 'utf8')), text: await readFile(file, 'utf8') };
}

describe('the findings file', () => {
  it('writes each finding exactly as JSON.stringify would, for every fixture (merged, suppressed, targets, packages)', async () => {
    const agg = await aggregate(ALL);
    // a secret that two tools found at one place: one finding with both tools
    const secret = (tool: string, rule: string): RawFindingForTests => ({
      tool,
      key: `${tool}|${rule}`,
      rule,
      title: 'A "quoted" secret\tfound',
      message: 'Rotate it',
      severity: 'HIGH',
      category: 'secret',
      location: { path: 'config/app.env', startLine: 4 },
      suppressed: false,
      cwe: ['CWE-798'],
      cve: [],
    });
    agg.finding(secret('gitleaks', 'generic-api-key'));
    agg.finding(secret('trivy', 'generic-secret'));
    const findings = agg.findings();
    expect(findings.some((f) => f.tools.length > 1) && findings.some((f) => f.suppressed)).toBe(true);
    expect(findings.some((f) => f.target !== undefined) && findings.some((f) => f.package !== undefined)).toBe(true);
    for (const f of findings) expect(findingJson(f)).toBe(JSON.stringify(f));
  });

  it('writes only the fields of the format, in its order, whatever else a finding object carries', () => {
    const f: Finding = {
      report: 'reports/trivy.json',
      helpUri: 'https://avd.aquasec.com/nvd/cve-2021-44228',
      cve: ['CVE-2021-44228'],
      cwe: ['CWE-502'],
      suppressed: false,
      match: 'b'.repeat(32),
      fingerprint: 'a'.repeat(32),
      package: 'log4j-core@2.14.1',
      target: 'app.jar',
      category: 'vulnerability',
      severity: 'CRITICAL',
      message: 'Log4Shell',
      title: 'Log4Shell',
      rule: 'CVE-2021-44228',
      tools: ['trivy'],
    };
    const internal = Object.assign({ ...f }, { secret: 'AKIAIOSFODNN7EXAMPLE', originals: ['x'] });
    const written = JSON.parse(findingJson(internal)) as Record<string, unknown>;
    expect(Object.keys(written)).toEqual([
      'tools',
      'rule',
      'title',
      'message',
      'severity',
      'category',
      'target',
      'package',
      'fingerprint',
      'match',
      'suppressed',
      'cwe',
      'cve',
      'helpUri',
      'report',
    ]);
    expect(findingJson(internal)).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
});

describe('writeSarif', () => {
  it('writes every fixture into one log that validates against both schema copies and GitHub upload rules', async () => {
    const { log, stats } = await written(await aggregate(ALL));
    const { oasis, codeql } = sarifValidators();
    expect(oasis(log) ? [] : oasis.errors).toEqual([]);
    expect(codeql(log) ? [] : codeql.errors).toEqual([]);
    expect(githubUploadProblems(log)).toEqual([]);
    // one run per tool, in the order the tools were read, each with its own category
    expect(log.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).toEqual([
      'security-scan/gitleaks/',
      'security-scan/semgrep/',
      'security-scan/trivy/',
      'security-scan/codeql/',
      'security-scan/lgtm-com/',
      'security-scan/codeql-command-line-toolchain/',
      'security-scan/eslint/',
      'security-scan/unnamed-tool/',
      'security-scan/dockle/',
      'security-scan/grype/',
    ]);
    // Dockle's 4 results and the image vulnerabilities have no file and their reports lie outside the repository
    expect(stats.unlocated).toBe(4 + 6 + 0);
    expect(stats.overLimit).toBe(0);
  });

  it('the validators reject what GitHub rejects (a null driver name, line 0)', async () => {
    const { oasis, codeql } = sarifValidators();
    const invalid = JSON.parse(await readFile(fixture('other/codeql-action-tool-names.sarif'), 'utf8'));
    expect(oasis(invalid)).toBe(false);
    expect(codeql(invalid)).toBe(false);
    const lineZero = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'x', rules: [{ id: 'r' }] } },
          results: [
            {
              ruleId: 'r',
              message: { text: 'm' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'a' }, region: { startLine: 0 } } }],
            },
          ],
        },
      ],
    };
    expect(oasis(lineZero)).toBe(false);
    expect(githubUploadProblems(lineZero)).toEqual(['r: startLine 0']);
  });

  it("gives a rule its results' highest security-severity, and a less severe result its own (real Flawfinder and Snyk Code SARIF)", async () => {
    const { log } = await written(
      await aggregate([
        ['other/flawfinder-mixed-levels.sarif', 'sarif'],
        ['other/snyk-code-mixed-levels.json', 'sarif'],
      ]),
    );
    type Rule = { id: string; defaultConfiguration: { level: string }; properties: { 'security-severity': string } };
    type Result = { ruleId: string; ruleIndex: number; level: string; properties: { severity: string; 'security-severity'?: string } };
    const runs = log.runs as { tool: { driver: { rules: Rule[] } }; results: Result[] }[];
    const rule = (id: string) => runs.flatMap((r) => r.tool.driver.rules).find((r) => r.id === id)!;
    const levels = (id: string) =>
      [
        ...new Set(
          runs
            .flatMap((r) => r.results)
            .filter((r) => r.ruleId === id)
            .map((r) => r.level),
        ),
      ].sort();
    // from the files: FF1021 has error and note results, FF1048 error and warning, Snyk's javascript/XSS error and warning
    expect([levels('FF1021'), levels('FF1048'), levels('javascript/XSS')]).toEqual([
      ['error', 'note'],
      ['error', 'warning'],
      ['error', 'warning'],
    ]);
    for (const id of ['FF1021', 'FF1048', 'javascript/XSS'])
      expect([rule(id).properties['security-severity'], rule(id).defaultConfiguration.level]).toEqual(['8.0', 'error']);
    // every result's security-severity (its own, else its rule's) is that of its own severity; its own only when it is lower
    const SCORE: Record<string, string> = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0', INFO: '0.0' };
    const wrong = runs.flatMap((run) =>
      run.results.flatMap((r) => {
        const ruleScore = run.tool.driver.rules[r.ruleIndex]!.properties['security-severity'];
        const own = r.properties['security-severity'];
        const score = own ?? ruleScore;
        return score !== SCORE[r.properties.severity] || own === ruleScore
          ? [`${r.ruleId} ${r.properties.severity}: ${own}/${ruleScore}`]
          : [];
      }),
    );
    expect(wrong).toEqual([]);
    const xss = runs.flatMap((r) => r.results).filter((r) => r.ruleId === 'javascript/XSS');
    expect(xss.filter((r) => r.properties['security-severity'] === '5.5').length).toBe(7);
  });

  it('gives level, numeric security-severity and the security tag per the severity table', async () => {
    const { log } = await written(
      await aggregate([
        ['semgrep/semgrep-json-critical-severity.json', 'semgrep'],
        ['semgrep/semgrep-json-v1.84.1-low-severity.json', 'semgrep'],
      ]),
    );
    const rules = log.runs[0].tool.driver.rules;
    expect(
      rules.map(
        (r: { id: string; defaultConfiguration: { level: string }; properties: { 'security-severity': string; tags: string[] } }) => [
          r.id,
          r.defaultConfiguration.level,
          r.properties['security-severity'],
          r.properties.tags[0],
        ],
      ),
    ).toEqual([
      ['rules.critical', 'error', '9.5', 'security'],
      ['rules.sast.dev.generic.internal.detect-cdn-usage-react-express', 'note', '2.0', 'security'],
    ]);
    expect(log.runs[0].results.map((r: { level: string }) => r.level)).toEqual(['error', 'note', 'note', 'note']);
  });

  it('places findings without a file on their report when it lies in the repository', async () => {
    const agg = await aggregate([['other/dockle-0.3.15-image-no-locations.sarif', 'sarif']]);
    const { log, stats } = await written(agg, { root: path.resolve(path.dirname(agg.findings()[0]!.report), '..') });
    expect(stats.unlocated).toBe(0);
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'other/dockle-0.3.15-image-no-locations.sarif' },
      region: { startLine: 1 },
    });
  });

  it('sanitises line and column 0, percent-encodes paths and keeps suppressed results marked', async () => {
    const agg = new Aggregator();
    agg.startReport('r.json');
    const base: RawFindingForTests = {
      tool: 'semgrep',
      key: 'a',
      rule: 'r1',
      title: 't',
      message: 'm',
      severity: 'LOW',
      category: 'sast',
      suppressed: false,
      cwe: [],
      cve: [],
    };
    agg.tool({ id: 'semgrep', name: 'Semgrep' });
    agg.finding({ ...base, location: { path: 'src/My File.py', startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 } });
    agg.finding({ ...base, key: 'b', suppressed: true, location: { path: 'a.py', startLine: 5, startColumn: 9, endColumn: 3 } });
    const { log } = await written(agg);
    expect(githubUploadProblems(log)).toEqual([]);
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'src/My%20File.py' },
      region: { startLine: 1, startColumn: 1 },
    });
    expect(log.runs[0].results[1].locations[0].physicalLocation.region).toEqual({ startLine: 5, startColumn: 9 });
    expect(log.runs[0].results[1].suppressions).toEqual([{ kind: 'external', status: 'accepted' }]);
  });

  it('keeps the most severe results when a run is over the limit, and at most 20 runs', async () => {
    const agg = new Aggregator();
    const severities = ['LOW', 'CRITICAL', 'MEDIUM', 'HIGH', 'INFO'] as const;
    for (let t = 0; t < 22; t++) {
      agg.tool({ id: `tool-${t}`, name: `Tool ${t}` });
      for (let i = 0; i < (t === 0 ? 50 : 1); i++) {
        agg.finding({
          tool: `tool-${t}`,
          key: `${t}-${i}`,
          rule: `rule-${i % 3}`,
          title: 'x',
          message: 'x',
          severity: t === 0 ? severities[i % 5]! : t >= 20 ? 'INFO' : 'HIGH',
          category: 'other',
          location: { path: 'a.txt', startLine: i + 1 },
          suppressed: false,
          cwe: [],
          cve: [],
        });
      }
    }
    const { log, stats } = await written(agg, { maxResultsPerRun: 20 });
    expect(githubUploadProblems(log)).toEqual([]);
    expect(log.runs).toHaveLength(20);
    expect(stats.droppedRuns).toEqual(['tool-20', 'tool-21']);
    const first = log.runs.find((r: { tool: { driver: { name: string } } }) => r.tool.driver.name === 'Tool 0');
    expect(first.results).toHaveLength(20);
    expect(first.results.map((r: { properties: { severity: string } }) => r.properties.severity)).toEqual([
      ...Array(10).fill('CRITICAL'),
      ...Array(10).fill('HIGH'),
    ]);
    expect(stats.overLimit).toBe(30 + 2);
  });
});
