import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  Aggregator,
  annotations,
  consoleReport,
  evaluateGate,
  SecretIndex,
  summaryMarkdown,
  writeFindings,
  writeSarif,
} from '../src/index.ts';
import { REDACTED, redactPatterns } from '@pipeline-toolkit/core';
import { aggregate, fixture } from './helpers.ts';

/** Every raw secret value in the Gitleaks fixtures, read straight from the files (Secret, Match, snippet text). */
async function gitleaksSecrets(): Promise<string[]> {
  const values = new Set<string>();
  for (const file of ['gitleaks-baseline-report.json', 'gitleaks-golden-json_simple.json']) {
    for (const leak of JSON.parse(await readFile(fixture(`gitleaks/${file}`), 'utf8')) as { Secret: string; Match: string }[]) {
      for (const v of [leak.Secret, leak.Match]) if (!/^\*+$/.test(v)) values.add(v);
    }
  }
  for (const file of ['gitleaks-golden-sarif_simple.sarif', 'gitleaks-v8-unsafe-bank.sarif']) {
    const log = JSON.parse(await readFile(fixture(`gitleaks/${file}`), 'utf8'));
    for (const run of log.runs) for (const r of run.results) values.add(r.locations[0].physicalLocation.region.snippet.text);
  }
  return [...values];
}

