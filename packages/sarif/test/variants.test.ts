import { describe, expect, it } from '@jest/globals';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, mapInputs, MemoryLogger } from '@pipeline-toolkit/core';
import { Aggregator, countFindings, loadReport, readScanInputs, runScan, type ReportKind } from '../src/index.ts';
import type { Finding } from '../src/model.ts';
import { aggregate, fixture } from './helpers.ts';

async function temp(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'variants-'));
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

async function load(content: unknown, kind: ReportKind): Promise<Aggregator> {
  const file = await temp('report.json', typeof content === 'string' ? content : JSON.stringify(content));
  const agg = new Aggregator();
  agg.startReport(file);
  await loadReport(file, kind, { root: '/repo', sink: agg });
  return agg;
}

const sarif = (results: unknown[], rules: unknown[] = [], driver: Record<string, unknown> = { name: 'Some Scanner' }) => ({
  version: '2.1.0',
  runs: [{ tool: { driver: { ...driver, rules } }, results }],
});
/** A `trivy fs .` report of these Results. */
const trivyFs = (results: unknown[]) => ({ SchemaVersion: 2, ArtifactName: '.', ArtifactType: 'filesystem', Results: results });
const located = { locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine: 3 } } }] };

async function scan(values: Record<string, string>, cwd: string) {
  return runScan(readScanInputs(new Inputs(mapInputs(values))), { log: new MemoryLogger(), env: { RUNNER_TEMP: cwd }, cwd });
}

describe('severity resolution never lowers a stated severity', () => {
  it('reads security-severity labels in any case; the gate fails on the real Semgrep report with label severities', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'labels-'));
    await copyFile(fixture('semgrep/semgrep-sarif-label-security-severity.sarif'), path.join(dir, 's.sarif'));
    const result = await scan({ 'semgrep-report': 's.sarif', 'fail-on': 'high' }, dir);
    expect(result.counts.bySeverity).toMatchObject({ CRITICAL: 34, HIGH: 1, MEDIUM: 42, INFO: 0 });
    expect(result.gate.passed).toBe(false);
    const log = JSON.parse(await readFile(result.sarifFile, 'utf8')) as {
      runs: { tool: { driver: { rules: { properties: { 'security-severity': string } }[] } } }[];
    };
    const scores = log.runs[0]!.tool.driver.rules.map((r) => r.properties['security-severity']);
    expect(scores.every((s) => /^\d+\.\d$/.test(s))).toBe(true);
    expect(new Set(scores)).toEqual(new Set(['9.5', '8.0', '5.5']));
  });

  it.each([
    ['High', 'HIGH'],
    ['moderate', 'MEDIUM'],
    ['INFORMATIONAL', 'INFO'],
    ['negligible', 'INFO'],
    ['9.8', 'CRITICAL'],
    [7, 'HIGH'],
    ['0.0', 'INFO'],
  ])('security-severity %p is %s', async (value, severity) => {
    const agg = await load(
      sarif(
        [{ ruleId: 'r', level: 'note', message: { text: 'm' }, ...located }],
        [{ id: 'r', properties: { 'security-severity': value } }],
      ),
      'sarif',
    );
    expect(agg.findings().map((f) => f.severity)).toEqual([severity]);
  });

  it('an unrecognised value falls through to the level and is listed as a warning, never INFO by default', async () => {
    const agg = await load(
      sarif(
        [{ ruleId: 'r', message: { text: 'm' }, ...located }],
        [{ id: 'r', defaultConfiguration: { level: 'error' }, properties: { 'security-severity': 'severe!' } }],
      ),
      'sarif',
    );
    expect(agg.findings().map((f) => f.severity)).toEqual(['HIGH']);
    expect(agg.problems.join('\n')).toMatch(
      /"severe!" is neither a number nor a known severity label; the severity came from rule defaultConfiguration\.level/,
    );
    const bare = await load(
      sarif([{ ruleId: 'r', message: { text: 'm' }, ...located }], [{ id: 'r', properties: { 'security-severity': 'n/a' } }]),
      'sarif',
    );
    expect(bare.findings().map((f) => f.severity)).toEqual(['MEDIUM']);
  });

  it("other tools' own labels come before their levels: dependency-check's CVSS v2 label is not banded as a v3 score", async () => {
    // rules as dependency-check's sarifReport.vsl writes them; every result at `warning`
    const rule = (id: string, label: string, properties: Record<string, unknown>) => ({
      id,
      shortDescription: { text: `${label} severity - ${id} Improper Input Validation vulnerability in pkg:maven/org.example/lib@1.0` },
      properties: { ...properties, source: 'NVD' },
    });
    const agg = await load(
      sarif(
        ['v2-only', 'v3', 'none', 'retirejs'].map((id) => ({ ruleId: id, level: 'warning', message: { text: id }, ...located })),
        [
          rule('v2-only', 'Unknown', { cvssv2_score: 9.3, cvssv2_severity: 'HIGH' }),
          rule('v3', 'critical', { cvssv3_baseScore: 9.8, 'security-severity': 9.8, cvssv3_baseSeverity: 'CRITICAL' }),
          rule('none', 'Unknown', {}),
          rule('retirejs', 'low', {}),
        ],
        { name: 'dependency-check', version: '12.1.0' },
      ),
      'sarif',
    );
    expect(Object.fromEntries(agg.findings().map((f) => [f.rule, f.severity]))).toEqual({
      'v2-only': 'HIGH',
      v3: 'CRITICAL',
      none: 'MEDIUM',
      retirejs: 'LOW',
    });
    expect(agg.problems).toEqual([]);
  });

  it("a tool's label that is none of its values falls through to the level and is listed; another tool's prefix is only text", async () => {
    const results = [
      { ruleId: 'a', level: 'error', message: { text: 'a' }, properties: { DevSkimSeverity: 'Unspecified' }, ...located },
      { ruleId: 'b', level: 'note', message: { text: 'b' }, properties: { DevSkimSeverity: { level: 'Critical' } }, ...located },
      { ruleId: 'c', level: 'note', message: { text: 'c' }, properties: { qodanaSeverity: 32 }, ...located },
      // names every object inherits are no values of the tool's
      { ruleId: 'e', level: 'note', message: { text: 'e' }, properties: { DevSkimSeverity: 'constructor' }, ...located },
      { ruleId: 'f', level: 'note', message: { text: 'f' }, properties: { DevSkimSeverity: '__proto__' }, ...located },
      { ruleId: 'd', level: 'note', message: { text: 'd' }, ...located },
    ];
    const rules = [{ id: 'd', shortDescription: { text: `Critical severity - ${'x'.repeat(16_000_000)}` } }];
    const agg = await load(sarif(results, rules), 'sarif');
    expect(Object.fromEntries(agg.findings().map((f) => [f.rule, f.severity]))).toEqual({
      a: 'HIGH',
      b: 'LOW',
      c: 'LOW',
      d: 'LOW',
      e: 'LOW',
      f: 'LOW',
    });
    expect(agg.problems.join('\n')).toMatch(/result DevSkimSeverity.*"Unspecified"/);
    expect(agg.problems.join('\n')).toMatch(/result qodanaSeverity/);
    const snyk = await load(
      sarif(
        results.filter((r) => r.ruleId === 'd'),
        rules,
        { name: 'Snyk Infrastructure as Code' },
      ),
      'sarif',
    );
    expect(snyk.findings().map((f) => f.severity)).toEqual(['CRITICAL']);
  });

  it("DevSkim's Critical findings fail a gate at critical, which their level (error) alone would pass", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'devskim-'));
    await copyFile(fixture('other/devskim-1.0.56-metalama.sarif'), path.join(dir, 'devskim.sarif'));
    const result = await scan({ 'sarif-files': 'devskim.sarif', 'fail-on': 'critical' }, dir);
    expect(result.counts.bySeverity.CRITICAL).toBe(97);
    expect(result.gate.passed).toBe(false);
    const log = JSON.parse(await readFile(result.sarifFile, 'utf8')) as {
      runs: { tool: { driver: { rules: { id: string; properties: { 'security-severity': string } }[] } } }[];
    };
    const weakHash = log.runs[0]!.tool.driver.rules.find((r) => r.id === 'DS126858');
    expect(weakHash?.properties['security-severity']).toBe('9.5');
  });

  it('a result whose kind is not fail is not a problem', async () => {
    const kinds = ['pass', 'notApplicable', 'informational', 'review', 'open', 'fail', undefined];
    const agg = await load(
      sarif(kinds.map((kind, i) => ({ ruleId: `r${i}`, kind, level: 'error', message: { text: 'm' }, ...located }))),
      'sarif',
    );
    expect(
      agg
        .findings()
        .map((f) => f.rule)
        .sort(),
    ).toEqual(['r5', 'r6']);
  });
});

