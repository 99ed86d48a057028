import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Aggregator, loadReport, parseText, ReportError, type ReportKind } from '../src/index.ts';
import { streamJson } from '../src/stream.ts';
import { fixture, fixtures } from './helpers.ts';

const KINDS: Record<string, ReportKind> = { gitleaks: 'gitleaks', semgrep: 'semgrep', trivy: 'trivy', other: 'sarif' };

async function viaText(file: string, kind: ReportKind) {
  const agg = new Aggregator();
  agg.startReport(file);
  parseText(await readFile(file, 'utf8'), kind, { file, root: '/repo', sink: agg });
  return { findings: agg.findings(), tools: agg.tools, problems: agg.problems };
}

async function viaStream(file: string, kind: ReportKind, chunkSize: number) {
  const agg = new Aggregator();
  agg.startReport(file);
  await loadReport(file, kind, { root: '/repo', sink: agg }, chunkSize);
  return { findings: agg.findings(), tools: agg.tools, problems: agg.problems };
}

describe('streamed reading', () => {
  it('gives the same findings as parsing whole documents, for every fixture and chunk sizes down to 1 byte', async () => {
    for (const dir of Object.keys(KINDS)) {
      for (const name of await readdir(path.join(fixtures, dir))) {
        const file = path.join(fixtures, dir, name);
        const expected = await viaText(file, KINDS[dir]!);
        const size = (await readFile(file)).length;
        const chunks = size < 5_000 ? [1, 7, 1 << 20] : size < 50_000 ? [61, 1 << 20] : [4093, 1 << 20];
        for (const chunk of chunks) expect(await viaStream(file, KINDS[dir]!, chunk)).toEqual(expected);
      }
    }
  });

  it('hands over array elements one at a time and returns the rest with the arrays emptied', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stream-'));
    const file = path.join(dir, 'doc.json');
    await writeFile(
      file,
      '\ufeff{"ArtifactName": "app \\"x\\" é", "Results": [ {"a": "]\\\\", "b": [1, {"c": "é,}"}]}, 2 , "s"], "n": {"Results": [9]}}',
    );
    const seen: unknown[] = [];
    let top: Record<string, string> = {};
    const rest = await streamJson(
      file,
      {
        split: new Set(['Results']),
        arrayStart(_key, topLevel) {
          top = { ...topLevel };
          return (element) => seen.push(element);
        },
      },
      3,
    );
    expect(seen).toEqual([{ a: ']\\', b: [1, { c: 'é,}' }] }, 2, 's']);
    expect(top).toEqual({ ArtifactName: 'app "x" é' });
    expect(rest).toEqual({ ArtifactName: 'app "x" é', Results: [], n: { Results: [9] } });
  });

  it('reports truncation and syntax errors inside elements as invalid JSON', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stream-'));
    const full = await readFile(fixture('trivy/trivy-image-alpine39.json'), 'utf8');
    for (const [text, kind, message] of [
      [full.slice(0, 9000), 'trivy', /is not valid JSON \(Unexpected end of JSON input\); expected a Trivy JSON or SARIF report/],
      [full.replace('"CVE-2019-1549"', '"CVE-2019-1549",,'), 'trivy', /is not valid JSON \(.+\); expected a Trivy JSON or SARIF report/],
      ['[{"RuleID": "r", "File": "a"}] trailing', 'gitleaks', /is not valid JSON \(.+\); expected a Gitleaks JSON or SARIF report/],
      ['[{"RuleID": "r", "File": "a"},]', 'gitleaks', /is not valid JSON \(.+\); expected a Gitleaks JSON or SARIF report/],
      ['[,{"RuleID": "r", "File": "a"}]', 'gitleaks', /is not valid JSON \(.+\); expected a Gitleaks JSON or SARIF report/],
    ] as const) {
      const file = path.join(dir, 'r.json');
      await writeFile(file, text);
      const error = await loadReport(file, kind, { root: dir, sink: new Aggregator() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReportError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