describe('secrets never reach an output', () => {
  it('no secret value of any Gitleaks fixture appears in the SARIF, findings file, summary, annotations or console report', async () => {
    const secrets = await gitleaksSecrets();
    expect(secrets).toEqual(
      expect.arrayContaining([
        'a secret',
        'line containing secret',
        '531486b2bf646636a6a1bba61e78ec4a4a54efbd',
        '9bbc0d79e686e847bc305c9bd4cc2ea6',
        'b3816fddcf28aa29d94b10ec305cd52be14c472b',
      ]),
    );
    const agg = await aggregate([
      ['gitleaks/gitleaks-baseline-report.json', 'gitleaks'],
      ['gitleaks/gitleaks-golden-json_simple.json', 'gitleaks'],
      ['gitleaks/gitleaks-golden-sarif_simple.sarif', 'gitleaks'],
      ['gitleaks/gitleaks-v8-unsafe-bank.sarif', 'gitleaks'],
      ['trivy/trivy-repo-secrets.json', 'trivy'],
    ]);
    const dir = await mkdtemp(path.join(tmpdir(), 'sarif-secrets-'));
    const findings = agg.findings();
    await writeSarif(path.join(dir, 'a.sarif'), findings, agg.tools, { categoryPrefix: 'x', root: dir });
    await writeFindings(path.join(dir, 'f.json'), findings);
    const report = { findings, tools: agg.tools, gate: evaluateGate(findings, 'high'), problems: agg.problems };
    const outputs = [
      await readFile(path.join(dir, 'a.sarif'), 'utf8'),
      await readFile(path.join(dir, 'f.json'), 'utf8'),
      summaryMarkdown(report, { serverUrl: 'https://github.com', repository: 'a/b', sha: 'abc' }),
      consoleReport(report),
      JSON.stringify(annotations(findings, agg.tools)),
    ];
    for (const text of outputs) for (const secret of secrets) expect(text).not.toContain(secret);
    // …and Trivy's unmasked context line (a GitHub token two lines above the finding) is never read.
    for (const text of outputs) expect(text).not.toContain('ghp_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    // auth.py:1 test-rule is in both golden files (JSON and SARIF, same secret): one finding.
    expect(findings.filter((f) => f.category === 'secret')).toHaveLength(2 + 1 + 6 + 2);
  });

  it("redacts registered secrets that a later report repeats in another tool's message", async () => {
    const agg = await aggregate([['gitleaks/gitleaks-v8-unsafe-bank.sarif', 'gitleaks']]);
    agg.startReport('semgrep.json');
    agg.finding({
      tool: 'semgrep',
      key: 'k',
      rule: 'hardcoded',
      title: 'Hardcoded 531486b2bf646636a6a1bba61e78ec4a4a54efbd',
      message: 'value "9bbc0d79e686e847bc305c9bd4cc2ea6" in code',
      severity: 'LOW',
      category: 'sast',
      suppressed: false,
      cwe: [],
      cve: [],
    });
    const f = agg.findings().find((x) => x.rule === 'hardcoded')!;
    expect([f.title, f.message]).toEqual(['Hardcoded ***', 'value "***" in code']);
  });

  it("a real Gitleaks run whose matches share a prefix by the dozen: another tool's lines holding them are redacted whole, a long run of the bare prefix is left alone", async () => {
    const file = 'gitleaks/gitleaks-8.30.1-generic-api-key-80.json';
    const leaks = JSON.parse(await readFile(fixture(file), 'utf8')) as { Match: string; Secret: string; File: string }[];
    const agg = await aggregate([[file, 'gitleaks']]);
    const [apiKey, clientSecret] = [
      leaks.find((l) => l.Match.startsWith('api_key'))!,
      leaks.find((l) => l.Match.startsWith('client_secret'))!,
    ];
    // the prefix of 40 matches, 20,000 times (240 KB), then one whole match: only the match is a secret
    const run = 'api_key = "'.repeat(20_000);
    agg.startReport('semgrep.json');
    agg.finding({
      tool: 'semgrep',
      key: 'k',
      rule: 'config-line',
      title: `${apiKey.Match} and ${clientSecret.Match}`,
      message: `${run}${apiKey.Match}`,
      severity: 'LOW',
      category: 'sast',
      suppressed: false,
      cwe: [],
      cve: [],
    });
    const f = agg.findings().find((x) => x.rule === 'config-line')!;
    // the whole matches are registered secrets, longer than the values inside them: they go whole
    expect(f.title).toBe(`${REDACTED} and ${REDACTED}`);
    expect(f.message).toBe(`${run}${REDACTED}`);
    expect(agg.findings().filter((x) => x.tools[0] === 'gitleaks')).toHaveLength(80);
  });
});

describe('SecretIndex', () => {
  it('replaces the longest registered secret at each position, and secret-like patterns', () => {
    const index = new SecretIndex();
    index.add('abcd1234');
    index.add('abcd12345678');
    index.add('abc'); // too short to be useful: ignored
    index.add('********');
    expect(index.redact('x abcd12345678 y abcd1234 z abc')).toBe('x *** y *** z abc');
    expect(index.redact('token ghp_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe('token ***');
    expect(index.size).toBe(2);
  });

  it('finds every secret wherever it starts (compared with a plain search on random texts)', () => {
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const word = (n: number) => Array.from({ length: n }, () => 'abcdefgh01'[Math.floor(rnd() * 10)]).join('');
    for (let round = 0; round < 200; round++) {
      const secrets = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => word(4 + Math.floor(rnd() * 10)));
      const index = new SecretIndex();
      for (const s of secrets) index.add(s);
      const text = Array.from({ length: 8 }, () =>
        rnd() < 0.4 ? secrets[Math.floor(rnd() * secrets.length)] : word(Math.floor(rnd() * 6)),
      ).join(' ');
      const redacted = index.redact(text);
      for (const s of secrets) expect(redacted).not.toContain(s);
    }
  });

  it("with many secrets of one prefix (a rule's Gitleaks matches), redacts exactly as a plain search for the longest secret at each position", () => {
    let seed = 23;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const word = (n: number) => Array.from({ length: n }, () => 'abcdef01'[Math.floor(rnd() * 8)]).join('');
    /** The longest secret at each position from the left, replaced; then the patterns (what redact promises). */
    const plain = (text: string, secrets: readonly string[]) => {
      let out = '';
      for (let i = 0; i < text.length; ) {
        const longest = secrets.filter((s) => text.startsWith(s, i)).sort((a, b) => b.length - a.length)[0];
        if (longest) {
          out += REDACTED;
          i += longest.length;
        } else out += text[i++];
      }
      return redactPatterns(out);
    };
    for (let round = 0; round < 60; round++) {
      // prefixes of 4 to 12 characters, each shared by up to 40 secrets of several lengths, some of them prefixes of others
      const prefixes = Array.from({ length: 3 }, () => word(4 + Math.floor(rnd() * 9)));
      const secrets = [
        ...new Set(
          prefixes.flatMap((prefix) =>
            Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => `${prefix}${word(Math.floor(rnd() * 10))}`),
          ),
        ),
      ];
      const index = new SecretIndex();
      // half before the first redaction (buckets indexed then), half after (added to the index)
      const half = Math.floor(secrets.length / 2);
      for (const s of secrets.slice(0, half)) index.add(s);
      const text = () =>
        Array.from({ length: 30 }, () => {
          const r = rnd();
          if (r < 0.4) return secrets[Math.floor(rnd() * secrets.length)]!;
          if (r < 0.7) return prefixes[Math.floor(rnd() * prefixes.length)]! + word(Math.floor(rnd() * 4));
          return word(Math.floor(rnd() * 5));
        }).join(rnd() < 0.5 ? '' : ' ');
      const first = text();
      expect(index.redact(first)).toBe(plain(first, secrets.slice(0, half)));
      for (const s of secrets.slice(half)) index.add(s);
      for (let t = 0; t < 5; t++) {
        const later = text();
        expect(index.redact(later)).toBe(plain(later, secrets));
      }
    }
  });

  it('redacting before every secret is known, then again, gives exactly the texts of redacting once with all of them', () => {
    let seed = 11;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const word = (n: number) => Array.from({ length: n }, () => 'abcdef01'[Math.floor(rnd() * 8)]).join('');
    for (let round = 0; round < 100; round++) {
      // secrets that overlap and contain one another, some looking like tokens the patterns redact too
      const base = Array.from({ length: 4 }, () => word(5 + Math.floor(rnd() * 6)));
      const secrets = [...base, `${base[0]}${base[1]}`, `token=${base[2]}`, `ghp_${'A'.repeat(36)}`];
      const texts = Array.from({ length: 6 }, () =>
        Array.from({ length: 6 }, () => (rnd() < 0.5 ? secrets[Math.floor(rnd() * secrets.length)] : word(3))).join(' '),
      );
      const raw = (i: number) => ({
        tool: 'semgrep',
        key: `k${i}`,
        rule: 'r',
        title: texts[i]!,
        message: texts[(i + 1) % texts.length]!,
        severity: 'HIGH' as const,
        category: 'sast' as const,
        suppressed: false,
        cwe: [],
        cve: [],
      });
      const once = new Aggregator();
      const twice = new Aggregator();
      texts.forEach((_, i) => {
        once.finding(raw(i));
        twice.finding(raw(i));
      });
      for (const secret of secrets) once.secret(secret);
      const early = secrets.filter(() => rnd() < 0.5);
      for (const secret of early) twice.secret(secret);
      twice.redactTexts();
      twice.addSecrets(secrets.filter((secret) => !early.includes(secret)));
      const redacted = (agg: Aggregator) => agg.findings().map((f) => [f.title, f.message]);
      expect(redacted(twice)).toEqual(redacted(once));
    }
  });

  it('stays linear with many secrets', () => {
    const index = new SecretIndex();
    const secret = (i: number) => `AKIA${(i * 7919).toString(16).padStart(12, '0')}`;
    for (let i = 0; i < 50_000; i++) index.add(secret(i));
    const text = `x ${secret(10)} y ${'z'.repeat(100_000)} ${secret(49_999)}`;
    expect(index.redact(text)).toBe(`x *** y ${'z'.repeat(100_000)} ***`);
  });
});