describe('report variants', () => {
  it.each(['gitleaks', 'semgrep', 'trivy', 'any'] as ReportKind[])('null is an empty %s report', async (kind) => {
    const agg = await load('null\n', kind);
    expect(agg.findings()).toEqual([]);
  });

  it('Checkov bare array is not taken for a Gitleaks report', async () => {
    const text = await readFile(fixture('checkov/checkov-multiple-check-types.json'), 'utf8');
    await expect(load(text, 'gitleaks')).rejects.toThrow(/is a Checkov JSON report; expected a Gitleaks JSON or SARIF report/);
  });

  it("Checkov's summary alone (nothing scanned) is an empty Checkov report; one that counts failed checks it does not list is refused", async () => {
    const text = await readFile(fixture('checkov/checkov-3.3.30-nothing-scanned.json'), 'utf8');
    for (const kind of ['checkov', 'any'] as ReportKind[]) {
      const agg = await load(text, kind);
      expect([agg.findings(), agg.tools]).toEqual([
        [],
        [{ id: 'checkov', name: 'Checkov', informationUri: 'https://www.checkov.io', version: '3.3.30' }],
      ]);
    }
    await expect(load(text, 'gitleaks')).rejects.toThrow(/is a Checkov JSON report; expected a Gitleaks/);
    const lost = JSON.stringify({ ...JSON.parse(text), failed: 3, skipped: 1 });
    await expect(load(lost, 'any')).rejects.toThrow(/is a Checkov summary counting 3 failed, 1 skipped checks without listing them/);
  });

  it("Trivy's and Grype's SARIF give the rule ids and packages of their JSON (the goldens of one scan in both formats)", async () => {
    const read = async (file: string, kind: ReportKind) =>
      (await aggregate([[file, kind]]))
        .findings()
        .map((f) => [f.rule, f.package ?? '-', f.severity].join(' '))
        .sort();
    // 8 vulnerabilities: 3 MEDIUM and 1 LOW CVE in each of libcrypto1.1 and libssl1.1
    const json = await read('trivy/trivy-0.20.0-alpine310-pair.json', 'trivy');
    expect(json).toHaveLength(8);
    expect(json).toContain('CVE-2019-1549 libssl1.1@1.1.1c-r0 MEDIUM');
    // 0.20: rule ids "<target>: libcrypto1.1-1.1.1c-r0 CVE-2019-1549", the package in the rules' help
    expect(await read('trivy/trivy-0.20.0-alpine310-pair.sarif', 'trivy')).toEqual(json);
    // 0.21: one rule per CVE and no package anywhere: still one finding per result
    expect(await read('trivy/trivy-0.21.0-alpine310-pair.sarif', 'trivy')).toEqual(
      json.map((f) => f.replace(/ [^ @]+@[^ ]+ /, ' - ')).sort(),
    );
    const grype = await read('grype/grype-json-image-golden.json', 'grype');
    expect(grype).toEqual(['CVE-1999-0001 package-1@1.1.1 LOW', 'CVE-1999-0002 package-2@2.2.2 CRITICAL']);
    expect(await read('grype/grype-sarif-image-golden.sarif', 'grype')).toEqual(grype);
    // in an image: the image and the path in it, as the JSON names them, not a repository file
    const targets = async (file: string) =>
      (await aggregate([[file, 'grype']]))
        .findings()
        .map((f) => [f.rule, f.location?.path, f.target].join(' '))
        .sort();
    expect(await targets('grype/grype-sarif-image-golden.sarif')).toEqual(await targets('grype/grype-json-image-golden.json'));
    // and the same baseline fingerprints: a baseline of one format compares with a scan of the other
    const matches = async (file: string) =>
      (await aggregate([[file, 'grype']]))
        .findings()
        .map((f) => f.match)
        .sort();
    expect(await matches('grype/grype-sarif-image-golden.sarif')).toEqual(await matches('grype/grype-json-image-golden.json'));
  });

  it("Trivy's SARIF of an image scan names the image as the findings' target, as its JSON does, not a file of the repository", async () => {
    const findings = (await aggregate([['trivy/trivy-image-alpine310.sarif', 'trivy']])).findings();
    expect(findings).toHaveLength(4);
    for (const f of findings) expect([f.location, f.target]).toEqual([undefined, 'testdata/fixtures/images/alpine-310.tar.gz']);
  });

  it('a hostile Grype SARIF: a help and a logical location of megabytes, with controls, are read in linear time and shown escaped', async () => {
    const text = await readFile(fixture('grype/grype-sarif-image-golden.sarif'), 'utf8');
    const log = JSON.parse(text) as {
      runs: { tool: { driver: { rules: { help: { text: string } }[] } }; results: Record<string, unknown>[] }[];
    };
    const huge = 'x'.repeat(4 << 20);
    log.runs[0]!.tool.driver.rules[0]!.help.text = `Vulnerability ${huge}\nSeverity: critical\nPackage: p\u001b[31m\nVersion: ${huge}`;
    const location = (log.runs[0]!.results[0]!['locations'] as { logicalLocations: { name: string; fullyQualifiedName: string }[] }[])[0]!;
    location.logicalLocations[0] = { name: '/a\n::error::b', fullyQualifiedName: `${huge}:/a` };
    const agg = await load(log, 'grype');
    const f = agg.findings().find((x) => x.package?.startsWith('p'));
    // the escape character shown, never written raw; the version whole
    expect([f?.severity, f?.package?.includes('\u001b'), f?.package?.endsWith(`@${huge}`)]).toEqual(['CRITICAL', false, true]);
    // no `<image>@` in the logical location: not an image, so the uri is the place
    expect(f?.location?.path).toBe('user-input/somefile-1.txt');
  });

  it("Grype's SARIF gives its own label, as its JSON does, where the CVSS score disagrees (a Critical at 8.5, a Low at 8.2)", async () => {
    const severities = async (file: string) =>
      Object.fromEntries((await aggregate([[file, 'grype']])).findings().map((f) => [f.rule.slice(0, 13), f.severity]));
    const expected = { 'CVE-1999-0001': 'LOW', 'CVE-1999-0002': 'CRITICAL' };
    expect(await severities('grype/grype-json-image-golden.json')).toEqual(expected);
    expect(await severities('grype/grype-sarif-image-golden.sarif')).toEqual(expected);
  });

  it('one Checkov run gives the same findings from its JSON and from its SARIF (a failed check without a severity is HIGH in both)', async () => {
    const read = async (ext: string) =>
      (await aggregate([[`checkov/checkov-3.3.30-pair-terraform-dockerfile.${ext}`, 'checkov']]))
        .findings()
        .map((f) => [f.rule, f.location?.path, f.severity].join(' '))
        .sort();
    const json = await read('json');
    expect(json).toHaveLength(15);
    expect(json).toContain('CKV_AWS_24 src/main.tf HIGH');
    expect(json).toContain('CKV_DOCKER_7 src/Dockerfile HIGH');
    expect(await read('sarif')).toEqual(json);
  });

  it("a check skipped by `#checkov:skip` is suppressed and HIGH from either output: Checkov's SARIF `warning` there is its placeholder, not a severity", async () => {
    const read = async (ext: string) =>
      (await aggregate([[`checkov/checkov-3.3.30-pair-skipped.${ext}`, 'checkov']]))
        .findings()
        .map((f) => [f.rule, f.location?.path, f.severity, f.suppressed, f.justification].join(' '))
        .sort();
    const json = await read('json');
    expect(json).toEqual([
      'CKV_AWS_189 src/main.tf HIGH true encrypted with the default key on purpose',
      'CKV_AWS_3 src/main.tf HIGH false ',
    ]);
    expect(await read('sarif')).toEqual(json);
  });

  describe("a suppression's reason reaches the findings file, the written SARIF and the job summary", () => {
    /** Scans one SARIF log; the suppressed result's reason as the findings file and the written SARIF give it. */
    async function reasons(log: string) {
      const dir = await mkdtemp(path.join(tmpdir(), 'reason-'));
      await writeFile(path.join(dir, 'in.sarif'), log);
      const result = await scan({ 'sarif-files': 'in.sarif', 'fail-on': 'none' }, dir);
      const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as { suppressed: boolean; justification?: string }[];
      const sarif = JSON.parse(await readFile(result.sarifFile, 'utf8')) as {
        runs: { results: { suppressions?: { justification?: string }[] }[] }[];
      };
      const written = sarif.runs.flatMap((r) => r.results).flatMap((r) => r.suppressions ?? []);
      // the summary's table of suppressed findings: its last column is the reason
      const section = result.summary.split('### Suppressed findings\n')[1] ?? '';
      const rows = section
        .split('\n')
        .filter((line) => line.startsWith('| ') && !line.startsWith('| Severity') && !line.startsWith('| ---'));
      return {
        findings: findings.filter((f) => f.suppressed).map((f) => f.justification),
        sarif: written.map((s) => s.justification),
        // as the summary shows it: Markdown's escapes taken away
        summary: rows.map((row) => /\| ((?:[^|\\]|\\.)*) \|$/.exec(row)?.[1]?.replace(/\\(.)/g, '$1')),
        console: /\(reason: (.*)\)$/m.exec(result.console)?.[1],
        summaryBytes: Buffer.byteLength(result.summary),
      };
    }

    it("from a real log: the SARIF SDK's PREfast output, a suppression without a status and with a justification", async () => {
      const log = await readFile(fixture('other/sarif-sdk-prefast-suppression-justification.sarif'), 'utf8');
      expect(await reasons(log)).toMatchObject({
        findings: ['Scheduled to fix in Milestone 32.'],
        sarif: ['Scheduled to fix in Milestone 32.'],
        summary: ['Scheduled to fix in Milestone 32.'],
        console: 'Scheduled to fix in Milestone 32.',
      });
    });

    it('from a hostile one: megabytes of reason with an escape character and a token are redacted, shown escaped and cut', async () => {
      const log = JSON.parse(await readFile(fixture('other/sarif-sdk-prefast-suppression-justification.sarif'), 'utf8')) as {
        runs: { results: { suppressions?: { justification: string }[] }[] }[];
      };
      const token = `ghp_${'A1b2C3d4E5'.repeat(3)}123456`;
      log.runs[0]!.results[0]!.suppressions![0]!.justification = `\u001b[31m ${token} ${'y'.repeat(2 << 20)}`;
      const { findings, sarif, summary, console, summaryBytes } = await reasons(JSON.stringify(log));
      for (const reason of [...findings, ...sarif, ...summary, console]) {
        expect(reason).toBeDefined();
        expect([reason!.includes(token), reason!.includes('\u001b')]).toEqual([false, false]);
      }
      // the findings file keeps the whole reason; the SARIF's suppression holds at most 1,000
      // characters; the summary and the console show its start on one line
      expect([findings[0]!.endsWith(` ${'y'.repeat(2 << 20)}`), sarif[0]!.length <= 1000]).toEqual([true, true]);
      expect(summary).toEqual([expect.stringMatching(/^\\x1b\[31m \*\*\* y+…$/)]);
      expect([summary[0]!.length <= 220, console!.length <= 220, summaryBytes < 8192]).toEqual([true, true, true]);
    });
  });

  it("a message's links to related locations read as their text (CodeQL's real output); escaped brackets and web links stay", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'links-'));
    await copyFile(fixture('other/codeql-action-valid-multirun.sarif'), path.join(dir, 'codeql.sarif'));
    const result = await scan({ 'sarif-files': 'codeql.sarif', 'fail-on': 'none' }, dir);
    // the result's text: "… (for example [here](1)), and sometimes as a normal function (for example [here](2))."
    const expected =
      'Function resolvingPromise is sometimes invoked as a constructor (for example here), and sometimes as a normal function (for example here).';
    const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as { message: string }[];
    const written = JSON.parse(await readFile(result.sarifFile, 'utf8')) as { runs: { results: { message: { text: string } }[] }[] };
    expect([
      findings.filter((f) => f.message === expected).length,
      written.runs.flatMap((r) => r.results).filter((r) => r.message.text === expected).length,
    ]).toEqual([1, 1]);
    expect(JSON.stringify(findings)).not.toMatch(/\]\(\d+\)/);
    const agg = await load(
      sarif([
        { ruleId: 'r', message: { text: 'see \\[not a link](1), [the docs](https://example.com/x) and [the sink](12)' }, ...located },
      ]),
      'sarif',
    );
    expect(agg.findings()[0]!.message).toBe('see \\[not a link](1), [the docs](https://example.com/x) and the sink');
  });

  describe("Trivy's findings are placed on files of the repository, never on names that are not files", () => {
    const places = async (file: string) =>
      (await aggregate([[file, 'trivy']]))
        .findings()
        .map((f) => `${f.rule} ${f.location ? `${f.location.path}:${f.location.startLine ?? '-'}` : `target ${f.target}`}`)
        .sort();

    it('a language\'s aggregated Result ("Java"): each vulnerability at its PkgPath, in the scanned tree', async () => {
      // ArtifactName lib/catalina.jar, Target "Java", PkgPath catalina.jar: the jar itself
      expect(await places('trivy/trivy-0.69.1-fs-jar-aggregated.json')).toEqual([
        'CVE-2025-61795 lib/catalina.jar:-',
        'CVE-2025-66614 lib/catalina.jar:-',
        'CVE-2026-24733 lib/catalina.jar:-',
      ]);
      // one package at one version in two jars of the tree: two findings, each at its jar
      const report = JSON.parse(await readFile(fixture('trivy/trivy-0.69.1-fs-jar-aggregated.json'), 'utf8')) as {
        ArtifactName: string;
        Results: { Vulnerabilities: { PkgPath: string }[] }[];
      };
      const vulns = report.Results[0]!.Vulnerabilities;
      report.ArtifactName = '.';
      vulns[0]!.PkgPath = 'lib/catalina.jar';
      vulns.push({ ...vulns[0]!, PkgPath: 'webapps/app.war/WEB-INF/lib/catalina.jar' });
      const agg = await load(report, 'trivy');
      expect(agg.findings().map((f) => `${f.rule} ${f.location?.path}`)).toEqual(
        expect.arrayContaining(['CVE-2025-66614 lib/catalina.jar', 'CVE-2025-66614 webapps/app.war/WEB-INF/lib/catalina.jar']),
      );
      expect(agg.findings()).toHaveLength(4);
    });

    it('a hostile report: a PkgPath out of the tree, an archive path with a line break or a command, a Target of megabytes', async () => {
      const report = JSON.parse(await readFile(fixture('trivy/trivy-0.69.1-fs-jar-aggregated.json'), 'utf8')) as {
        Results: { Target: string; Class: string; Type: string; Vulnerabilities?: { PkgPath?: string }[]; Misconfigurations?: unknown[] }[];
      };
      const vulns = report.Results[0]!.Vulnerabilities!;
      vulns[0]!.PkgPath = '../../../etc/passwd';
      vulns[1]!.PkgPath = '/etc/shadow';
      const check = { ID: 'KSV-0001', Title: 't', Message: 'm', Severity: 'HIGH', Status: 'FAIL', CauseMetadata: { StartLine: 3 } };
      const huge = 'd'.repeat(16 << 20);
      report.Results.push(
        { Target: 'chart.tgz:templates/a.yaml\n::error::x', Class: 'config', Type: 'helm', Misconfigurations: [check] },
        { Target: `${huge}.tgz:templates/b.yaml`, Class: 'config', Type: 'helm', Misconfigurations: [check] },
      );
      const findings = (await load(report, 'trivy')).findings();
      // out of the tree: no repository file, but what was scanned and the Result's Target
      const placesOf = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => f.location?.path ?? `target ${f.target}`);
      expect(placesOf('CVE-2025-66614')).toEqual(['target lib/catalina.jar: Java']);
      expect(placesOf('CVE-2025-61795')).toEqual(['target lib/catalina.jar: Java']);
      expect(placesOf('CVE-2026-24733')).toEqual(['lib/catalina.jar']);
      // a path in an archive with a line break is no path in an archive; the long one is read whole, in linear time
      const checks = findings.filter((f) => f.rule === 'KSV-0001');
      // (Targets are relative to the scanned path, lib/catalina.jar)
      expect(checks.map((f) => [f.location?.path, f.location?.startLine, f.message.includes('In templates/')])).toEqual([
        ['lib/catalina.jar/chart.tgz:templates/a.yaml\n::error::x', 3, false],
        [`lib/catalina.jar/${huge}.tgz`, undefined, true],
      ]);
    });

    it('`trivy repo` of a web address: its Targets are repository paths, not the address joined to them', async () => {
      expect(await places('trivy/trivy-repo-remote-url.json')).toEqual(['CVE-2019-15542 Cargo.lock:-', 'CVE-2021-38193 Cargo.lock:-']);
    });

    it("a file inside a chart archive: placed on the archive without the template's lines, which the message gives", async () => {
      const findings = (await aggregate([['trivy/trivy-config-helm-chart-archive.json', 'trivy']])).findings();
      expect(findings).toHaveLength(18);
      expect(new Set(findings.map((f) => JSON.stringify(f.location)))).toEqual(
        new Set([JSON.stringify({ path: 'testdata/fixtures/repo/helm/testchart.tar.gz' })]),
      );
      expect(findings.find((f) => f.rule === 'KSV-0110')!.message).toContain('In templates/pod.yaml, line 4.');
      expect(findings.find((f) => f.rule === 'KSV-0117')!.message).toContain('In templates/pod.yaml.');
    });
  });

  it("a hard-coded credential's message loses the value it quotes (Bandit's B105), in every output", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'credential-'));
    await copyFile(fixture('other/bandit-1.9.4-hardcoded-password.sarif'), path.join(dir, 'bandit.sarif'));
    const result = await scan({ 'sarif-files': 'bandit.sarif', 'fail-on': 'none' }, dir);
    const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as { rule: string; title: string; message: string }[];
    // B105 (CWE-259): "Possible hardcoded password: 'hunter2'"; its snippet is `password = "hunter2"`
    expect(findings.find((f) => f.rule === 'B105')).toMatchObject({
      title: "Possible hardcoded password: '***'",
      message: "Possible hardcoded password: '***'",
    });
    const outputs = [await readFile(result.findingsFile, 'utf8'), await readFile(result.sarifFile, 'utf8'), result.summary, result.console];
    expect(outputs.map((o) => o.includes('hunter2'))).toEqual([false, false, false, false]);
    // other rules' quotes stay: only a credential's rule loses them
    const agg = await load(
      sarif(
        [{ ruleId: 'r', message: { text: "Call to 'subprocess.call' with shell=True" }, ...located }],
        [{ id: 'r', properties: { tags: ['external/cwe/cwe-78'] } }],
      ),
      'sarif',
    );
    expect(agg.findings()[0]!.message).toBe("Call to 'subprocess.call' with shell=True");
  });

  it("a title is the rule's description unless it is a template or a bare id, then the message (ruff, shellcheck-sarif); CWE ids from the rules' relationships (gosec)", async () => {
    const titles = async (file: string) => (await aggregate([[file, 'sarif']])).findings().map((f) => `${f.rule}: ${f.title}`);
    const ruff = await titles('other/ruff-0.17.6-template-descriptions.sarif');
    // S105's description is `Possible hardcoded password assigned to: "{}"`; E722's describes
    expect(ruff).toEqual(
      expect.arrayContaining([
        'S105: Possible hardcoded password assigned to: "PASSWORD"',
        'S105: Possible hardcoded password assigned to: "API_TOKEN"',
        'E722: Do not use bare `except`',
      ]),
    );
    expect(ruff.some((t) => t.includes('{}'))).toBe(false);
    // rule 2164's description is "SC2164"
    expect(await titles('other/shellcheck-sarif-0.8.0-id-descriptions.sarif')).toContain(
      "2164: Use 'cd ... || exit' or 'cd ... || return' in case cd fails.",
    );
    const gosec = (await aggregate([['other/gosec-2.30.0-cwe-relationships.sarif', 'sarif']])).findings();
    expect([gosec.find((f) => f.rule === 'G101')?.cwe, gosec.find((f) => f.rule === 'G104')?.cwe]).toEqual([['CWE-798'], ['CWE-703']]);
  });

  it("a message of 16 million characters after an unclosed bracket or quote is read: the patterns' backtracking is bounded", async () => {
    // an unbounded group over such a text overflows V8's regexp stack ("Maximum call stack size exceeded")
    const long = 'a'.repeat(16 << 20);
    const agg = await load(
      sarif(
        [
          { ruleId: 'link', message: { text: `see [${long}` }, ...located },
          { ruleId: 'credential', message: { text: `password '${long}` }, ...located },
        ],
        [{ id: 'credential', properties: { tags: ['external/cwe/cwe-798'] } }],
      ),
      'sarif',
    );
    expect(agg.findings().map((f) => [f.rule, f.message.slice(0, 10), f.message.length])).toEqual([
      ['link', 'see [aaaaa', long.length + 5],
      ['credential', "password '", long.length + 10],
    ]);
  });

  it("absolute uris below the invocation's working directory are repository paths (a tool run in another checkout)", async () => {
    const paths = async (file: string, root = '/work/repo') =>
      [...new Set((await aggregate([[file, 'sarif']], root)).findings().map((f) => f.location?.path))].sort();
    // ShiftLeft's run in /home/damien/dd: file:///home/damien/dd/docker/setEnv.sh is docker/setEnv.sh
    expect(await paths('other/shiftleft-scan-shellcheck-working-directory.sarif')).toEqual([
      'docker/dojo-data.bash',
      'docker/setEnv.sh',
      'entrypoint_scripts/common/common-os.sh',
      'entrypoint_scripts/common/dojo-shared-resources.sh',
      'setup/scripts/common/dojo-shared-resources.sh',
    ]);
    // a path outside it stays as written; a working directory of / relativises nothing
    const log = sarif([
      { ruleId: 'r', message: { text: 'a' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///src/app.py' } } }] },
      { ruleId: 'r', message: { text: 'b' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///etc/hosts' } } }] },
    ]);
    const withDir = (dir: string) => ({
      ...log,
      runs: [{ ...log.runs[0]!, invocations: [{ executionSuccessful: true, workingDirectory: { uri: dir } }] }],
    });
    expect((await load(withDir('file:///src'), 'sarif')).findings().map((f) => f.location?.path)).toEqual(['app.py', '/etc/hosts']);
    expect((await load(withDir('file:///'), 'sarif')).findings().map((f) => f.location?.path)).toEqual(['/src/app.py', '/etc/hosts']);
    // a file on another host is not the working directory's, though its path is the same below the host
    const remote = sarif([
      {
        ruleId: 'r',
        message: { text: 'c' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'file://fileserver/src/app.py' } } }],
      },
      {
        ruleId: 'r',
        message: { text: 'd' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'file://localhost/src/db.py' } } }],
      },
    ]);
    const remoteIn = { ...remote, runs: [{ ...remote.runs[0]!, invocations: [{ workingDirectory: { uri: 'file:///src' } }] }] };
    expect((await load(remoteIn, 'sarif')).findings().map((f) => f.location?.path)).toEqual(['//fileserver/src/app.py', 'db.py']);
  });

  it('files Checkov could not parse are problems of the scan (real Checkov 3.3.30 report)', async () => {
    const agg = await aggregate([['checkov/checkov-3.3.30-parsing-error.json', 'checkov']]);
    // results.parsing_errors of the file: the absolute path of the cut-off main.tf it was run on
    expect(agg.problems).toEqual(['Checkov (terraform) could not parse /tmp/checkov-run/broken/main.tf: its checks did not run there.']);
  });

  it("Trivy's CweIDs give CWE ids only: NVD's placeholders and any other text are not CWEs (a mutated report's secret rode there)", async () => {
    const report = {
      SchemaVersion: 2,
      ArtifactName: '.',
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
              Severity: 'HIGH',
              CweIDs: ['CWE-79', 'NVD-CWE-Other', 'NVD-CWE-noinfo', 'see ghp_4Jt7Qk2Lm9Zx8Vb3Nc6Rd1Sf5Gh0Wq2Ey7Tu', 'cwe-89'],
            },
          ],
        },
      ],
    };
    expect((await load(report, 'trivy')).findings().map((f) => f.cwe)).toEqual([['CWE-79', 'CWE-89']]);
  });

  it('Trivy before 0.20 (a bare array) is a Trivy report, not a Gitleaks one', async () => {
    const text = await readFile(fixture('trivy/trivy-legacy-array-mix.json'), 'utf8');
    await expect(load(text, 'gitleaks')).rejects.toThrow(/is a Trivy JSON report; expected a Gitleaks/);
    const agg = await load(text, 'trivy');
    expect(agg.findings().find((f) => f.rule === 'CVE-2018-16487')).toMatchObject({
      package: 'lodash@4.17.4',
      location: { path: 'node-app/package-lock.json' },
    });
  });

  it('Gitleaks 8.0.0 SARIF (its own version as the SARIF version, under a SARIF 2.1.0 $schema) is read, saying so', async () => {
    const agg = await aggregate([['gitleaks/gitleaks-8.0.0-sarif-version-v8.sarif', 'gitleaks']]);
    expect(agg.findings()).toMatchObject([{ rule: 'test-rule', severity: 'HIGH', location: { path: 'auth.py', startLine: 1 } }]);
    expect(agg.problems).toEqual([
      expect.stringMatching(
        /gitleaks-8\.0\.0-sarif-version-v8\.sarif: SARIF version "v8\.0\.0" is not "2\.1\.0"; read as SARIF 2\.1\.0, which its \$schema names\.$/,
      ),
    ]);
    // its snippet is the secret
    expect(JSON.stringify(agg.findings())).not.toContain('a secret');
  });

  it("Trivy's early SARIF template: each package's CVE is its own finding (the package from the rule's help), rule ids without the label", async () => {
    const findings = (await aggregate([['trivy/trivy-0.15.0-template-alpine310.sarif', 'trivy']])).findings();
    const cve = findings.filter((f) => f.rule === 'CVE-2019-1549');
    expect(cve.map((f) => [f.package, f.severity]).sort()).toEqual([
      ['libcrypto1.1@1.1.1c-r0', 'MEDIUM'],
      ['libssl1.1@1.1.1c-r0', 'MEDIUM'],
    ]);
    expect(findings.filter((f) => f.rule.startsWith('['))).toEqual([]);
  });

  it('Grype before 0.5 (`{ matches, image }`, `{ matches, directory }`) is a Grype report; its locations may be bare paths', async () => {
    const text = await readFile(fixture('grype/grype-0.4.0-json-directory.json'), 'utf8');
    await expect(load(text, 'trivy')).rejects.toThrow(/is a Grype JSON report; expected a Trivy JSON or SARIF report/);
    const agg = await load(text, 'any');
    expect(agg.findings().map((f) => [f.rule, f.package, f.location?.path, f.severity])).toEqual([
      ['CVE-1999-0001', 'package-1@1.0.1', 'some/path/pkg1', 'MEDIUM'],
      ['CVE-1999-0003', 'package-1@1.0.1', 'some/path/pkg1', 'MEDIUM'],
      ['CVE-1999-0002', 'package-1@1.0.1', 'some/path/pkg1', 'LOW'],
    ]);
    const image = (await aggregate([['grype/grype-0.4.0-json-image.json', 'grype']])).findings();
    expect(new Set(image.map((f) => f.target))).toEqual(
      new Set(['stereoscope-fixture-image-simple:04e16e44161c8888a1a963720fd0443cbf7eef8101434c431de8725cd98cc9f7: /somefile-1.txt']),
    );
  });

  it("Gitleaks 7 SARIF: the rule comes from the message and rule list; its offender redacts other tools' text", async () => {
    const offender = 'AKIAIOSFODNN7EXAMPLE'; // properties.offender of the fixture's results
    const other = await temp(
      'other.sarif',
      JSON.stringify(sarif([{ ruleId: 'leak-check', message: { text: `key ${offender} in config` }, ...located }])),
    );
    const agg = await aggregate([['gitleaks/gitleaks-v7.4.0.sarif', 'gitleaks']]);
    agg.startReport(other);
    await loadReport(other, 'sarif', { root: '/work/repo', sink: agg });
    const findings = agg.findings();
    expect(new Set(findings.filter((f) => f.tools[0] === 'gitleaks').map((f) => f.rule))).toEqual(
      new Set(['AWS Access Key', 'Asymmetric Private Key']),
    );
    expect(JSON.stringify(findings)).not.toContain(offender);
  });

  it('Gitleaks 7 SARIF: of the rule ids a message starts with, the longest is its rule; none gives unknown-rule', async () => {
    // rule ids that begin one another, and thousands of them, as a generated rule list may have
    const ids = ['AWS', 'AWS Access Key', 'AWS Access Key ID', ...Array.from({ length: 3000 }, (_, i) => `Rule ${i}`)];
    const log = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'gitleaks', rules: ids.map((id) => ({ id, name: id })) } },
          results: [
            'AWS Access Key ID secret detected',
            'AWS Access Key secret detected',
            'AWS secret detected',
            'Rule 2999 secret detected',
            'Rule 29 secret detected',
            'Azure secret detected',
          ].map((text, i) => ({
            message: { text },
            locations: [{ physicalLocation: { artifactLocation: { uri: `app/f${i}.env` }, region: { startLine: 1 } } }],
          })),
        },
      ],
    };
    const agg = await load(JSON.stringify(log), 'gitleaks');
    expect(agg.findings().map((f) => [f.location!.path, f.rule])).toEqual([
      ['app/f0.env', 'AWS Access Key ID'],
      ['app/f1.env', 'AWS Access Key'],
      ['app/f2.env', 'AWS'],
      ['app/f3.env', 'Rule 2999'],
      ['app/f4.env', 'Rule 29'],
      ['app/f5.env', 'unknown-rule'],
    ]);
  });
});

