import { describe, expect, it } from '@jest/globals';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GateError, Inputs, InputError, mapInputs, MemoryLogger } from '@pipeline-toolkit/core';
import { baselineCounts, gateMessage, readScanInputs, runScan, type ScanDeps } from '../src/index.ts';
import { fixture } from './helpers.ts';

/**
 * The baseline gate against real reports: the same report gives no new finding, one more
 * finding fails the gate naming it, a finding moved by 10 lines is not new, gone ones are fixed.
 * Expected counts come from reading the fixtures.
 */

interface TrivyReport {
  Results: {
    Target: string;
    Vulnerabilities?: { VulnerabilityID: string; PkgName: string; InstalledVersion: string; FixedVersion?: string; Severity: string }[];
  }[];
}
interface SemgrepReport {
  results: { check_id: string; path: string; start: { line: number }; end: { line: number }; extra: Record<string, unknown> }[];
}
interface Leak {
  RuleID: string;
  File: string;
  StartLine: number;
  EndLine: number;
  Secret: string;
  Match: string;
}

const readJson = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;
const DEBIAN = fixture('trivy/trivy-image-debian-buster-unfixed.json');
const NPM = fixture('trivy/trivy-npm-with-suppressed.json');

async function workspace(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'scan-baseline-'));
}

async function scan(ws: string, values: Record<string, string>, deps: Partial<ScanDeps> = {}) {
  const options = readScanInputs(new Inputs(mapInputs(values)));
  return runScan(options, { log: new MemoryLogger(), env: { RUNNER_TEMP: ws, ...deps.env }, cwd: ws, ...deps });
}

const vulns = (report: TrivyReport) => report.Results.flatMap((r) => r.Vulnerabilities ?? []);

