import { describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, mapInputs, MemoryLogger } from '@pipeline-toolkit/core';
import { readScanInputs, runScan, type AggregateJob } from '../src/index.ts';
import { aggregateInWorker } from '../src/parallel/worker.ts';

/** A secret Gitleaks reports (mixed case, no known token shape: only the report says it is one). */
const REPORTED = 'Zq8PmR3vKx7TnW2sHb4Y';
/** A token of a known format (an AWS access key id) that no scanner reported: only its shape says it is one. */
const SHAPED = 'AKIAZ3MXQ7R2VJ4KLP9T';

async function workspace(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'redaction-gaps-'));
  const leak = { RuleID: 'generic-api-key', File: 'app.env', StartLine: 3, Secret: REPORTED, Match: `KEY=${REPORTED}`, Tags: [] };
  await writeFile(path.join(dir, 'gitleaks.json'), JSON.stringify([leak]));
  return dir;
}

function scan(dir: string, values: Record<string, string>) {
  const log = new MemoryLogger();
  return {
    log,
    result: runScan(readScanInputs(new Inputs(mapInputs({ 'fail-on': 'none', ...values }))), { log, env: { RUNNER_TEMP: dir }, cwd: dir }),
  };
}

/** Where a text holds a secret in any letter case (a folded copy of a secret leaks it as surely). */
function leaksIn(outputs: Record<string, string>): string[] {
  return Object.entries(outputs).flatMap(([where, text]) =>
    [REPORTED, SHAPED].filter((s) => text.toLowerCase().includes(s.toLowerCase())).map((s) => `${where}: ${s}`),
  );
}

/** A SARIF log whose driver is named with both secrets, and one result. */
function sarifNamedWithSecrets(): unknown {
  return {
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: `Scanner ${REPORTED} ${SHAPED}`, rules: [{ id: 'R1' }] } },
        results: [
          {
            ruleId: 'R1',
            level: 'error',
            message: { text: 'Found' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine: 2 } } }],
          },
        ],
      },
    ],
  };
}

describe('redaction before case folding', () => {
  it('across two threads: the SARIF read by the second thread, the secret known only to the first', async () => {
    const dir = await workspace();
    await writeFile(path.join(dir, 'other.sarif'), JSON.stringify(sarifNamedWithSecrets()));
    const job: AggregateJob = {
      sources: [
        { input: 'gitleaks-report', label: "Input 'gitleaks-report'", kind: 'gitleaks', file: path.join(dir, 'gitleaks.json') },
        { input: 'sarif-files', label: "Input 'sarif-files'", kind: 'sarif', file: path.join(dir, 'other.sarif') },
      ],
      root: dir,
      gitleaksIgnore: [],
      failOn: 'none',
      categoryPrefix: 'ci',
      sarifFile: path.join(dir, 'out.sarif'),
      findingsFile: path.join(dir, 'out.findings.json'),
      parallelFrom: 0,
      split: { index: 1 },
    };
    const outcome = await aggregateInWorker(job);
    expect(outcome.counts.bySeverity.HIGH).toBe(2);
    const outputs = {
      sarif: await readFile(job.sarifFile, 'utf8'),
      findings: await readFile(job.findingsFile, 'utf8'),
      summary: outcome.summary,
      console: outcome.console,
      annotations: JSON.stringify(outcome.annotations),
      tools: JSON.stringify(outcome.tools),
    };
    expect(leaksIn(outputs)).toEqual([]);
    expect(outcome.tools.map((t) => t.id)).toEqual(['gitleaks', 'scanner']);
  });

  it("a SARIF driver name holding secrets leaks them in no letter case through the tool's lower-cased id", async () => {
    const dir = await workspace();
    const sarif = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: `Scanner ${REPORTED} ${SHAPED}`, rules: [{ id: 'R1' }] } },
          results: [
            {
              ruleId: 'R1',
              level: 'error',
              message: { text: 'Found' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine: 2 } } }],
            },
          ],
        },
      ],
    };
    await writeFile(path.join(dir, 'other.sarif'), JSON.stringify(sarif));
    const { log, result } = scan(dir, { 'gitleaks-report': 'gitleaks.json', 'sarif-files': 'other.sarif' });
    const scanned = await result;
    // both tools are there: the SARIF run's tool under a redacted id
    expect(scanned.tools).toHaveLength(2);
    expect(scanned.counts.bySeverity.HIGH).toBe(2);
    const outputs = {
      sarif: await readFile(scanned.sarifFile, 'utf8'),
      findings: await readFile(scanned.findingsFile, 'utf8'),
      summary: scanned.summary,
      console: scanned.console,
      annotations: JSON.stringify(scanned.annotations),
      tools: JSON.stringify(scanned.tools),
      log: JSON.stringify(log.lines),
    };
    expect(leaksIn(outputs)).toEqual([]);
    // the run is still told apart from Gitleaks' and named (the redacted name, not a blank)
    expect(scanned.tools.map((t) => t.id)).toEqual(['gitleaks', 'scanner']);
  });
});

