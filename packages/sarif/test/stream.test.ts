import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Aggregator, loadReport, parseText, ReportError, type ReportKind } from '../src/index.ts';
import { JsonStreamReader, MAX_TEXT, NOT_MINE, streamJson, TextTooLarge, type Division } from '../src/parallel/reader.ts';
import { fixture, fixtures } from './helpers.ts';

const KINDS: Record<string, ReportKind> = { gitleaks: 'gitleaks', semgrep: 'semgrep', trivy: 'trivy', other: 'any' };

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

  it('divides a document at any byte: the two sides hand over every element once, in order, and one of them the rest', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stream-'));
    const file = path.join(dir, 'doc.json');
    const elements = Array.from({ length: 40 }, (_, i) => ({ i, s: `a "quoted" ], {string} é ${'x'.repeat(i % 7)}`, n: [i, { d: [] }] }));
    await writeFile(file, JSON.stringify({ ArtifactName: 'app', Results: elements, after: { Results: [1] } }, null, 1));
    const size = (await readFile(file)).length;
    const side = async (division: Division | undefined, chunk: number) => {
      const seen: [number, unknown][] = [];
      const rest = await streamJson(
        file,
        { split: new Set(['Results']), arrayStart: () => (e, index) => seen.push([index, e]) },
        chunk,
        division,
      );
      return { seen, rest };
    };
    const whole = await side(undefined, 1 << 20);
    let divided = 0;
    for (let at = 0; at <= size; at += 37) {
      for (const chunk of [5, 64, 1 << 20]) {
        const before = await side({ at, side: 'before' }, chunk);
        const after = await side({ at, side: 'after' }, chunk);
        expect([...before.seen, ...after.seen]).toEqual(whole.seen);
        // exactly one side reads the document around the array
        expect([before.rest === NOT_MINE, after.rest === NOT_MINE].sort()).toEqual([false, true]);
        expect(before.rest === NOT_MINE ? after.rest : before.rest).toEqual(whole.rest);
        if (before.seen.length && after.seen.length) divided++;
      }
    }
    expect(divided).toBeGreaterThan(100);
    // a document without a split array is all the before side's
    await writeFile(file, JSON.stringify({ runs: [{ results: [1, 2] }] }));
    expect((await side({ at: 3, side: 'after' }, 4)).rest).toBe(NOT_MINE);
    expect((await side({ at: 3, side: 'before' }, 4)).rest).toEqual({ runs: [{ results: [1, 2] }] });
  }, 30_000);

  it('reads into reused chunk buffers: elements longer than several chunks, characters cut by chunk boundaries, a whole document in the skeleton', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stream-'));
    const file = path.join(dir, 'doc.json');
    // elements of 10 to 200 KB (each spans several 64 KB chunks), between short ones; 2- and 3-byte characters fall on chunk boundaries
    const elements = Array.from({ length: 24 }, (_, i) => ({ i, s: `${'é€x'.repeat(i % 3 === 0 ? 20_000 + i * 1_000 : 1 + i)}` }));
    for (const indent of [0, 2]) {
      const doc = { ArtifactName: 'app', Results: elements, after: { Results: [1] } };
      await writeFile(file, JSON.stringify(doc, null, indent));
      for (const chunk of [1 << 16, 1 << 17]) {
        const seen: unknown[] = [];
        const rest = await streamJson(file, { split: new Set(['Results']), arrayStart: () => (e) => seen.push(e) }, chunk);
        expect(seen).toEqual(elements);
        expect(rest).toEqual({ ...doc, Results: [] });
      }
    }
    // no split array: the whole document is the skeleton, kept across every chunk
    const whole = { runs: elements.map((e) => ({ results: [e] })) };
    await writeFile(file, JSON.stringify(whole));
    expect(await streamJson(file, { split: new Set(['Results']), arrayStart: () => () => undefined }, 1 << 16)).toEqual(whole);
  });

  it('hands over the same elements whether chunks are parsed between separators found by their bytes or scanned', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stream-'));
    const file = path.join(dir, 'doc.json');
    // nested arrays repeat the elements' separator (`},{"i"`): parsing up to one of those fails, and the scan takes over
    const elements = Array.from({ length: 300 }, (_, i) => ({
      i,
      s: `},{"i": ${i} é ${'x'.repeat(i % 50)}`,
      ...(i % 3 === 0 ? { nested: [{ i: -1 }, { i: -2, t: '},{' }] } : {}),
    }));
    for (const indent of [0, 1, 2]) {
      const text = JSON.stringify({ version: 1, results: elements, errors: [{ i: 0 }] }, null, indent);
      await writeFile(file, text);
      for (const chunk of [13, 200, 4096, 1 << 16]) {
        const seen: unknown[] = [];
        const rest = await streamJson(file, { split: new Set(['results']), arrayStart: () => (e) => seen.push(e) }, chunk);
        expect(seen).toEqual(elements);
        expect(rest).toEqual({ version: 1, results: [], errors: [{ i: 0 }] });
      }
      // a syntax error after a separator the fast path jumped over is still found
      await writeFile(file, text.replace('"i": 250', '"i": 250,,').replace('"i":250', '"i":250,,'));
      await expect(streamJson(file, { split: new Set(['results']), arrayStart: () => () => undefined }, 4096)).rejects.toThrow(SyntaxError);
    }
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

/**
 * Pushes `text` to a reader whose longest decoded text is `limit`, in chunks of `chunk` bytes (each
 * a buffer of its own, as streamJson reads them). Returns the elements and the rest, or the error
 * with how many bytes had been pushed when it was thrown.
 */
function readLimited(text: string, limit: number, chunk = 100) {
  const elements: unknown[] = [];
  const reader = new JsonStreamReader({ split: new Set(['Results']), arrayStart: () => (e) => elements.push(e) }, undefined, false, limit);
  const bytes = Buffer.from(text);
  let pushed = 0;
  try {
    for (; pushed < bytes.length; pushed += chunk) reader.push(Buffer.from(bytes.subarray(pushed, pushed + chunk)));
    return { elements, rest: reader.end() };
  } catch (error) {
    return { error: error as Error, pushed: Math.min(pushed + chunk, bytes.length) };
  }
}

describe('texts longer than the longest JavaScript string (MAX_TEXT)', () => {
  it('is the limit V8 sets: 536,870,888 UTF-16 code units', () => {
    expect(MAX_TEXT).toBe(2 ** 29 - 24);
  });

  it('refuses a document read whole that is longer, as soon as its bytes show it, not at its end', () => {
    const doc = JSON.stringify({
      runs: [{ results: Array.from({ length: 60 }, (_, i) => ({ ruleId: `r${i}`, message: 'x'.repeat(40) })) }],
    });
    const read = readLimited(doc, 1000);
    expect(read.error).toBeInstanceOf(TextTooLarge);
    expect(read.error).toMatchObject({ part: 'document', limit: 1000 });
    // the skeleton passed 1,000 bytes in the 11th chunk of 100
    expect(read.pushed).toBe(1100);
    expect(doc.length).toBeGreaterThan(3000);
    // the same document with room enough is read as JSON.parse reads it
    expect(readLimited(doc, doc.length).rest).toEqual(JSON.parse(doc));
  });

  it('refuses an element that is longer, whether its chunks are scanned or carried on the fast path', () => {
    const small = (i: number) => ({ VulnerabilityID: `CVE-${i}`, Title: 't' });
    const long = { VulnerabilityID: 'CVE-long', Title: 'y'.repeat(5000) };
    // first in the array (scanned), and after elements that taught the fast path its separator
    for (const elements of [
      [long, small(1)],
      [small(1), small(2), small(3), long, small(4)],
    ]) {
      const text = JSON.stringify({ Results: elements }, null, 1);
      const read = readLimited(text, 2000);
      expect(read.error).toMatchObject({ name: 'TextTooLarge', part: 'element', limit: 2000 });
      expect(read.pushed).toBeLessThan(text.length - 2000);
      expect(readLimited(text, 6000).elements).toEqual(elements);
    }
  });

  it('counts multi-byte characters as the code units they decode to: more bytes than the limit may still fit', () => {
    // 700 × "€": 2,100 bytes, 700 code units; 450 × "😀": 1,800 bytes, 900 units; 520 × "😀": 1,040 units
    for (const [title, fits] of [
      ['€'.repeat(700), true],
      ['😀'.repeat(450), true],
      ['😀'.repeat(520), false],
    ] as const) {
      const elements = [{ VulnerabilityID: 'CVE-1', Title: title }];
      const read = readLimited(JSON.stringify({ Results: elements }), 1000, 64);
      if (fits) expect(read.elements).toEqual(elements);
      else expect(read.error).toMatchObject({ name: 'TextTooLarge', part: 'element' });
    }
  });
});

describe("nested arrays (the items of each element's own large array, as Trivy's Vulnerabilities in each Result)", () => {
  /** Results of every shape: taken (Target and Class first), left whole (Packages first, no Class), scalars, an empty one, items that look like separators. */
  const results = [
    {
      Target: 'go.mod',
      Class: 'lang-pkgs',
      Type: 'gomod',
      Vulnerabilities: Array.from({ length: 120 }, (_, i) => ({
        VulnerabilityID: `CVE-2024-${i}`,
        Title: `}, {"VulnerabilityID": "x" é ${'y'.repeat(i % 40)}`,
        Refs: [{ u: '],}' }],
      })),
    },
    {
      Target: 'package-lock.json',
      Class: 'lang-pkgs',
      Packages: [{ ID: 'a@1' }],
      Vulnerabilities: [{ VulnerabilityID: 'CVE-1', PkgID: 'a@1' }],
    },
    { Target: 'legacy', Type: 'npm', Vulnerabilities: [{ VulnerabilityID: 'CVE-2' }] },
    'a scalar result',
    { Target: 'empty', Class: 'os-pkgs', Vulnerabilities: [], Misconfigurations: [{ ID: 'm' }] },
    {
      Class: 'secret',
      Target: 'x',
      Vulnerabilities: Array.from({ length: 40 }, (_, i) => ({ VulnerabilityID: `V-${i}`, Text: 'é€'.repeat(i * 50) })),
      Secrets: [{ RuleID: 's' }],
    },
    // scalars last: the one before the array's `]` ends there
    7,
    null,
  ];
  const taken = (r: unknown) => typeof r === 'object' && r !== null && 'Class' in r && !('Packages' in r);
  /** What nested reading hands over, derived from the document: items of the taken Results, then each Result without them. */
  const expected = results.map((r, i) => ({
    items: taken(r) ? (r as { Vulnerabilities: unknown[] }).Vulnerabilities.map((v) => [i, v]) : [],
    element: taken(r) ? { ...(r as object), Vulnerabilities: [] } : r,
  }));

  async function readNested(file: string, chunk: number, division?: Division) {
    const seen: { items: unknown[]; element?: unknown }[] = [{ items: [] }];
    const rest = await streamJson(
      file,
      {
        split: new Set(['Results']),
        arrayStart: (_key, top) => ({
          element: (element) => {
            seen.at(-1)!.element = element;
            seen.push({ items: [] });
          },
          handlers: {
            split: new Set(['Vulnerabilities']),
            arrayStart: (_inner, result, keys) => {
              expect(top).toEqual({ ArtifactName: 'app' });
              if (!('Class' in result) || keys.has('Packages')) return undefined;
              return (item) => seen.at(-1)!.items.push([seen.length - 1, item]);
            },
          },
        }),
      },
      chunk,
      division,
    );
    seen.pop();
    return { seen, rest };
  }

  it('hands over the items of the elements it takes, then each element without them, at any chunk size and indentation', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stream-'));
    const file = path.join(dir, 'doc.json');
    for (const indent of [0, 2]) {
      const doc = { ArtifactName: 'app', Results: results, after: { Vulnerabilities: [1] } };
      await writeFile(file, JSON.stringify(doc, null, indent));
      for (const chunk of [1, 13, 200, 4096, 1 << 16]) {
        const { seen, rest } = await readNested(file, chunk);
        expect(seen.map((s) => ({ items: s.items, element: s.element }))).toEqual(expected);
        expect(rest).toEqual({ ...doc, Results: [] });
      }
    }
  }, 30_000);

  it('reads into reused chunk buffers: a Result whose own fields, before and after its items, span many chunks', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stream-'));
    const file = path.join(dir, 'doc.json');
    // each Result's skeleton holds views of several 64 KB chunks while its 300 KB of items are read through others
    const long = (i: number) => ({
      Target: `t${i}-${'a'.repeat(150_000)}`,
      Class: 'lang-pkgs',
      Vulnerabilities: Array.from({ length: 300 }, (_, v) => ({ VulnerabilityID: `CVE-${i}-${v}`, Title: `${v}`.repeat(500) })),
      Misconfigurations: [{ ID: `m${i}`, Message: 'é'.repeat(80_000) }],
    });
    const doc = { ArtifactName: 'app', Results: [long(0), long(1), long(2)] };
    await writeFile(file, JSON.stringify(doc, null, 1));
    const { seen, rest } = await readNested(file, 1 << 16);
    expect(seen).toEqual(
      doc.Results.map((r, i) => ({ items: r.Vulnerabilities.map((v) => [i, v]), element: { ...r, Vulnerabilities: [] } })),
    );
    expect(rest).toEqual({ ArtifactName: 'app', Results: [] });
  });

  it('divides such a document between two sides that each hand over their elements whole', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stream-'));
    const file = path.join(dir, 'doc.json');
    await writeFile(file, JSON.stringify({ ArtifactName: 'app', Results: [...results, ...results] }, null, 1));
    const size = (await readFile(file)).length;
    for (let at = 0; at <= size; at += 997) {
      const before = await readNested(file, 4096, { at, side: 'before' });
      const after = await readNested(file, 4096, { at, side: 'after' });
      expect([...before.seen, ...after.seen].map((s) => s.element)).toEqual([...expected, ...expected].map((e) => e.element));
      expect([...before.seen, ...after.seen].flatMap((s) => s.items.map((item) => (item as unknown[])[1]))).toEqual(
        [...expected, ...expected].flatMap((e) => e.items.map((item) => item[1])),
      );
    }
  }, 30_000);

  it('refuses separators out of place between the elements it reads with nested readers', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stream-'));
    const file = path.join(dir, 'doc.json');
    const r = '{"Target": "a", "Class": "c", "Vulnerabilities": [{"VulnerabilityID": "V"}]}';
    for (const body of [`${r},,${r}`, `${r} ${r}`, `${r},`, `,${r}`, `${r}}`, `${r}, }`, `${r}, "x" "y"`]) {
      await writeFile(file, `{"ArtifactName": "app", "Results": [${body}]}`);
      for (const chunk of [1, 7, 1 << 16]) await expect(readNested(file, chunk)).rejects.toThrow(SyntaxError);
    }
  });

  it('reads hostile vulnerabilities as JSON.parse does: 200,000 levels deep, and a 16 MB text of NULs and workflow commands', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stream-'));
    const file = path.join(dir, 'trivy.json');
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const noise = '\u0000::warning::x\n'.repeat(400_000);
    const vulnerability = (id: string, severity: string, title: string) =>
      `{"VulnerabilityID": "${id}", "PkgName": "p", "InstalledVersion": "1", "Severity": "${severity}", "Title": ${title}`;
    await writeFile(
      file,
      `{"SchemaVersion": 2, "ArtifactName": ".", "ArtifactType": "filesystem", "Results": [{"Target": "go.mod", "Class": "lang-pkgs", "Vulnerabilities": [` +
        `${vulnerability('CVE-1', 'HIGH', '"t"')}, "X": ${deep}}, ${vulnerability('CVE-2', 'CRITICAL', JSON.stringify(noise))}}]}]}`,
    );
    const agg = new Aggregator();
    await loadReport(file, 'trivy', { root: dir, sink: agg });
    const findings = agg.findings();
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ['CVE-2', 'CRITICAL'],
      ['CVE-1', 'HIGH'],
    ]);
    // the first line only, its control character made visible: no workflow command can start a line
    expect(findings[0]!.title).toBe('\\x00::warning::x');
  }, 60_000);

  it('hands over the items of every copy of a key given twice (JSON.parse would keep only the last: findings hidden from the gate)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stream-'));
    const file = path.join(dir, 'doc.json');
    const text = '{"ArtifactName": "app", "Results": [{"Target": "a", "Class": "c", "Vulnerabilities": [1, 2], "Vulnerabilities": [3]}]}';
    await writeFile(file, text);
    for (const chunk of [1, 7, 1 << 16]) {
      const { seen } = await readNested(file, chunk);
      expect(seen.map((s) => s.items)).toEqual([
        [
          [0, 1],
          [0, 2],
          [0, 3],
        ],
      ]);
    }
  });
});