describe('baseline gate', () => {
  it('the same report against its own findings file: 0 new, all unchanged, the gate passes with scope new', async () => {
    const ws = await workspace();
    const expected = vulns(await readJson<TrivyReport>(DEBIAN)).length;
    const first = await scan(ws, { 'trivy-report': DEBIAN, 'output-sarif': 'main.sarif' });
    expect(first.gate.passed).toBe(false);
    expect(baselineCounts(first)).toEqual({ new: expected, fixed: 0, unchanged: 0 });

    const again = await scan(ws, { 'trivy-report': DEBIAN, baseline: 'main.findings.json', 'gate-scope': 'new' });
    expect(again.baseline).toMatchObject({ new: 0, fixed: 0, unchanged: expected, scope: 'new' });
    expect(again.gate).toMatchObject({ passed: true, failing: 0, scope: 'new' });
    expect(again.summary).toContain('**New: 0**, fixed: 0, unchanged: ' + expected);

    // scope all still gates on every finding, and the counts stay
    const all = await scan(ws, {
      'trivy-report': DEBIAN,
      baseline: 'main.findings.json',
      'gate-scope': 'all',
      'output-sarif': 'all.sarif',
    });
    expect(all.gate).toMatchObject({ passed: false, scope: 'all' });
    expect(all.baseline).toMatchObject({ new: 0, unchanged: expected });
  });

  it('the SARIF file this action wrote works as a baseline too', async () => {
    const ws = await workspace();
    const debian = path.join(ws, 'debian.json');
    await copyFile(DEBIAN, debian);
    const expected = vulns(await readJson<TrivyReport>(DEBIAN)).length;
    await scan(ws, { 'trivy-report': debian, 'output-sarif': 'main.sarif' });
    const again = await scan(ws, { 'trivy-report': debian, baseline: 'main.sarif', 'gate-scope': 'new' });
    expect(again.baseline).toMatchObject({ new: 0, fixed: 0, unchanged: expected });
    expect(again.gate.passed).toBe(true);
  });

  it('one new finding fails the gate, naming it', async () => {
    const ws = await workspace();
    const base = vulns(await readJson<TrivyReport>(DEBIAN));
    const added = vulns(await readJson<TrivyReport>(NPM));
    expect(added).toHaveLength(1);
    await scan(ws, { 'trivy-report': DEBIAN, 'output-sarif': 'main.sarif' });
    const pr = await scan(ws, { 'trivy-report': `${DEBIAN},${NPM}`, baseline: 'main.findings.json', 'gate-scope': 'new' });
    expect(pr.baseline).toMatchObject({ new: 1, fixed: 0, unchanged: base.length });
    expect(pr.gate).toMatchObject({ passed: false, failing: 1, scope: 'new' });
    const [only] = pr.baseline!.newFindings;
    expect(only).toMatchObject({ rule: added[0]!.VulnerabilityID, severity: added[0]!.Severity });
    const message = gateMessage(pr);
    expect(message).toContain('1 new unsuppressed finding at or above HIGH (fail-on: high, gate-scope: new)');
    expect(message).toContain(`${added[0]!.Severity} ${added[0]!.VulnerabilityID} at ${only!.where}`);
    expect(only!.where).toContain(added[0]!.PkgName);
    expect(pr.summary).toContain(added[0]!.VulnerabilityID);
    expect(pr.summary).toContain('**New: 1**');
    expect(new GateError(message).message).toBe(message);
  });

  it("the summary's top findings give a vulnerability's package, installed and fixed version", async () => {
    const ws = await workspace();
    const [v] = vulns(await readJson<TrivyReport>(NPM));
    const result = await scan(ws, { 'trivy-report': NPM });
    expect(result.summary).toContain(`${v!.VulnerabilityID} in ${v!.PkgName}@${v!.InstalledVersion} (fixed in ${v!.FixedVersion})`);
  });

  it('findings gone since the baseline count as fixed', async () => {
    const ws = await workspace();
    const gone = vulns(await readJson<TrivyReport>(DEBIAN));
    const kept = vulns(await readJson<TrivyReport>(NPM));
    await scan(ws, { 'trivy-report': `${DEBIAN},${NPM}`, 'output-sarif': 'main.sarif' });
    const pr = await scan(ws, { 'trivy-report': NPM, baseline: 'main.findings.json' });
    expect(pr.baseline).toMatchObject({ new: 0, fixed: gone.length, unchanged: kept.length });
    expect(pr.summary).toContain(`fixed: ${gone.length}`);
  });

  it('a Semgrep finding moved 10 lines down is not new', async () => {
    const ws = await workspace();
    const file = fixture('semgrep/semgrep-json-v1.84.1-low-severity.json');
    const report = await readJson<SemgrepReport>(file);
    await scan(ws, { 'semgrep-report': file, 'output-sarif': 'main.sarif', 'fail-on': 'low' });
    const moved = structuredClone(report);
    moved.results[0]!.start.line += 10;
    moved.results[0]!.end.line += 10;
    await writeFile(path.join(ws, 'moved.json'), JSON.stringify(moved));
    const pr = await scan(ws, { 'semgrep-report': 'moved.json', baseline: 'main.findings.json', 'gate-scope': 'new', 'fail-on': 'low' });
    expect(pr.baseline).toMatchObject({ new: 0, fixed: 0, unchanged: report.results.length });
    expect(pr.gate.passed).toBe(true);
  });

  it('logged-out Semgrep (fingerprint and lines masked) moved 10 lines: not new either', async () => {
    const ws = await workspace();
    const file = fixture('semgrep/semgrep-json-v1.100.0-logged-out.json');
    const report = await readJson<SemgrepReport>(file);
    await scan(ws, { 'semgrep-report': file, 'output-sarif': 'main.sarif' });
    const moved = structuredClone(report);
    for (const r of moved.results) {
      r.start.line += 10;
      r.end.line += 10;
    }
    await writeFile(path.join(ws, 'moved.json'), JSON.stringify(moved));
    const pr = await scan(ws, { 'semgrep-report': 'moved.json', baseline: 'main.findings.json', 'gate-scope': 'new' });
    expect(pr.baseline).toMatchObject({ new: 0, unchanged: report.results.length });
  });

  it('a Gitleaks leak moved 10 lines is not new; a different secret at the same place is', async () => {
    const ws = await workspace();
    const file = fixture('gitleaks/gitleaks-golden-json_simple.json');
    const leaks = await readJson<Leak[]>(file);
    await scan(ws, { 'gitleaks-report': file, 'output-sarif': 'main.sarif' });
    const moved = leaks.map((l) => ({ ...l, StartLine: l.StartLine + 10, EndLine: l.EndLine + 10 }));
    await writeFile(path.join(ws, 'moved.json'), JSON.stringify(moved));
    const same = await scan(ws, { 'gitleaks-report': 'moved.json', baseline: 'main.findings.json', 'gate-scope': 'new' });
    expect(same.baseline).toMatchObject({ new: 0, fixed: 0, unchanged: leaks.length });
    expect(same.gate.passed).toBe(true);

    const other = leaks.map((l) => ({ ...l, Secret: `${l.Secret} rotated`, Match: `${l.Match} rotated` }));
    await writeFile(path.join(ws, 'other.json'), JSON.stringify(other));
    const changed = await scan(ws, { 'gitleaks-report': 'other.json', baseline: 'main.findings.json', 'gate-scope': 'new' });
    expect(changed.baseline).toMatchObject({ new: leaks.length, fixed: leaks.length, unchanged: 0 });
    expect(changed.gate.passed).toBe(false);
    // the new secret is never shown, only where it is
    expect(gateMessage(changed)).not.toContain('rotated');
  });

  it('two redacted leaks of one rule in one file, both moved: compared as a multiset, none new', async () => {
    const ws = await workspace();
    const file = fixture('gitleaks/gitleaks-baseline-report.json');
    const leaks = await readJson<Leak[]>(file);
    expect(new Set(leaks.map((l) => `${l.RuleID}|${l.File}`)).size).toBe(1);
    await scan(ws, { 'gitleaks-report': file, 'output-sarif': 'main.sarif' });
    const moved = leaks.map((l) => ({ ...l, StartLine: l.StartLine + 10, EndLine: l.EndLine + 10 }));
    await writeFile(path.join(ws, 'moved.json'), JSON.stringify(moved));
    const pr = await scan(ws, { 'gitleaks-report': 'moved.json', baseline: 'main.findings.json' });
    expect(pr.baseline).toMatchObject({ new: 0, unchanged: leaks.length });
    // one more of the same: one new
    await writeFile(path.join(ws, 'more.json'), JSON.stringify([...moved, { ...moved[0]!, StartLine: 90, EndLine: 90 }]));
    const more = await scan(ws, { 'gitleaks-report': 'more.json', baseline: 'main.findings.json', 'output-sarif': 'more.sarif' });
    expect(more.baseline).toMatchObject({ new: 1, unchanged: leaks.length });
    expect(more.baseline!.newFindings[0]!.where).toBe(`${leaks[0]!.File}:90`);
  });

  it('a foreign SARIF log is a baseline: its findings get their match as the current ones do', async () => {
    const ws = await workspace();
    const file = fixture('semgrep/semgrep-sarif-rule-board.sarif');
    const pr = await scan(ws, { 'semgrep-report': file, baseline: file, 'gate-scope': 'new', 'fail-on': 'low' });
    expect(pr.baseline!.new).toBe(0);
    expect(pr.baseline!.unchanged).toBe(pr.counts.total);
  });

  it('gate-scope defaults to new on pull requests and falls back to all without a baseline, saying so', async () => {
    const ws = await workspace();
    const result = await scan(ws, { 'trivy-report': NPM }, { env: { RUNNER_TEMP: ws, GITHUB_EVENT_NAME: 'pull_request' } });
    expect(result.gate.scope).toBe('all');
    expect(result.gate.passed).toBe(false);
    expect(result.summary).toContain(
      'Gate scope new needs a baseline, and no baseline was given: every finding can fail the gate (scope all).',
    );
  });

  it('with a baseline, gate-scope is new on pull requests and all on other events', async () => {
    const ws = await workspace();
    await scan(ws, { 'trivy-report': NPM, 'output-sarif': 'main.sarif' });
    const withBase = await scan(
      ws,
      { 'trivy-report': NPM, baseline: 'main.findings.json' },
      { env: { RUNNER_TEMP: ws, GITHUB_EVENT_NAME: 'pull_request' } },
    );
    expect(withBase.gate).toMatchObject({ scope: 'new', passed: true });
    const push = await scan(
      ws,
      { 'trivy-report': NPM, baseline: 'main.findings.json' },
      { env: { RUNNER_TEMP: ws, GITHUB_EVENT_NAME: 'push' } },
    );
    expect(push.gate).toMatchObject({ scope: 'all', passed: false });
  });

  it('a baseline that is not one fails naming the input and what is accepted', async () => {
    const ws = await workspace();
    await writeFile(
      path.join(ws, 'old.json'),
      JSON.stringify([{ tools: ['trivy'], rule: 'x', fingerprint: 'f', severity: 'HIGH', report: 'r' }]),
    );
    await writeFile(path.join(ws, 'text.json'), 'not json');
    const old = scan(ws, { 'trivy-report': NPM, baseline: 'old.json' });
    await expect(old).rejects.toBeInstanceOf(InputError);
    await expect(old).rejects.toThrow(
      "Input 'baseline': old.json has a finding (1) without a `match` fingerprint (written by an older version?)",
    );
    await expect(scan(ws, { 'trivy-report': NPM, baseline: 'text.json' })).rejects.toThrow(
      /Input 'baseline': text\.json is not valid JSON .*Expected a findings file written by security-scan/,
    );
    // read finding by finding: a bad one further on is named by its place, and a cut file is not JSON
    const good = { tools: ['trivy'], rule: 'x', fingerprint: 'f', severity: 'HIGH', report: 'r', match: 'a'.repeat(32) };
    await writeFile(
      path.join(ws, 'later.json'),
      `[\n${JSON.stringify(good)},\n${JSON.stringify(good)},\n${JSON.stringify({ ...good, match: 'x' })}\n]`,
    );
    await expect(scan(ws, { 'trivy-report': NPM, baseline: 'later.json' })).rejects.toThrow(
      "Input 'baseline': later.json has a finding (3) without a `match` fingerprint",
    );
    await writeFile(path.join(ws, 'cut.json'), `[\n${JSON.stringify(good)},\n${JSON.stringify(good).slice(0, 40)}`);
    await expect(scan(ws, { 'trivy-report': NPM, baseline: 'cut.json' })).rejects.toThrow(
      /Input 'baseline': cut\.json is not valid JSON \(Unexpected end of JSON input\)/,
    );
    await expect(scan(ws, { 'trivy-report': NPM, baseline: 'missing.json' })).rejects.toThrow(
      "Input 'baseline' 'missing.json' does not exist",
    );
  });
});