describe('texts cut short when read', () => {
  it('a title or a filled message cut inside a secret, or a token of a known format, keeps no part of it', async () => {
    const dir = await workspace();
    const located = { locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine: 2 } } }] };
    // the Gitleaks secret and the AWS key id straddle the cuts: a title is cut at 160 characters,
    // a message filled from a template at 2,000
    const sarif = {
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'Cutter',
              rules: [
                { id: 'R1', shortDescription: { text: `${'t'.repeat(150)} ${REPORTED}` } },
                { id: 'R2', shortDescription: { text: `${'s'.repeat(150)} ${SHAPED}` } },
              ],
            },
          },
          results: [
            { ruleId: 'R1', level: 'error', message: { text: 'first' }, ...located },
            { ruleId: 'R2', level: 'error', message: { text: 'second' }, ...located },
            { ruleId: 'R1', level: 'error', message: { text: '{0}{1} tail', arguments: ['A'.repeat(1990), REPORTED] }, ...located },
          ],
        },
      ],
    };
    await writeFile(path.join(dir, 'cut.sarif'), JSON.stringify(sarif));
    // the SARIF is read first: the secret is not known yet when its texts are cut
    const { log, result } = scan(dir, { 'sarif-files': 'cut.sarif', 'gitleaks-report': 'gitleaks.json' });
    const scanned = await result;
    const outputs = {
      sarif: await readFile(scanned.sarifFile, 'utf8'),
      findings: await readFile(scanned.findingsFile, 'utf8'),
      summary: scanned.summary,
      console: scanned.console,
      annotations: JSON.stringify(scanned.annotations),
      log: JSON.stringify(log.lines),
    };
    // no run of 8 characters of either secret anywhere
    const parts = [REPORTED, SHAPED].flatMap((s) => Array.from({ length: s.length - 7 }, (_, i) => s.slice(i, i + 8)));
    const found = Object.entries(outputs).flatMap(([where, text]) => parts.filter((p) => text.includes(p)).map((p) => `${where}: ${p}`));
    expect(found).toEqual([]);
    // the cut texts are still there, cut, with the secret's start redacted
    const findings = JSON.parse(outputs.findings) as { rule: string; title: string }[];
    expect(new Set(findings.filter((f) => f.rule.startsWith('R')).map((f) => f.title))).toEqual(
      new Set([`${'t'.repeat(150)} ***…`, `${'s'.repeat(150)} ***…`]),
    );
  });
});

describe('the error that refuses a report', () => {
  it('names the file with the secrets of the reports read before it, and token shapes, redacted', async () => {
    const dir = await workspace();
    const folder = path.join(dir, `build-${REPORTED}`, SHAPED);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'report.json'), '{"foo": 1}');
    const { result } = scan(dir, { 'gitleaks-report': 'gitleaks.json', reports: `build-${REPORTED}/${SHAPED}/report.json` });
    const error = (await result.catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    // still says what is wrong and with which input
    expect(error.message).toMatch(/Input 'reports': .*report\.json: is not a SARIF log nor/);
    expect(leaksIn({ error: error.message, stack: String(error.stack) })).toEqual([]);
  });
});
