import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Aggregator, countFindings, detectElement, detectObject, loadReport, parseText, SCANNERS, type Scanner } from '../src/index.ts';
import { fixture, fixtures } from './helpers.ts';

const scannersDir = path.resolve(import.meta.dirname, '../src/scanners');

/** The JSON fixtures of each registered scanner's folder (SARIF goes through the SARIF reader). */
const JSON_FIXTURES = SCANNERS.flatMap((s) =>
  readdirSync(path.join(fixtures, s.tool.id))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [s.tool.id, `${s.tool.id}/${f}`] as const),
);

/** Every scanner whose detection takes a document. */
function detectors(doc: unknown): string[] {
  if (Array.isArray(doc)) return doc.length ? SCANNERS.filter((s) => s.detectElement?.(doc[0])).map((s) => s.tool.id) : [];
  return SCANNERS.filter((s) => doc !== null && typeof doc === 'object' && s.detect?.(doc as Record<string, unknown>)).map(
    (s) => s.tool.id,
  );
}

describe('the scanner registry', () => {
  it('holds one scanner per module of src/scanners, each with its own input', async () => {
    const modules = readdirSync(scannersDir).filter((f) => !['index.ts', 'scanner.ts', 'run.ts'].includes(f));
    expect(modules.map((m) => m.replace(/\.ts$/, '')).sort()).toEqual(SCANNERS.map((s) => s.tool.id).sort());
    for (const module of modules) {
      const exported = Object.values((await import(path.join(scannersDir, module))) as Record<string, unknown>);
      expect(SCANNERS.filter((s) => exported.includes(s))).toHaveLength(1);
    }
    for (const s of SCANNERS) expect(s.input).toBe(`${s.tool.id}-report`);
  });

  it.each(JSON_FIXTURES)("detects a %s report (%s) as that tool's and no other's", async (id, file) => {
    const doc: unknown = JSON.parse(await readFile(fixture(file), 'utf8'));
    const empty = Array.isArray(doc) && doc.length === 0;
    expect(detectors(doc)).toEqual(empty ? [] : [id]);
    if (!empty) expect((Array.isArray(doc) ? detectElement(doc[0]) : detectObject(doc as Record<string, unknown>))?.tool.id).toBe(id);
  });

  it("takes no other tool's JSON fixture for a scanner's (none of the SARIF files either)", async () => {
    for (const dir of ['other', 'schema']) {
      for (const f of readdirSync(path.join(fixtures, dir))) {
        const doc: unknown = JSON.parse((await readFile(path.join(fixtures, dir, f), 'utf8')).replace(/^\uFEFF/, ''));
        expect([f, detectors(doc)]).toEqual([f, []]);
      }
    }
  });

  it('a scanner that runs has pinned arguments that write its report where asked', () => {
    const runnable = SCANNERS.filter((s): s is Scanner & { run: NonNullable<Scanner['run']> } => s.run !== undefined);
    expect(runnable.map((s) => s.tool.id)).toEqual(['gitleaks', 'semgrep', 'trivy']);
    for (const s of runnable)
      expect(s.run.args({ workspace: '/w', report: '/out/r.json', semgrepConfig: ['rules'], skipPaths: [], workDir: '/out' })).toContain(
        '/out/r.json',
      );
  });
});

describe('Checkov 3.3.30 reports produced here (both output shapes)', () => {
  /** What the report says of itself: failed and skipped checks per framework (its `summary`). */
  async function ownSummary(file: string): Promise<{ shape: string; failed: number; skipped: number; frameworks: string[] }> {
    const doc = JSON.parse(await readFile(fixture(file), 'utf8')) as unknown;
    const reports = (Array.isArray(doc) ? doc : [doc]) as { check_type: string; summary: { failed: number; skipped: number } }[];
    return {
      shape: Array.isArray(doc) ? 'array' : 'object',
      failed: reports.reduce((n, r) => n + r.summary.failed, 0),
      skipped: reports.reduce((n, r) => n + r.summary.skipped, 0),
      frameworks: reports.map((r) => r.check_type),
    };
  }

  it.each([
    ['checkov/checkov-3.3.30-terraform.json', 'object', ['terraform']],
    ['checkov/checkov-3.3.30-multi-framework.json', 'array', ['dockerfile', 'kubernetes', 'terraform']],
  ])('%s: every failed check is a finding and every skipped one a suppressed finding', async (file, shape, frameworks) => {
    const own = await ownSummary(file);
    expect([own.shape, own.frameworks]).toEqual([shape, frameworks]);
    const agg = new Aggregator();
    await loadReport(fixture(file), 'checkov', { root: '/repo', sink: agg }, 4096);
    const counts = countFindings(agg.findings());
    // Checkov states no severity without a platform key: a failed check is HIGH, as its SARIF states it
    expect(counts).toEqual({
      bySeverity: { CRITICAL: 0, HIGH: own.failed, MEDIUM: 0, LOW: 0, INFO: 0 },
      suppressed: own.skipped,
      total: own.failed,
    });
    expect(agg.tools).toEqual([{ id: 'checkov', name: 'Checkov', version: '3.3.30', informationUri: 'https://www.checkov.io' }]);
    // streamed in small chunks or parsed whole: the same findings
    const whole = new Aggregator();
    parseText(await readFile(fixture(file), 'utf8'), 'checkov', { file: fixture(file), root: '/repo', sink: whole });
    expect(whole.findings()).toEqual(agg.findings().map((f) => ({ ...f })));
  });

  it('places findings on the scanned files with their line ranges, and names the check', async () => {
    const agg = new Aggregator();
    await loadReport(fixture('checkov/checkov-3.3.30-multi-framework.json'), 'checkov', { root: '/repo', sink: agg });
    const findings = agg.findings();
    const byFile = (p: string) => findings.filter((f) => f.location?.path === p);
    expect([byFile('k8s/pod.yaml').length, byFile('Dockerfile').length, byFile('main.tf').length]).toEqual([20, 2, 11]);
    const privileged = findings.find((f) => f.rule === 'CKV_K8S_16');
    expect(privileged).toMatchObject({ location: { path: 'k8s/pod.yaml', startLine: 1, endLine: 10 }, category: 'misconfiguration' });
    expect(privileged?.title).toMatch(/privileged/i);
    const skipped = findings.filter((f) => f.suppressed);
    expect(skipped.map((f) => [f.rule, f.location?.path])).toEqual([['CKV_AWS_189', 'main.tf']]);
  });

  it("is refused on another scanner's input, naming what it is", async () => {
    const error = (await loadReport(fixture('checkov/checkov-3.3.30-multi-framework.json'), 'gitleaks', {
      root: '/repo',
      sink: new Aggregator(),
    }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/is a Checkov JSON report; expected a Gitleaks JSON or SARIF report$/);
  });
});