describe("the three tools' newer modes and their successors", () => {
  it("Trivy's ignored findings keep its statement and the ignore file; a licence file's finding is on that file", async () => {
    const findings = (await aggregate([['trivy/trivy-0.74.0-fs-show-suppressed-yaml.json', 'trivy']])).findings();
    expect(Object.fromEntries(findings.filter((f) => f.suppressed).map((f) => [f.rule, f.justification]))).toEqual({
      'KSV-0014': 'Trivy: read-only root fs is enforced by the admission controller (ignored, .trivyignore.yaml)',
      'KSV-0017': 'Trivy: privileged is required for the CNI sidecar (ignored, .trivyignore.yaml)',
      'slack-web-hook': 'Trivy: webhook revoked 2026-01 (ignored, .trivyignore.yaml)',
      'license:GPL-2.0': 'Trivy: All license components are individually ignored (ignored, .trivyignore.yaml)',
    });
    // the Result's Target, "Loose File License(s)", is no file: each licence names its own
    expect(findings.filter((f) => f.category === 'licence').map((f) => [f.rule, f.location?.path, f.target])).toEqual([
      ['license:Apache-2.0', 'vendor/lib/LICENSE', undefined],
      ['license:GPL-2.0', 'LICENSE', undefined],
    ]);
    const vex = (await aggregate([['trivy/trivy-npm-with-suppressed.json', 'trivy']])).findings().find((f) => f.suppressed);
    expect(vex?.justification).toBe('Trivy: vulnerable_code_not_in_execute_path (not_affected, ./vex.json)');
  });

  it("Trivy's SARIF of the same scan gives the same licence finding as its JSON: rule, file, texts and fingerprints", async () => {
    const pick = (f: Finding) => [f.rule, f.location, f.title, f.message, f.package, f.severity, f.fingerprint, f.match];
    const licences = async (file: string) =>
      (await aggregate([[file, 'trivy']]))
        .findings()
        .filter((f) => f.category === 'licence' && !f.suppressed)
        .map(pick);
    const json = await licences('trivy/trivy-0.74.0-fs-show-suppressed-yaml.json');
    // Trivy's SARIF names it `:Apache-2.0` at "Loose File License(s)" and keeps the file in its message
    expect(await licences('trivy/trivy-0.74.0-fs-show-suppressed-yaml.sarif')).toEqual(json);
    expect(json.map((f) => f.slice(0, 3))).toEqual([['license:Apache-2.0', { path: 'vendor/lib/LICENSE' }, 'Licence Apache-2.0 (notice)']]);
  });

  it('a licence file outside the scanned tree is not placed on it, nor on "Loose File License(s)"', async () => {
    const report = trivyFs([
      {
        Target: 'Loose File License(s)',
        Class: 'license-file',
        Licenses: [
          { Severity: 'HIGH', Category: 'restricted', PkgName: '', FilePath: '../../etc/LICENSE', Name: 'GPL-3.0' },
          { Severity: 'HIGH', Category: 'restricted', PkgName: '', FilePath: '/usr/share/LICENSE', Name: 'AGPL-3.0' },
          { Severity: 'HIGH', Category: 'restricted', PkgName: '', FilePath: 'a/b/../../..', Name: 'SSPL-1.0' },
        ],
      },
    ]);
    const findings = (await load(report, 'trivy')).findings();
    expect(findings.map((f) => [f.location, f.target])).toEqual([
      [undefined, 'Loose File License(s)'],
      [undefined, 'Loose File License(s)'],
      [undefined, 'Loose File License(s)'],
    ]);
  });

  it("a downloaded Terraform module's misconfigurations are placed where the repository calls it, a local module's on its file", async () => {
    const findings = (await aggregate([['trivy/trivy-terraform-remote-module-in-child.json', 'trivy']])).findings();
    const root = 'testdata/fixtures/repo/terraform/remote-module-in-child';
    // CauseMetadata.Occurrences: module.bucket in modules/s3/main.tf 5–8 (the call of the remote module), module.this in main.tf 1–4
    expect(findings.map((f) => [f.rule, f.location])).toEqual(
      ['AWS-0132', 'AWS-0090', 'AWS-0089'].map((rule) => [rule, { path: `${root}/modules/s3/main.tf`, startLine: 5, endLine: 8 }]),
    );
    expect(findings[0]!.message).toContain(
      'In module github.com/terraform-aws-modules/terraform-aws-s3-bucket?ref=v5.2.0/main.tf, line 25.',
    );
    const occurrences = [
      { Resource: 'module.remote', Filename: 'git::https://example.com/m.git/main.tf', Location: { StartLine: 1, EndLine: 2 } },
      { Resource: 'module.outside', Filename: '../../outside/main.tf', Location: { StartLine: 3, EndLine: 4 } },
      { Resource: 'module.parent', Filename: '..', Location: { StartLine: 5, EndLine: 6 } },
    ];
    const misconfiguration = (target: string) => ({
      Target: target,
      Class: 'config',
      Type: 'terraform',
      Misconfigurations: [
        { ID: 'AWS-0089', Status: 'FAIL', Severity: 'LOW', CauseMetadata: { StartLine: 9, EndLine: 9, Occurrences: occurrences } },
      ],
    });
    const report = trivyFs([misconfiguration('modules/local/main.tf'), misconfiguration('git::https://example.com/m.git?ref=v1/main.tf')]);
    // a local module is a file; a remote one called from nowhere in the tree is no file: its address is the target
    expect((await load(report, 'trivy')).findings().map((f) => [f.location?.path, f.location?.startLine, f.target])).toEqual([
      ['modules/local/main.tf', 9, undefined],
      [undefined, undefined, 'git::https://example.com/m.git?ref=v1/main.tf'],
    ]);
  });

  it('names every object inherits are no entries of a table, and a line number is at most 2^31 − 1', async () => {
    const trivy = trivyFs([
      {
        Target: 'main.tf',
        Class: 'config',
        ExperimentalModifiedFindings: ['constructor', '__proto__', 'toString'].map((Type) => ({
          Type,
          Status: 'ignored',
          Finding: { ID: 'X' },
        })),
      },
    ]);
    expect((await load(trivy, 'trivy')).findings()).toEqual([]);
    const region = { startLine: 1e300 };
    const tagged = await load(
      sarif(
        [
          {
            ruleId: 'r',
            level: 'error',
            message: { text: 'm' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'a.js' }, region } }],
          },
        ],
        [{ id: 'r', properties: { tags: ['constructor', '__proto__'] } }],
      ),
      'sarif',
    );
    expect(tagged.findings().map((f) => [f.category, f.location?.path, f.location?.startLine])).toEqual([['other', 'a.js', undefined]]);
  });

  it('`gitleaks stdin` leaks (File "") are in the standard input, alike from its JSON and its SARIF', async () => {
    const agg = await aggregate([
      ['gitleaks/gitleaks-8.30.1-stdin.json', 'gitleaks'],
      ['gitleaks/gitleaks-8.30.1-stdin.sarif', 'gitleaks'],
    ]);
    expect(agg.findings().map((f) => [f.rule, f.location, f.target, f.tools.length])).toEqual([
      ['aws-access-token', undefined, 'standard input', 1],
      ['stripe-access-token', undefined, 'standard input', 1],
    ]);
    // only an empty uri is the standard input: a result without one stays on the report, as before
    const unplaced = await load(
      sarif([{ ruleId: 'aws-access-token', message: { text: 'm' }, locations: [{ physicalLocation: { region: { startLine: 2 } } }] }], [], {
        name: 'gitleaks',
      }),
      'gitleaks',
    );
    expect(unplaced.findings().map((f) => [f.target, f.location?.path.endsWith('report.json'), f.location?.startLine])).toEqual([
      [undefined, true, 2],
    ]);
    // a leak without any File is still no Gitleaks report
    await expect(load([{ RuleID: 'aws-access-token', Secret: 'x' }], 'gitleaks')).rejects.toThrow(
      /finding 0 has no RuleID \(or rule\) or File/,
    );
  });

  it('a finding set aside by a comment in the code or by .gitleaksignore says so', async () => {
    const reasons = async (file: string, kind: ReportKind) =>
      (await aggregate([[file, kind]])).findings().flatMap((f) => (f.suppressed ? [f.justification] : []));
    // Semgrep's JSON leaves nosemgrep matches out unless asked; its schema marks them `extra.is_ignored`
    const ignored = {
      check_id: 'r',
      path: 'a.py',
      start: { line: 1 },
      end: { line: 1 },
      extra: { message: 'm', severity: 'ERROR', is_ignored: true },
    };
    const json = await load({ version: '1.187.0', results: [ignored], errors: [] }, 'semgrep');
    expect(json.findings().map((f) => [f.suppressed, f.justification])).toEqual([[true, 'Semgrep: a nosemgrep comment']]);
    expect(await reasons('semgrep/semgrep-1.185.0-pair-labels.sarif', 'semgrep')).toEqual(['Semgrep: a nosemgrep comment']);
    // gosec writes the #nosec comment's reason; without one, the comment is the reason
    expect(await reasons('other/gosec-2.30.0-cwe-relationships.sarif', 'sarif')).toEqual(['demo file, world-writable on purpose']);
    const pragma = await load(sarif([{ ruleId: 'r', message: { text: 'm' }, suppressions: [{ kind: 'inSource' }], ...located }]), 'sarif');
    expect(pragma.findings().map((f) => f.justification)).toEqual(['Some Scanner: a comment in the source']);
    // a driver name of megabytes is not copied into every finding's reason
    const long = await load(
      sarif([{ ruleId: 'r', message: { text: 'm' }, suppressions: [{ kind: 'inSource' }], ...located }], [], {
        name: 'x'.repeat(1_000_000),
      }),
      'sarif',
    );
    expect(long.findings()[0]!.justification!.length).toBeLessThan(200);
    const dir = await mkdtemp(path.join(tmpdir(), 'gitleaksignore-'));
    await copyFile(fixture('gitleaks/gitleaks-8.30.1-pair-git.json'), path.join(dir, 'g.json'));
    const leaks = JSON.parse(await readFile(path.join(dir, 'g.json'), 'utf8')) as { Fingerprint: string }[];
    await writeFile(path.join(dir, '.gitleaksignore'), `${leaks[0]!.Fingerprint}\n`);
    const result = await scan({ 'gitleaks-report': 'g.json', 'fail-on': 'none' }, dir);
    expect(result.counts.suppressed).toBe(1);
    const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as { suppressed: boolean; justification?: string }[];
    expect(findings.filter((f) => f.suppressed).map((f) => f.justification)).toEqual(['Gitleaks: listed in .gitleaksignore']);
  });

  it("a Semgrep Supply Chain finding is its dependency's vulnerability, at the advisory's severity", async () => {
    const findings = (await aggregate([['semgrep/semgrep-1.187.0-supply-chain.json', 'semgrep']])).findings();
    const show = (f: Finding) => [f.rule, f.category, f.package, f.location?.path, f.location?.startLine, f.severity];
    expect(findings.map(show)).toEqual([
      ['pyyaml-unsafe-load-reachable', 'vulnerability', 'pyyaml@5.3', 'src/app.py', 17, 'CRITICAL'],
      ['flask-session-cookie', 'vulnerability', 'flask@1.0.2', 'src/app.py', 5, 'HIGH'],
      ['shell-true-call', 'sast', undefined, 'src/app.py', 11, 'HIGH'],
      ['requests-proxy-auth-unreachable', 'vulnerability', 'requests@2.19.0', 'requirements.txt', 3, 'MEDIUM'],
      ['hardcoded-password', 'sast', undefined, 'src/app.py', 29, 'MEDIUM'],
    ]);
    // Semgrep's own Supply Chain rules say the advisory's label and id in their metadata
    const result = {
      check_id: 'ssc-paddle',
      path: 'requirements.txt',
      start: { line: 4 },
      end: { line: 4 },
      extra: {
        message: 'paddlepaddle is vulnerable',
        severity: 'ERROR',
        metadata: { 'sca-severity': 'CRITICAL', 'sca-vuln-database-identifier': 'CVE-2024-0818', 'sca-kind': 'reachable' },
        sca_info: { dependency_match: { found_dependency: { package: 'paddlepaddle', version: '2.6.0' } } },
      },
    };
    const agg = await load({ version: '1.187.0', results: [result], errors: [] }, 'semgrep');
    expect(agg.findings().map((f) => [f.severity, f.cve, f.package])).toEqual([['CRITICAL', ['CVE-2024-0818'], 'paddlepaddle@2.6.0']]);
  });

  it("Betterleaks' and Opengrep's SARIF are read as Gitleaks' and Semgrep's, on their inputs too", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'successors-'));
    await copyFile(fixture('gitleaks/betterleaks-golden-sarif_simple.sarif'), path.join(dir, 'betterleaks.sarif'));
    await copyFile(fixture('semgrep/opengrep-sarif-nosemgrep-and-error.sarif'), path.join(dir, 'opengrep.sarif'));
    const result = await scan({ 'gitleaks-report': 'betterleaks.sarif', 'semgrep-report': 'opengrep.sarif' }, dir);
    // a leak is HIGH, as Gitleaks' SARIF (no level) is read, and fails the default gate
    expect(result.counts.bySeverity).toMatchObject({ CRITICAL: 0, HIGH: 1, MEDIUM: 0 });
    expect(result.gate.passed).toBe(false);
    const opengrep = (await aggregate([['semgrep/opengrep-sarif-nosemgrep-and-error.sarif', 'semgrep']])).findings();
    // Semgrep's rules say "<tool> Finding: <rule id>"; the title is the message
    expect(opengrep.map((f) => [f.rule, f.title, f.suppressed, f.justification])).toEqual([
      ['rules.eqeq-is-bad', 'useless comparison operation `a + b == a + b` or `a + b != a + b`', true, 'Semgrep: a nosemgrep comment'],
    ]);
  });
});

