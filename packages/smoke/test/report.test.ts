import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { Redactor } from '@pipeline-toolkit/core';
import { jsonReport, junitReport, summaryMarkdown, writeReports, type SuiteResult } from '../src/index.ts';

const result: SuiteResult = {
  target: 'https://shop.example/?token=abc123456',
  environment: 'production',
  result: 'failed',
  source: 'smoke.yml',
  summary: { passed: 1, failed: 1, flaky: 1, skipped: 1, total: 4, durationMs: 1234 },
  latency: { samples: 2, p95Ms: 480, budgetMs: 400, withinBudget: false, gate: false },
  checks: [
    {
      name: 'health',
      tags: ['smoke', 'critical'],
      kind: 'http',
      status: 'passed',
      attempts: 1,
      durationMs: 20,
      latencyMs: 15,
      budgetMs: 800,
      url: 'https://shop.example/health',
    },
    {
      name: 'orders <API>',
      tags: ['critical'],
      kind: 'http',
      status: 'failed',
      attempts: 3,
      durationMs: 900,
      latencyMs: 950,
      budgetMs: 800,
      message: 'latency 950ms over the budget of 800ms & "more"',
    },
    {
      name: 'recommendations',
      tags: ['flaky'],
      kind: 'http',
      status: 'flaky',
      attempts: 2,
      durationMs: 40,
      latencyMs: 12,
      message: 'passed on attempt 2 (earlier: status 500, expected 2xx)',
    },
    { name: 'cache', tags: [], kind: 'tcp', status: 'skipped', attempts: 0, durationMs: 0, message: 'refused: POST against production' },
  ],
};
const redactor = new Redactor();

describe('reports', () => {
  it('the JSON result has exactly the shape slack-notify reads, redacted', () => {
    const report = jsonReport(result, redactor);
    expect(Object.keys(report)).toEqual(['target', 'environment', 'summary', 'latency', 'checks']);
    expect(report.latency).toEqual({ samples: 2, p95Ms: 480, budgetMs: 400, withinBudget: false, gate: false });
    expect(Object.keys(report.summary)).toEqual(['passed', 'failed', 'flaky', 'skipped', 'total', 'durationMs']);
    expect(report.target).toBe('https://shop.example/?token=***');
    expect(report.checks[0]).toEqual({
      name: 'health',
      tags: ['smoke', 'critical'],
      kind: 'http',
      status: 'passed',
      attempts: 1,
      durationMs: 20,
      latencyMs: 15,
    });
    expect(Object.keys(report.checks[3] ?? {})).toEqual(['name', 'tags', 'kind', 'status', 'attempts', 'durationMs', 'message']);
  });

  it('JUnit XML has one testcase per check with tags, url and attempts; flaky noted, failures and skips marked', () => {
    const xml = junitReport(result, redactor);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { tests: string; failures: string; testsuite: { testcase: Record<string, unknown>[] } };
    };
    expect(parsed.testsuites).toMatchObject({ tests: '4', failures: '1' });
    const cases = parsed.testsuites.testsuite.testcase;
    expect(cases.map((c) => c['name'])).toEqual(['health', 'orders <API>', 'recommendations', 'cache']);
    const props = (c: Record<string, unknown>) =>
      Object.fromEntries((c['properties'] as { property: { name: string; value: string }[] }).property.map((p) => [p.name, p.value]));
    expect(props(cases[0]!)).toEqual({
      tags: 'smoke,critical',
      url: 'https://shop.example/health',
      attempts: '1',
      'latency-ms': '15',
      'latency-budget-ms': '800',
    });
    expect(cases[1]!['failure']).toMatchObject({ message: 'latency 950ms over the budget of 800ms & "more"' });
    expect(props(cases[2]!)['flaky']).toBe('true');
    expect(cases[2]!['system-out']).toContain('flaky: passed on attempt 2');
    expect(cases[3]!['skipped']).toMatchObject({ message: 'refused: POST against production' });
    expect(xml).not.toContain('abc123456');
  });

  it('the job summary shows latency against budget, failures first', () => {
    const markdown = summaryMarkdown(result, redactor);
    expect(markdown).toContain('## Smoke tests failed: production');
    expect(markdown).toContain('1 passed · 1 failed · 1 flaky · 1 skipped · 1.2s');
    const rows = markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Check') && !l.startsWith('| ---'));
    expect(rows[0]).toContain('orders \\<API\\> | critical | ❌ failed | 3 | 950ms / 800ms ❌');
    expect(rows[3]).toContain('health | smoke, critical | ✅ passed | 1 | 15ms / 800ms ✅');
    expect(markdown).not.toContain('abc123456');
  });

  it('writes both files where asked', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'smoke-report-'));
    try {
      const written = await writeReports(result, { json: 'out/result.json', junit: 'out/junit.xml', cwd: dir }, redactor);
      expect(written).toEqual({ json: path.join(dir, 'out/result.json'), junit: path.join(dir, 'out/junit.xml') });
      expect(JSON.parse(await readFile(written.json!, 'utf8'))).toEqual(jsonReport(result, redactor));
      expect(await readFile(written.junit!, 'utf8')).toBe(junitReport(result, redactor));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