describe('SARIF messages and locations as real producers write them', () => {
  it("fills a message given as an id from its rule's messageStrings, so that results differing only in their arguments stay apart (Contrast Security)", async () => {
    const agg = await aggregate([['other/contrast-webgoat-message-strings.sarif', 'sarif']]);
    // the file's authorization-missing-deny results: four on lines 10–14 of \\web.config (template underLocation)
    // that differ only in their arguments, and one on lines 48–52 (template default)
    const deny = agg.findings().filter((f) => f.rule === 'authorization-missing-deny');
    expect(deny.map((f) => f.message).sort()).toEqual([
      "The configuration in '\\web.config' is missing a <deny> rule in the <authorization> section.",
      ...['Autocomplete.ashx', 'CustomerLogin.aspx', 'ForgotPassword.aspx', 'Logout.aspx'].map(
        (page) => `The configuration under location '${page}' in '\\web.config' is missing a <deny> rule in the <authorization> section.`,
      ),
    ]);
    expect(agg.findings()).toHaveLength(30);
  });

  it('fills placeholders as SARIF says: rule templates, then the driver’s globalMessageStrings; {{ }} are braces; a missing argument stays a placeholder', async () => {
    const results = [
      { ruleId: 'r', message: { id: 'own', arguments: ['a.js', '7'] }, ...located },
      { ruleId: 'r', message: { id: 'shared', arguments: ['x'] }, ...located },
      { ruleId: 'r', message: { text: 'Text {0} wins', id: 'own', arguments: ['here'] }, ...located },
      { ruleId: 'r', message: { id: '__proto__' }, ...located },
    ];
    const rules = [{ id: 'r', shortDescription: { text: 'Rule r' }, messageStrings: { own: { text: '{0} has {1} {{braces}} and {2}' } } }];
    const agg = await load(
      sarif(results, rules, { name: 'Tool', globalMessageStrings: { shared: { markdown: 'Shared **{0}**' } } }),
      'sarif',
    );
    expect(agg.findings().map((f) => f.message)).toEqual(['a.js has 7 {braces} and {2}', 'Shared **x**', 'Text here wins', 'Rule r']);
  });

  it('a message filled or looked up is at most 2,000 characters: a long template shared by many results makes no huge output', async () => {
    const repeated = [{ ruleId: 'r', message: { id: 'm', arguments: ['x'.repeat(1 << 20)] }, ...located }];
    const [one] = (await load(sarif(repeated, [{ id: 'r', messageStrings: { m: { text: '{0}'.repeat(100_000) } } }]), 'sarif')).findings();
    expect([one!.message.length, one!.message.startsWith('x'.repeat(1000))]).toEqual([2000, true]);
    // one 1 MB template, without and with arguments, named by 2,000 results at 2,000 places
    const at = (i: number) => ({
      locations: [{ physicalLocation: { artifactLocation: { uri: `src/f${i}.js` }, region: { startLine: 1 } } }],
    });
    const results = Array.from({ length: 2000 }, (_, i) => ({
      ruleId: 'r',
      message: { id: i % 2 ? 'big' : 'bigger', arguments: i % 2 ? [] : ['y'] },
      ...at(i),
    }));
    const strings = { big: { text: 'A'.repeat(1 << 20) }, bigger: { text: `{0}${'B'.repeat(1 << 20)}` } };
    const findings = (await load(sarif(results, [{ id: 'r' }], { name: 'Tool', globalMessageStrings: strings }), 'sarif')).findings();
    expect(findings).toHaveLength(2000);
    expect(Math.max(...findings.map((f) => f.message.length))).toBe(2000);
  });

  it('results at web addresses (OWASP ZAP) keep the address as their target, not as a path of the repository', async () => {
    const agg = await aggregate([['other/owasp-zap-web-addresses.json', 'any']]);
    const findings = agg.findings();
    expect(findings.every((f) => f.location === undefined && f.target?.startsWith('https://127.0.0.1:8080'))).toBe(true);
    // the file's XSS result (rule 40012, level error), its address as written
    expect(findings.find((f) => f.rule === '40012')).toMatchObject({
      severity: 'HIGH',
      target: 'https://127.0.0.1:8080/greeting?name=%3C%2Fp%3E%3Cscript%3Ealert%281%29%3B%3C%2Fscript%3E%3Cp%3E',
    });
  });

  it('a source root given as a web address leaves the uris relative to the repository (SARIF SDK sample)', async () => {
    const agg = await aggregate([['other/sarif-sdk-cwe-sample-remote-srcroot.sarif', 'sarif']]);
    expect(new Set(agg.findings().map((f) => f.location?.path))).toEqual(new Set(['src/Sarif/Taxonomies/SampleCode.cs']));
  });

  it('two results of one rule that start at one place but end apart are two findings; one result given twice is one', async () => {
    // as CodeQL writes two replacements on one minified line: same start, same partialFingerprints
    const at = (endColumn: number, text: string) => ({
      ruleId: 'js/incomplete-sanitization',
      message: { text },
      partialFingerprints: { primaryLocationLineHash: '799a60d1587071cb:1' },
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'index.js' }, region: { startLine: 1, startColumn: 1796894, endColumn } } },
      ],
    });
    const first = at(1796921, 'This replaces only the first occurrence of "\\]".');
    const second = at(1796904, 'This replaces only the first occurrence of "\\[".');
    expect((await load(sarif([first, second, first]), 'sarif')).findings().map((f) => f.message)).toEqual([
      first.message.text,
      second.message.text,
    ]);
  });

  it("finds a result's rule in the tool extension it names (by index or name), as query packs and plug-ins list their rules", async () => {
    const rule = (id: string, score: string) => ({ id, properties: { 'security-severity': score } });
    const log = {
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: { name: 'CodeQL', rules: [rule('driver/only', '2.0')] },
            extensions: [
              { name: 'codeql/javascript-queries', rules: [rule('js/a', '5.0'), rule('js/sql-injection', '9.8')] },
              { name: 'acme/extra', rules: [rule('acme/x', '7.5')] },
            ],
          },
          results: [
            {
              ruleId: 'js/sql-injection',
              rule: { id: 'js/sql-injection', index: 1, toolComponent: { index: 0 } },
              message: { text: 'a' },
              ...located,
            },
            { rule: { index: 0, toolComponent: { name: 'acme/extra' } }, message: { text: 'b' }, ...located },
            { ruleIndex: 0, message: { text: 'c' }, ...located },
          ],
        },
      ],
    };
    const agg = await load(log, 'sarif');
    expect(agg.findings().map((f) => [f.rule, f.severity])).toEqual([
      ['js/sql-injection', 'CRITICAL'],
      ['acme/x', 'HIGH'],
      ['driver/only', 'LOW'],
    ]);
  });

  it('a rule named by id in a component is that component’s, though another component has a rule of that id; the driver may be named', async () => {
    const rule = (id: string, score: string) => ({ id, properties: { 'security-severity': score } });
    const result = (text: string, reference: unknown) => ({ rule: reference, message: { text }, ...located });
    const log = {
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: { name: 'Scanner', rules: [rule('X', '2.0'), rule('D', '9.5')] },
            extensions: [
              { name: 'security-pack', guid: '11111111-2222-3333-4444-555555555555', rules: [rule('X', '9.8')] },
              { name: 'later-pack', rules: [rule('X', '4.0')] },
            ],
          },
          results: [
            result('by index of the component, rule by id', { id: 'X', toolComponent: { index: 0 } }),
            result('by name', { id: 'X', toolComponent: { name: 'security-pack' } }),
            result('by guid', { id: 'X', toolComponent: { guid: '11111111-2222-3333-4444-555555555555' } }),
            result('the driver by its name, rule by index', { index: 1, toolComponent: { name: 'Scanner' } }),
          ],
        },
      ],
    };
    const findings = (await load(log, 'sarif')).findings();
    expect(findings.map((f) => [f.message, f.rule, f.severity])).toEqual([
      ['by index of the component, rule by id', 'X', 'CRITICAL'],
      ['by name', 'X', 'CRITICAL'],
      ['by guid', 'X', 'CRITICAL'],
      ['the driver by its name, rule by index', 'D', 'CRITICAL'],
    ]);
  });

  it('`runs: null` (its tool failed, SARIF §3.13.4) is refused, saying so', async () => {
    await expect(load({ version: '2.1.0', runs: null }, 'sarif')).rejects.toThrow(
      /has `runs: null`: its tool failed before it produced a run/,
    );
  });
});

describe('text hygiene', () => {
  it('decodes HTML entities, turns literal \\n into lines, shows control characters as escapes; the title is the first line', async () => {
    const text = 'Don&#39;t use &quot;eval&quot;\\nDetails on the next line\u0007 with \u001b[31mcolour';
    const agg = await load(sarif([{ ruleId: 'r', message: { text }, ...located }]), 'sarif');
    const [f] = agg.findings();
    expect(f!.title).toBe('Don\'t use "eval"');
    expect(f!.message).toBe('Don\'t use "eval"\nDetails on the next line\\x07 with \\x1b[31mcolour');
  });
});

describe('many tools', () => {
  it('a SARIF file of 25 runs: the summary and the console give 20 tools a row each and count the other 5 in one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'many-tools-'));
    const runs = Array.from({ length: 25 }, (_, i) => ({
      tool: { driver: { name: `Scanner ${i + 1}`, rules: [{ id: 'r1' }] } },
      results: [
        {
          ruleId: 'r1',
          level: 'error',
          message: { text: `finding of scanner ${i + 1}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: `src/f${i}.js` }, region: { startLine: 1 } } }],
        },
      ],
    }));
    await writeFile(path.join(dir, 'many.sarif'), JSON.stringify({ version: '2.1.0', runs }));
    const result = await scan({ 'sarif-files': 'many.sarif', 'fail-on': 'none' }, dir);
    // level error is HIGH: one HIGH finding per scanner
    expect(result.counts.bySeverity.HIGH).toBe(25);
    for (let i = 1; i <= 20; i++) expect(result.summary).toContain(`| Scanner ${i} | 0 | 1 | 0 | 0 | 0 |`);
    expect(result.summary).not.toContain('| Scanner 21 |');
    expect(result.summary).toContain('| 5 other tools | 0 | 5 | 0 | 0 | 0 |');
    expect(result.summary).toContain('| Total (deduplicated) | 0 | 25 | 0 | 0 | 0 |');
    expect(result.console).toMatch(/^5 other tools +0 +5 +0 +0 +0$/m);
  });
});

describe("the console report (the CLI's stdout, which a job's runner reads for workflow commands)", () => {
  it('shows what a report wrote on one line, controls visible: no rule, path, target or problem starts a line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'console-'));
    const forged = ['\n::error title=x::owned', '\r::add-mask::visible', '\r\n##[error]legacy', '\u202eexe.txt'];
    const results = forged.map((f, i) => ({
      ruleId: `rule${i}${f}`,
      level: 'error',
      message: { text: `message${f}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: i % 2 ? `https://x.example/${f}` : `src/a${i}${f}.js` }, region: { startLine: 1 } },
        },
      ],
    }));
    const log = sarif(results, [], { name: 'Forger' });
    (log.runs[0] as Record<string, unknown>)['invocations'] = [
      { toolExecutionNotifications: forged.map((f) => ({ level: 'error', message: { text: `problem${f}` } })) },
    ];
    await writeFile(path.join(dir, 'forged.sarif'), JSON.stringify(log));
    // Checkov's files it could not parse, as problems: one outside the repository holds credentials in a URL
    const checkov = {
      check_type: 'terraform',
      results: { failed_checks: [], parsing_errors: ['infra/main.tf\n::error::checkov', 'https://admin:hunter2@host/x.tf'] },
      summary: { passed: 0, failed: 0, skipped: 0, parsing_errors: 2, checkov_version: '3.3.30' },
    };
    await writeFile(path.join(dir, 'checkov.json'), JSON.stringify(checkov));
    const scanned = await scan({ 'sarif-files': 'forged.sarif', 'checkov-report': 'checkov.json', 'fail-on': 'none' }, dir);
    const lines = scanned.console.split('\n');
    expect(lines.filter((l) => /^\s*(::|##\[)/.test(l))).toEqual([]);
    // eslint-disable-next-line no-control-regex
    expect(scanned.console).not.toMatch(/[\r\u0000-\u0008\u001b\u007f\u202e]/);
    expect(scanned.console).toContain(
      'warning: Checkov (terraform) could not parse infra/main.tf\\n::error::checkov: its checks did not run there.',
    );
    expect(scanned.console).toContain('warning: Checkov (terraform) could not parse https://***@host/x.tf: its checks did not run there.');
    expect(scanned.console).not.toContain('hunter2');
  });
});

describe('a SARIF run that did not complete (invocations[].executionSuccessful: false)', () => {
  it('is a problem of the scan, with its exit code, told once; a run that completed is not', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'unfinished-'));
    const run = (name: string, invocations: unknown[]) => {
      const log = sarif([], [], { name });
      (log.runs[0] as Record<string, unknown>)['invocations'] = invocations;
      return JSON.stringify(log);
    };
    await writeFile(
      path.join(dir, 'crashed.sarif'),
      run('Crashed', [{ executionSuccessful: false, exitCode: 3, exitCodeDescription: 'Out of memory\nwhile analysing' }]),
    );
    // its error notification already says why: not told twice
    await writeFile(
      path.join(dir, 'told.sarif'),
      run('Told', [
        { executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: 'Extraction failed' } }] },
      ]),
    );
    await writeFile(path.join(dir, 'fine.sarif'), run('Fine', [{ executionSuccessful: true, exitCode: 0 }]));
    const scanned = await scan({ 'sarif-files': '*.sarif', 'fail-on': 'none' }, dir);
    const warnings = scanned.console.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toEqual([
      'warning: Crashed: the run did not complete (executionSuccessful: false; exit code 3, Out of memory): its results may be partial',
      'warning: Told error: Extraction failed',
    ]);
  });
});

describe('reruns', () => {
  it('never reads back what this action wrote, whatever its name', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rerun-'));
    await copyFile(fixture('other/codeql-2.5.4-output.sarif'), path.join(dir, 'codeql.sarif'));
    const first = await scan({ 'sarif-files': '*.sarif' }, dir);
    const second = await scan({ 'sarif-files': '*.sarif' }, dir);
    expect(second.counts.total).toBe(first.counts.total);
    await copyFile(first.sarifFile, path.join(dir, 'renamed.sarif'));
    await copyFile(first.findingsFile, path.join(dir, 'renamed.json'));
    const third = await scan({ reports: '*.sarif\n*.json', 'output-sarif': 'out/x.sarif' }, dir);
    expect(third.counts.total).toBe(first.counts.total);
    expect(countFindings([]).total).toBe(0);
  });
});
