import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inputs, InputError, mapInputs, MemoryLogger } from '@pipeline-toolkit/core';
import { aggregateJob, EMPTY_POLICY, parseTrivyIgnore, readScanInputs, runScan, type AggregateJob, type ScanDeps } from '../src/index.ts';
import { Aggregator } from '../src/aggregate.ts';
import {
  checkGlobs,
  gitignore,
  globCompiler,
  licenceParts,
  pathGlob,
  PolicySink,
  policyMatchers,
  readSemgrepIgnore,
  type Suppression,
  type TrivyIgnoreEntry,
} from '../src/policy.ts';
import type { Category } from '../src/model.ts';
import { fixture } from './helpers.ts';

/**
 * The options of issue 16 against real reports: ignore-unfixed, skip-paths, the tools' ignore
 * files, the suppressions file. Expected counts come from reading the fixtures here.
 */

interface TrivyVuln {
  VulnerabilityID: string;
  PkgName: string;
  InstalledVersion: string;
  FixedVersion?: string;
  Severity: string;
}
interface TrivyReport {
  Results: { Target: string; Vulnerabilities?: TrivyVuln[]; ExperimentalModifiedFindings?: unknown[] }[];
}
interface SemgrepReport {
  results: { check_id: string; path: string; start: { line: number }; end: { line: number }; extra: Record<string, unknown> }[];
}
interface FindingOut {
  rule: string;
  match: string;
  fingerprint: string;
  suppressed: boolean;
  justification?: string;
  severity: string;
  location?: { path: string; startLine?: number };
}
interface SarifOut {
  runs: {
    results: {
      ruleId: string;
      suppressions?: { kind: string; justification?: string }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}

const readJson = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;
const DEBIAN = fixture('trivy/trivy-image-debian-buster-unfixed.json');
const NPM = fixture('trivy/trivy-npm-with-suppressed.json');
const SEMGREP = fixture('semgrep/semgrep-json-registry-error-info.json');

async function workspace(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'scan-options-'));
}

async function scan(ws: string, values: Record<string, string>, deps: Partial<ScanDeps> = {}) {
  const options = readScanInputs(new Inputs(mapInputs(values)));
  return runScan(options, { log: new MemoryLogger(), env: { RUNNER_TEMP: ws }, cwd: ws, ...deps });
}

/** Image findings have no file: their SARIF results are placed on the report, which must be in the repository. */
async function copyInto(ws: string, file: string): Promise<string> {
  const copy = path.join(ws, path.basename(file));
  await copyFile(file, copy);
  return copy;
}

const vulns = (report: TrivyReport) => report.Results.flatMap((r) => r.Vulnerabilities ?? []);

describe('ignore-unfixed', () => {
  it('keeps vulnerabilities without a fixed version, suppressed and marked, and they do not gate', async () => {
    const report = await readJson<TrivyReport>(DEBIAN);
    const all = vulns(report);
    const unfixed = all.filter((v) => !v.FixedVersion);
    expect(unfixed.length).toBeGreaterThan(0);
    expect(unfixed.length).toBeLessThan(all.length);

    const ws = await workspace();
    const debian = await copyInto(ws, DEBIAN);
    const plain = await scan(ws, { 'trivy-report': debian, 'fail-on': 'low', 'output-sarif': 'plain.sarif' });
    expect(plain.counts.total).toBe(all.length);
    expect(plain.gate.failing).toBe(all.length);

    const result = await scan(ws, { 'trivy-report': debian, 'fail-on': 'low', 'ignore-unfixed': 'true' });
    expect(result.counts.total).toBe(all.length - unfixed.length);
    expect(result.counts.suppressed).toBe(unfixed.length);
    expect(result.gate.failing).toBe(all.length - unfixed.length);

    const findings = await readJson<FindingOut[]>(result.findingsFile);
    const marked = findings.filter((f) => f.suppressed);
    expect(marked.map((f) => f.rule).sort()).toEqual(unfixed.map((v) => v.VulnerabilityID).sort());
    for (const f of marked) expect(f.justification).toMatch(/^ignore-unfixed/);
    const sarif = await readJson<SarifOut>(result.sarifFile);
    const suppressed = sarif.runs.flatMap((r) => r.results).filter((r) => r.suppressions);
    expect(suppressed.map((r) => r.ruleId).sort()).toEqual(unfixed.map((v) => v.VulnerabilityID).sort());
    for (const r of suppressed)
      expect(r.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: expect.stringMatching(/^ignore-unfixed/) }]);
  });
});

describe('skip-paths', () => {
  it('leaves out the findings under the globs given', async () => {
    const report = await readJson<SemgrepReport>(SEMGREP);
    const skipped = report.results.filter((r) => r.path.endsWith('.py'));
    expect(skipped.length).toBeGreaterThan(0);
    const ws = await workspace();
    const result = await scan(ws, { 'semgrep-report': SEMGREP, 'skip-paths': '**/*.py', 'fail-on': 'none' });
    const findings = await readJson<FindingOut[]>(result.findingsFile);
    expect(findings).toHaveLength(report.results.length - skipped.length);
    expect(findings.some((f) => f.location?.path.endsWith('.py'))).toBe(false);
  });
});

describe('skip-paths in the job summary', () => {
  const SECRETS = fixture('trivy/trivy-repo-secrets.json');
  interface TrivySecrets {
    Results: { Target: string; Secrets?: unknown[] }[];
  }

  /** What the fixtures hold under each glob, per tool, read from them here. */
  async function expectedCounts() {
    const semgrep = (await readJson<SemgrepReport>(SEMGREP)).results.filter((r) => r.path.endsWith('.py')).length;
    const secrets = (await readJson<TrivySecrets>(SECRETS)).Results.filter((r) => r.Target === 'deploy.sh').flatMap(
      (r) => r.Secrets ?? [],
    ).length;
    expect([semgrep, secrets]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(semgrep).toBeGreaterThan(0);
    expect(secrets).toBeGreaterThan(0);
    return { semgrep, secrets };
  }

  it('counts what each glob left out, per scanner, beside the suppressed count; a glob that matched nothing says 0', async () => {
    const { semgrep, secrets } = await expectedCounts();
    const ws = await workspace();
    const values = {
      'semgrep-report': SEMGREP,
      'trivy-report': `${SECRETS},${NPM}`,
      'skip-paths': '**/*.py\n**/deploy.sh\nvendor/**',
      'fail-on': 'none',
    };
    const result = await scan(ws, values);
    const line = `Left out by skip-paths (as the reports list them, before deduplication; never gate, not in the SARIF or findings files): ${semgrep + secrets} — \`**/*.py\` Semgrep ${semgrep}; \`**/deploy.sh\` Trivy ${secrets}; \`vendor/**\` 0.`;
    expect(result.summary).toContain(`${line}\n`);
    // it follows the suppressed count, as its sibling
    expect(result.summary.indexOf(line)).toBeGreaterThan(result.summary.indexOf('Suppressed (by the tools'));
    const findings = await readJson<FindingOut[]>(result.findingsFile);
    expect(findings.filter((f) => f.location?.path.endsWith('/deploy.sh') || f.location?.path.endsWith('.py'))).toEqual([]);

    // no skip-paths, no line
    const plain = await scan(ws, { ...values, 'skip-paths': '', 'output-sarif': 'plain.sarif' });
    expect(plain.summary).not.toContain('skip-paths');
  });

  it("two threads: the shard's counts join the coordinator's", async () => {
    const { semgrep, secrets } = await expectedCounts();
    const ws = await workspace();
    const job: AggregateJob = {
      sources: [
        { input: 'semgrep-report', label: "Input 'semgrep-report'", kind: 'semgrep', file: SEMGREP },
        { input: 'trivy-report', label: "Input 'trivy-report'", kind: 'trivy', file: SECRETS },
      ],
      root: ws,
      gitleaksIgnore: [],
      policy: { ...EMPTY_POLICY, skipPaths: ['**/*.py', '**/deploy.sh'] },
      failOn: 'none',
      categoryPrefix: 'ci',
      sarifFile: path.join(ws, 'two.sarif'),
      findingsFile: path.join(ws, 'two.findings.json'),
      parallelFrom: 0,
      split: { index: 1 },
    };
    const outcome = await aggregateJob(job);
    expect(outcome.summary).toContain(`: ${semgrep + secrets} — \`**/*.py\` Semgrep ${semgrep}; \`**/deploy.sh\` Trivy ${secrets}.`);
    expect(outcome.console).toContain(`: ${semgrep + secrets} — **/*.py Semgrep ${semgrep}; **/deploy.sh Trivy ${secrets}.`);
  });
});

describe("the tools' ignore files, when reading their reports", () => {
  it('.trivyignore: the listed id is suppressed (an expired line is not)', async () => {
    const report = await readJson<TrivyReport>(NPM);
    const [open] = vulns(report);
    const ws = await workspace();
    await writeFile(path.join(ws, '.trivyignore'), `# accepted\n${open!.VulnerabilityID}\nCVE-2000-0001 exp:2001-01-01\n`);
    const result = await scan(ws, { 'trivy-report': NPM });
    expect(result.gate.passed).toBe(true);
    const findings = await readJson<FindingOut[]>(result.findingsFile);
    const listed = findings.find((f) => f.rule === open!.VulnerabilityID)!;
    expect(listed).toMatchObject({ suppressed: true, justification: `.trivyignore: ${open!.VulnerabilityID}` });
  });

  it('.trivyignore.yaml: by id and path, with its statement; an expired entry ignores nothing', async () => {
    const report = await readJson<TrivyReport>(NPM);
    const [open] = vulns(report);
    const target = report.Results[0]!.Target;
    const ws = await workspace();
    const yaml = (expires: string) =>
      `vulnerabilities:\n  - id: ${open!.VulnerabilityID}\n    paths:\n      - "**/${target}"\n      - "${target}"\n    statement: not reachable from the service\n    expired_at: ${expires}\n`;
    await writeFile(path.join(ws, '.trivyignore.yaml'), yaml('2999-01-01'));
    const ignored = await scan(ws, { 'trivy-report': NPM });
    expect(ignored.gate.passed).toBe(true);
    const findings = await readJson<FindingOut[]>(ignored.findingsFile);
    expect(findings.find((f) => f.rule === open!.VulnerabilityID)).toMatchObject({
      suppressed: true,
      justification: '.trivyignore.yaml: not reachable from the service',
    });

    await writeFile(path.join(ws, '.trivyignore.yaml'), yaml('2001-01-01'));
    const expired = await scan(ws, { 'trivy-report': NPM });
    expect(expired.gate.passed).toBe(false);
  });

  it('.trivyignore.yaml that is not one fails naming the file', async () => {
    const ws = await workspace();
    await writeFile(path.join(ws, '.trivyignore.yaml'), 'vulnerabilitys:\n  - id: CVE-1\n');
    await expect(scan(ws, { 'trivy-report': NPM })).rejects.toThrow(
      ".trivyignore.yaml is not a valid .trivyignore.yaml: unknown key 'vulnerabilitys'",
    );
    await writeFile(path.join(ws, '.trivyignore.yaml'), 'constructor:\n  - id: CVE-1\n');
    await expect(scan(ws, { 'trivy-report': NPM })).rejects.toThrow(
      ".trivyignore.yaml is not a valid .trivyignore.yaml: unknown key 'constructor'",
    );
  });

  it('.semgrepignore: findings in ignored paths are suppressed; a negation brings back a file ignored by a file pattern', async () => {
    const report = await readJson<SemgrepReport>(SEMGREP);
    const paths = report.results.map((r) => r.path);
    const folder = path.posix.dirname(paths[0]!);
    const ws = await workspace();
    // `folder/*` ignores the files (and folders) in it, not the folder: a `!` can bring one back
    await writeFile(path.join(ws, '.semgrepignore'), `# generated code\n${folder}/*\n!${paths[0]}\n`);
    const result = await scan(ws, { 'semgrep-report': SEMGREP, 'fail-on': 'none' });
    const findings = await readJson<FindingOut[]>(result.findingsFile);
    const ignored = paths.filter((p) => p.startsWith(`${folder}/`) && p !== paths[0]);
    expect(ignored.length).toBeGreaterThan(0);
    expect(
      findings
        .filter((f) => f.suppressed)
        .map((f) => f.location!.path)
        .sort(),
    ).toEqual(ignored.sort());
    for (const f of findings.filter((x) => x.suppressed)) expect(f.justification).toBe(`.semgrepignore: ${folder}/*`);
  });

  it('.semgrepignore patterns decide as Git decides for a .gitignore, names that start with a dot included', async () => {
    const patterns = ['vendor/', '!vendor/keep.py', '*.min.js', 'fixtures/', '/build', 'guide/**/*.md', 'tmp*', 'lib/*', '!lib/keep.py'];
    const files = [
      ...['vendor/a.py', 'vendor/keep.py', 'vendor/.bin/x.js', '.hidden.min.js', '.github/x.min.js', 'src/.cache/fixtures/a.py'],
      ...['src/fixtures', 'build/x.py', 'src/build/x.py', 'guide/.drafts/a.md', 'guide/a.md', '.tmpfile', 'src/tmp1/a.py', 'src/a.py'],
      ...['lib/keep.py', 'lib/other.py', 'lib/sub/keep.py'],
    ];
    // the oracle: git check-ignore on the same patterns as a .gitignore
    const repo = await workspace();
    execFileSync('git', ['init', '-q', repo]);
    await writeFile(path.join(repo, '.gitignore'), `${patterns.join('\n')}\n`);
    const git = (file: string) => spawnSync('git', ['check-ignore', '--no-index', '-q', file], { cwd: repo }).status === 0;
    const ignored = gitignore(await globCompiler(), patterns);
    expect(files.map((f) => [f, ignored(f) !== undefined])).toEqual(files.map((f) => [f, git(f)]));
    // and what Git decides here, read from the patterns: dot-named files and folders are no
    // exception, and no `!` brings back a file of an ignored folder (vendor/keep.py; lib/sub/keep.py)
    expect(files.filter(git)).toEqual([
      ...['vendor/a.py', 'vendor/keep.py', 'vendor/.bin/x.js', '.hidden.min.js', '.github/x.min.js', 'src/.cache/fixtures/a.py'],
      ...['build/x.py', 'guide/.drafts/a.md', 'guide/a.md', 'src/tmp1/a.py', 'lib/other.py', 'lib/sub/keep.py'],
    ]);
  });

  it('.semgrepignore has no brace sets and no extglobs, as Git and Semgrep: `{app,zzz}.py` does not ignore app.py', async () => {
    // read from the file as the scan reads it (escapes, trailing spaces), then decided; the oracle is Git on the same file
    const lines = [
      ...['{app,zzz}.py', '@(app|zzz).py', '+(lib).py', '*(q).js', '?(r).md', 'src/{a,b}/', 'n[!0-9].c', 'x[ab].c', '!(keep).txt'],
      ...['\\*.secret', '\\#hash', '\\!bang', 'one\\ ', 'two  ', 'pages/{1..3}.md'],
    ];
    const files = [
      ...['app.py', 'zzz.py', '{app,zzz}.py', '@(app|zzz).py', 'lib.py', '+(lib).py', 'q.js', '*(q).js', 'r.md', '?(r).md'],
      ...['src/a/x.py', 'src/{a,b}/x.py', 'n1.c', 'nz.c', 'xa.c', 'xc.c', 'keep.txt', '(keep).txt', 'a.secret', '*.secret'],
      ...['hash', '#hash', 'bang', '!bang', 'one', 'one ', 'two', 'two  ', 'pages/1.md', 'pages/{1..3}.md'],
    ];
    const repo = await workspace();
    execFileSync('git', ['init', '-q', repo]);
    await writeFile(path.join(repo, '.gitignore'), `${lines.join('\n')}\n`);
    await writeFile(path.join(repo, '.semgrepignore'), `${lines.join('\n')}\n`);
    const git = (file: string) => spawnSync('git', ['check-ignore', '--no-index', '-q', file], { cwd: repo }).status === 0;
    const ignored = gitignore(await globCompiler(), await readSemgrepIgnore(repo));
    expect(files.map((f) => [f, ignored(f) !== undefined])).toEqual(files.map((f) => [f, git(f)]));
    // what Git decides, read from the patterns: each names a file of that very name
    expect(files.filter(git)).toEqual([
      ...['{app,zzz}.py', '@(app|zzz).py', '+(lib).py', '*(q).js', '?(r).md', 'src/{a,b}/x.py', 'nz.c', 'xa.c'],
      ...['*.secret', '#hash', '!bang', 'one ', 'two', 'pages/{1..3}.md'],
    ]);
  });

  it('.semgrepignore with brace sets and extglobs suppresses nothing Semgrep reports in the files they would name', async () => {
    const report = await readJson<SemgrepReport>(SEMGREP);
    const file = report.results[0]!.path;
    const [dir, base] = [path.posix.dirname(file), path.posix.basename(file)];
    const [stem, ext] = [base.slice(0, base.lastIndexOf('.')), base.slice(base.lastIndexOf('.'))];
    const ws = await workspace();
    await writeFile(
      path.join(ws, '.semgrepignore'),
      [`{${stem},zzz}${ext}`, `@(${stem}|zzz)${ext}`, `+(${stem})${ext}`, `${dir}/{${stem},zzz}${ext}`].join('\n'),
    );
    const result = await scan(ws, { 'semgrep-report': SEMGREP, 'fail-on': 'none' });
    const findings = await readJson<FindingOut[]>(result.findingsFile);
    expect(findings.filter((f) => f.location?.path === file).length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.justification?.startsWith('.semgrepignore'))).toEqual([]);
  });

  it('skip-paths and suppression paths cover what is below them, names that start with a dot included', async () => {
    const compile = await globCompiler();
    const decide = (glob: string, files: string[]) => files.filter(pathGlob(compile, glob));
    expect(decide('vendor/**', ['vendor/a.js', 'vendor/.bin/x.js', 'vendorx/a.js', 'src/vendor/a.js'])).toEqual([
      'vendor/a.js',
      'vendor/.bin/x.js',
    ]);
    expect(decide('**/testdata/**', ['a/testdata/x.py', 'a/.cache/testdata/x.py', '.testdata/x.py'])).toEqual([
      'a/testdata/x.py',
      'a/.cache/testdata/x.py',
    ]);
    expect(decide('./gen', ['gen/a.py', 'gen/.keep', 'general/a.py'])).toEqual(['gen/a.py', 'gen/.keep']);
    expect(decide('**/*.min.js', ['a/b.min.js', '.hidden.min.js', 'a/.b/c.min.js'])).toEqual([
      'a/b.min.js',
      '.hidden.min.js',
      'a/.b/c.min.js',
    ]);
  });

  it('brace sets stand for at most 256 patterns a glob and 4,096 a file: the bound holds whole, past it the glob is refused naming where', async () => {
    const compile = await globCompiler();
    // `{a,b}/` eight times is 256 patterns: every one of them matches
    const glob = `${'{a,b}/'.repeat(8)}x`;
    await expect(checkGlobs([{ glob, where: 's.yml:2' }], 'suppressions', 'minimatch')).resolves.toBeUndefined();
    expect(['a/a/a/a/a/a/a/a/x', 'b/b/b/b/b/b/b/b/x', 'a/b/a/b/a/b/a/b/x', 'a/a/a/a/a/a/a/c/x'].map(compile(glob))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const refused = (globs: string[], syntax: 'minimatch' | 'doublestar' = 'minimatch') =>
      checkGlobs(
        globs.map((g, i) => ({ glob: g, where: `f:${i + 1}` })),
        'trivy-report',
        syntax,
      ).catch((e: unknown) => e as InputError);
    for (const bad of [`${'{a,b}/'.repeat(9)}x`, 'pages/{1..300}.md', `{${Array.from({ length: 257 }, (_, i) => `n${i}`).join(',')}}`]) {
      const error = await refused(['ok/**', bad]);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).input).toBe('trivy-report');
      expect((error as Error).message).toContain(' stands for more than 256 patterns once its brace sets are expanded');
      expect((error as Error).message.startsWith(`f:2: the glob '${bad.slice(0, 20)}`)).toBe(true);
    }
    // sixteen globs of 256 are 4,096; the seventeenth passes the bound of the file
    const many = Array.from({ length: 17 }, (_, i) => `${'{a,b}/'.repeat(8)}x${i}`);
    await expect(
      checkGlobs(
        many.slice(0, 16).map((g) => ({ glob: g, where: 'f' })),
        'skip-paths',
        'doublestar',
      ),
    ).resolves.toBeUndefined();
    expect(((await refused(many, 'doublestar')) as Error).message).toMatch(
      /^f:17: the brace sets of the globs up to '.*x16' stand for more than 4096/,
    );
    // what minimatch refuses (longer than 64 KB) is refused here, not in the thread that reads the reports
    const long = ((await refused([`{a,b}${'c'.repeat(70_000)}`])) as Error).message;
    expect([long.startsWith("f:1: the glob '{a,b}ccc"), long.endsWith('cannot be read (pattern is too long).')]).toEqual([true, true]);
  });

  it('decides per file, however often and in whatever order the findings name it', async () => {
    const agg = new Aggregator();
    const suppression: Suppression = { kind: 'path', value: 'lib/old/**', reason: 'legacy', expires: '2099-12-31', where: 's.yml:1' };
    const policy = { ...EMPTY_POLICY, skipPaths: ['gen/**'], semgrepIgnore: ['vendor/*', '!vendor/keep.py'], suppressions: [suppression] };
    const sink = new PolicySink(agg, policy, await policyMatchers(policy));
    const files = ['gen/a.py', 'src/b.py', 'vendor/c.py', 'vendor/keep.py', 'lib/old/d.py'];
    // each file three times, interleaved
    for (let round = 0; round < 3; round++)
      for (const [i, file] of files.entries())
        sink.finding({
          tool: 'semgrep',
          key: `${file}|${round}`,
          rule: `r${i}`,
          title: 't',
          message: 'm',
          severity: 'HIGH',
          category: 'sast',
          location: { path: file, startLine: round + 1 },
          suppressed: false,
          cwe: [],
          cve: [],
        });
    expect(agg.skippedPaths).toEqual({ semgrep: { 'gen/**': 3 } });
    const decided = agg.findings().map((f) => [f.location!.path, f.justification ?? 'open']);
    expect(decided.filter(([file]) => file === 'src/b.py' || file === 'vendor/keep.py').map(([, why]) => why)).toEqual(
      Array(6).fill('open'),
    );
    expect(decided.filter(([file]) => file === 'vendor/c.py').map(([, why]) => why)).toEqual(Array(3).fill('.semgrepignore: vendor/*'));
    expect(decided.filter(([file]) => file === 'lib/old/d.py').map(([, why]) => why)).toEqual(
      Array(3).fill('legacy (suppressions s.yml:1, until 2099-12-31)'),
    );
  });

  it('.trivyignore: the first entry in file order that matches a finding is its justification, among thousands', async () => {
    const entry = (id: string, file: string, more: Partial<TrivyIgnoreEntry> = {}): TrivyIgnoreEntry => ({ id, file, ...more });
    // the same id several times: a path-bound entry first, then a package-bound one, then a plain one
    const entries = [
      ...Array.from({ length: 3000 }, (_, i) => entry(`CVE-2020-${i}`, '.trivyignore')),
      entry('CVE-1', '.trivyignore.yaml', { paths: ['services/a/**'], statement: 'a only' }),
      entry('CVE-1', '.trivyignore.yaml', { purls: [{ type: 'npm', name: 'lodash', version: '4.17.20' }], statement: 'old lodash' }),
      entry('CVE-1', '.trivyignore'),
      entry('GPL-3.0', '.trivyignore.yaml', { category: 'licence', statement: 'accepted licence' }),
      entry('AVD-KSV-0001', '.trivyignore.yaml', { category: 'misconfiguration' }),
    ];
    const agg = new Aggregator();
    const policy = { ...EMPTY_POLICY, trivyIgnore: entries };
    const sink = new PolicySink(agg, policy, await policyMatchers(policy));
    // `sarif`: a finding of Trivy's SARIF, without what its JSON gives to match by (its package as `name@version` at most)
    const finding = (key: string, rule: string, category: Category, file?: string, pkg?: string, sarif = false) =>
      sink.finding({
        ...(sarif ? {} : { trivy: { paths: [file ?? 'image'], ...(pkg ? { purl: `pkg:npm/${pkg}` } : {}) } }),
        tool: 'trivy',
        key,
        rule,
        title: 't',
        message: 'm',
        severity: 'HIGH',
        category,
        ...(file ? { location: { path: file } } : { target: 'image' }),
        ...(pkg ? { package: pkg } : {}),
        suppressed: false,
        cwe: [],
        cve: [],
      });
    finding('1', 'CVE-1', 'vulnerability', 'services/a/package-lock.json', 'lodash@4.17.20');
    finding('2', 'CVE-1', 'vulnerability', 'services/b/package-lock.json', 'lodash@4.17.20');
    finding('3', 'CVE-1', 'vulnerability', 'services/b/package-lock.json', 'react@18.0.0');
    finding('4', 'license:GPL-3.0', 'licence', 'go.mod');
    finding('5', 'GPL-3.0', 'vulnerability', 'go.mod');
    finding('6', 'AVD-KSV-0001', 'vulnerability', 'chart/templates/deploy.yaml');
    finding('7', 'CVE-2020-2999', 'vulnerability', 'go.mod');
    finding('8', 'CVE-2020-3000', 'vulnerability', 'go.mod');
    finding('9', 'CVE-1', 'vulnerability', 'services/c/package-lock.json', 'lodash@4.17.20', true);
    finding('10', 'CVE-1', 'vulnerability', 'services/d/package-lock.json', undefined, true);
    expect(agg.findings().map((f) => [f.rule, f.location?.path, f.package, f.justification ?? 'open'])).toEqual(
      expect.arrayContaining([
        ['CVE-1', 'services/a/package-lock.json', 'lodash@4.17.20', '.trivyignore.yaml: a only'],
        ['CVE-1', 'services/b/package-lock.json', 'lodash@4.17.20', '.trivyignore.yaml: old lodash'],
        ['CVE-1', 'services/b/package-lock.json', 'react@18.0.0', '.trivyignore: CVE-1'],
        ['license:GPL-3.0', 'go.mod', undefined, '.trivyignore.yaml: accepted licence'],
        ['GPL-3.0', 'go.mod', undefined, 'open'],
        ['AVD-KSV-0001', 'chart/templates/deploy.yaml', undefined, 'open'],
        ['CVE-2020-2999', 'go.mod', undefined, '.trivyignore: CVE-2020-2999'],
        ['CVE-2020-3000', 'go.mod', undefined, 'open'],
        ['CVE-1', 'services/c/package-lock.json', 'lodash@4.17.20', '.trivyignore.yaml: old lodash'],
        // no package known: the purl-bound entry does not cover it, the plain one does
        ['CVE-1', 'services/d/package-lock.json', undefined, '.trivyignore: CVE-1'],
      ]),
    );
    expect(agg.findings()).toHaveLength(10);
  });

  /**
   * The report of Trivy's own filter test (pkg/result/filter_test.go, cases "ignore file" and
   * "ignore yaml"), written as Trivy writes it in JSON: the findings of that test with the fields
   * its ignore files are matched by.
   */
  const filterTestReport = (lockFile: string, misconfTarget: string) => {
    const foo = 'pkg:golang/github.com/aquasecurity/foo@v1.2.3';
    const vuln = (id: string, version: string, purl?: string, pkg = 'foo') => ({
      VulnerabilityID: id,
      PkgName: pkg,
      InstalledVersion: version,
      FixedVersion: '1.2.4',
      ...(purl ? { PkgIdentifier: { PURL: purl } } : {}),
      Severity: 'LOW',
    });
    const misconf = (id: string, more: object, Status = 'FAIL') => ({
      Type: 'Kubernetes Security Check',
      ID: id,
      ...more,
      Title: 'Bad',
      Message: 'something bad',
      Severity: 'LOW',
      Status,
    });
    const secret = (RuleID: string, StartLine: number) => ({
      RuleID,
      Severity: 'LOW',
      Title: 'Secret',
      StartLine,
      EndLine: StartLine + 1,
      Match: '*****',
    });
    const licence = (Name: string, FilePath: string, PkgName?: string) => ({
      Name,
      ...(PkgName ? { PkgName } : {}),
      Severity: 'LOW',
      FilePath,
      Category: 'restricted',
      Confidence: 1,
    });
    return {
      SchemaVersion: 2,
      ArtifactName: '.',
      ArtifactType: 'filesystem',
      Results: [
        {
          Target: lockFile,
          Class: 'lang-pkgs',
          Type: 'gomod',
          Vulnerabilities: [
            vuln('CVE-2019-0001', 'v1.2.3', foo),
            vuln('CVE-2019-0002', 'v1.2.3', foo),
            vuln('CVE-2019-0003', '1.2.3'),
            vuln('CVE-2019-0004', '1.2.3'),
            vuln('CVE-2019-0005', '1.2.3'),
            vuln('CVE-2019-0006', 'v1.2.3', foo),
            vuln('CVE-2019-0007', 'v2.3.4', 'pkg:golang/github.com/aquasecurity/bar@v2.3.4', 'bar'),
          ],
        },
        {
          Target: misconfTarget,
          Class: 'config',
          Misconfigurations: [
            misconf('ID100', { AVDID: 'AVD-ID100' }),
            misconf('ID200', { AVDID: 'AVD-ID200' }, 'PASS'),
            misconf('ID300', { AVDID: 'AVD-ID300' }),
            misconf('ID400', { Aliases: ['AVD-ID400'] }),
          ],
        },
        {
          Target: 'config.yaml',
          Class: 'secret',
          Secrets: [secret('generic-wanted-rule', 1), secret('generic-unwanted-rule', 3), secret('generic-unwanted-rule2', 5)],
        },
        {
          Target: 'LICENSE.txt',
          Class: 'license-file',
          Licenses: [
            licence('GPL-3.0', 'usr/share/gcc/python/libstdcxx/v6/__init__.py', 'foo'),
            licence('GPL-3.0', 'usr/share/gcc/python/libstdcxx/v6/printers.py', 'bar'),
            licence('mit AND GPL-2.0-or-later', 'usr/share/gcc/python/libstdcxx/v6/__init__.py'),
            licence('Apache-2.0 WITH LLVM-exception', 'usr/share/llvm/LICENSE.txt'),
            licence('GPL-3.0 WITH GCC-exception-3.1', 'usr/share/gcc/LICENSE.txt'),
          ],
        },
      ],
    };
  };

  /** Scans the filter test's report with one of Trivy's test ignore files in the repository, on the test's day; each finding and its justification. */
  async function filterTest(ignoreFile: string, name: string, report: object): Promise<Record<string, string>> {
    const ws = await workspace();
    await copyFile(fixture(`ignore-files/${ignoreFile}`), path.join(ws, name));
    await writeFile(path.join(ws, 'trivy.json'), JSON.stringify(report, null, 2));
    // the test's clock: 2020-08-10, between the yaml's two expiry dates
    const result = await scan(ws, { 'trivy-report': 'trivy.json', 'fail-on': 'none' }, { now: new Date('2020-08-10T07:28:17Z') });
    const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as {
      rule: string;
      target?: string;
      location?: { path: string };
      package?: string;
      justification?: string;
    }[];
    return Object.fromEntries(findings.map((f) => [`${f.rule} ${f.package ?? f.location?.path ?? f.target}`, f.justification ?? 'open']));
  }

  it("Trivy's own .trivyignore test: an expired line, a misconfiguration by its ID and by its alias, a licence by name", async () => {
    // Trivy's case "ignore file"; CVE-2019-0002 is listed, and Trivy left it out by severity before the ignore file
    const decided = await filterTest(
      'trivy-testdata.trivyignore',
      '.trivyignore',
      filterTestReport('package-lock.json', 'deployment.yaml'),
    );
    expect(decided).toEqual({
      'CVE-2019-0001 foo@v1.2.3': '.trivyignore: CVE-2019-0001',
      'CVE-2019-0002 foo@v1.2.3': '.trivyignore: CVE-2019-0002',
      'CVE-2019-0003 foo@1.2.3': 'open',
      'CVE-2019-0004 foo@1.2.3': 'open',
      'CVE-2019-0005 foo@1.2.3': '.trivyignore: CVE-2019-0005',
      'CVE-2019-0006 foo@v1.2.3': '.trivyignore: CVE-2019-0006',
      'CVE-2019-0007 bar@v2.3.4': 'open',
      'ID100 deployment.yaml': 'open',
      'ID300 deployment.yaml': '.trivyignore: ID300',
      'ID400 deployment.yaml': '.trivyignore: AVD-ID400',
      'generic-wanted-rule config.yaml': 'open',
      'generic-unwanted-rule config.yaml': '.trivyignore: generic-unwanted-rule',
      'generic-unwanted-rule2 config.yaml': 'open',
      'license:GPL-3.0 foo': '.trivyignore: GPL-3.0',
      'license:GPL-3.0 bar': '.trivyignore: GPL-3.0',
      'license:mit AND GPL-2.0-or-later usr/share/gcc/python/libstdcxx/v6/__init__.py': 'open',
      'license:Apache-2.0 WITH LLVM-exception usr/share/llvm/LICENSE.txt': 'open',
      'license:GPL-3.0 WITH GCC-exception-3.1 usr/share/gcc/LICENSE.txt': 'open',
    });
  });

  it("Trivy's own .trivyignore.yaml test: paths, expiry, a purl without a version, aliases, licence expressions whose every part is ignored", async () => {
    // Trivy's case "ignore yaml"; CVE-2019-0002 is open here (Trivy left it out by severity)
    const decided = await filterTest(
      'trivy-testdata.trivyignore.yaml',
      '.trivyignore.yaml',
      filterTestReport('foo/package-lock.json', 'app/Dockerfile'),
    );
    expect(decided).toEqual({
      'CVE-2019-0001 foo@v1.2.3': '.trivyignore.yaml: CVE-2019-0001',
      'CVE-2019-0002 foo@v1.2.3': 'open',
      'CVE-2019-0003 foo@1.2.3': '.trivyignore.yaml: CVE-2019-0003',
      'CVE-2019-0004 foo@1.2.3': 'open',
      'CVE-2019-0005 foo@1.2.3': '.trivyignore.yaml: CVE-2019-0005',
      'CVE-2019-0006 foo@v1.2.3': 'open',
      'CVE-2019-0007 bar@v2.3.4': '.trivyignore.yaml: CVE-2019-0007',
      'ID100 app/Dockerfile': '.trivyignore.yaml: ID100',
      'ID300 app/Dockerfile': 'open',
      'ID400 app/Dockerfile': '.trivyignore.yaml: AVD-ID400',
      'generic-wanted-rule config.yaml': 'open',
      'generic-unwanted-rule config.yaml': '.trivyignore.yaml: generic-unwanted-rule',
      'generic-unwanted-rule2 config.yaml': '.trivyignore.yaml: generic-unwanted-rule2',
      'license:GPL-3.0 foo': '.trivyignore.yaml: GPL-3.0',
      'license:GPL-3.0 bar': 'open',
      'license:mit AND GPL-2.0-or-later usr/share/gcc/python/libstdcxx/v6/__init__.py':
        '.trivyignore.yaml: All license components are individually ignored',
      'license:Apache-2.0 WITH LLVM-exception usr/share/llvm/LICENSE.txt': '.trivyignore.yaml: Apache-2.0 WITH LLVM-exception',
      'license:GPL-3.0 WITH GCC-exception-3.1 usr/share/gcc/LICENSE.txt': 'open',
    });
  });

  it('.trivyignore.yaml on an image: paths match a PkgPath too; purls bind an entry to packages (any version without one; qualifiers must match)', async () => {
    const ws = await workspace();
    await writeFile(
      path.join(ws, '.trivyignore.yaml'),
      [
        'vulnerabilities:',
        '  - id: CVE-2024-0001',
        '    paths: ["usr/local/lib/node_modules/npm/**"]',
        '    statement: bundled npm, not used at run time',
        '  - id: CVE-2024-0002',
        '    purls: ["pkg:npm/lodash"]',
        '  - id: CVE-2024-0003',
        '    purls: ["pkg:deb/debian/openssl?arch=arm64"]',
        '  - id: CVE-2024-0004',
        '    purls: ["pkg:npm/%40babel/core@7.0.0"]',
        '',
      ].join('\n'),
    );
    const vuln = (id: string, PkgName: string, version: string, purl: string, PkgPath?: string) => ({
      VulnerabilityID: id,
      PkgName,
      InstalledVersion: version,
      FixedVersion: '9.9.9',
      ...(PkgPath ? { PkgPath } : {}),
      PkgIdentifier: { PURL: purl },
      Severity: 'HIGH',
    });
    const report = {
      SchemaVersion: 2,
      ArtifactName: 'registry.example.com/shop:1.4.2',
      ArtifactType: 'container_image',
      Results: [
        {
          Target: 'registry.example.com/shop:1.4.2 (debian 12.5)',
          Class: 'os-pkgs',
          Type: 'debian',
          Vulnerabilities: [
            vuln('CVE-2024-0003', 'openssl', '3.0.11-1', 'pkg:deb/debian/openssl@3.0.11-1?arch=arm64&distro=debian-12.5'),
            vuln('CVE-2024-0003', 'libssl3', '3.0.11-1', 'pkg:deb/debian/libssl3@3.0.11-1?arch=arm64&distro=debian-12.5'),
          ],
        },
        {
          Target: 'Node.js',
          Class: 'lang-pkgs',
          Type: 'node-pkg',
          Vulnerabilities: [
            vuln(
              'CVE-2024-0001',
              'semver',
              '7.5.1',
              'pkg:npm/semver@7.5.1',
              'usr/local/lib/node_modules/npm/node_modules/semver/package.json',
            ),
            vuln('CVE-2024-0001', 'semver', '7.5.2', 'pkg:npm/semver@7.5.2', 'app/node_modules/semver/package.json'),
            vuln('CVE-2024-0002', 'lodash', '4.17.20', 'pkg:npm/lodash@4.17.20', 'app/node_modules/lodash/package.json'),
            vuln('CVE-2024-0002', 'lodash.merge', '4.6.1', 'pkg:npm/lodash.merge@4.6.1', 'app/node_modules/lodash.merge/package.json'),
            vuln('CVE-2024-0004', '@babel/core', '7.0.0', 'pkg:npm/%40babel/core@7.0.0', 'app/node_modules/@babel/core/package.json'),
            vuln(
              'CVE-2024-0004',
              '@babel/core',
              '7.0.1',
              'pkg:npm/%40babel/core@7.0.1',
              'app/node_modules/x/node_modules/@babel/core/package.json',
            ),
          ],
        },
      ],
    };
    await writeFile(path.join(ws, 'trivy-image.json'), JSON.stringify(report, null, 2));
    const result = await scan(ws, { 'trivy-report': 'trivy-image.json', 'fail-on': 'none' });
    const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as { rule: string; package: string; justification?: string }[];
    expect(Object.fromEntries(findings.map((f) => [`${f.rule} ${f.package}`, f.justification ?? 'open']))).toEqual({
      'CVE-2024-0001 semver@7.5.1': '.trivyignore.yaml: bundled npm, not used at run time',
      'CVE-2024-0001 semver@7.5.2': 'open',
      'CVE-2024-0002 lodash@4.17.20': '.trivyignore.yaml: CVE-2024-0002',
      'CVE-2024-0002 lodash.merge@4.6.1': 'open',
      'CVE-2024-0003 openssl@3.0.11-1': '.trivyignore.yaml: CVE-2024-0003',
      'CVE-2024-0003 libssl3@3.0.11-1': 'open',
      'CVE-2024-0004 @babel/core@7.0.0': '.trivyignore.yaml: CVE-2024-0004',
      'CVE-2024-0004 @babel/core@7.0.1': 'open',
    });
  });

  it(".trivyignore.yaml paths match names that start with a dot, as Trivy's doublestar globs do (Node's glob leaves them out)", async () => {
    // decisions of github.com/bmatcuk/doublestar/v4 v4.10.4 (Trivy's matcher), Match(pattern, name):
    // "config/**" ~ "config/.env" true; "**/*.yaml" ~ ".github/deploy.yaml" true; "*.txt" ~ "notes/.todo.txt" false (one segment)
    const ws = await workspace();
    await writeFile(
      path.join(ws, '.trivyignore.yaml'),
      ['secrets:', '  - id: generic-api-key', '    paths: ["config/**", "**/*.yaml", "*.txt"]', ''].join('\n'),
    );
    const secret = (Target: string) => ({
      Target,
      Class: 'secret',
      Secrets: [
        {
          RuleID: 'generic-api-key',
          Category: 'General',
          Severity: 'HIGH',
          Title: 'Generic API Key',
          StartLine: 1,
          EndLine: 1,
          Match: 'api_key=*****',
        },
      ],
    });
    const report = {
      SchemaVersion: 2,
      ArtifactName: '.',
      ArtifactType: 'filesystem',
      Results: ['config/.env', '.github/deploy.yaml', 'notes/.todo.txt'].map(secret),
    };
    await writeFile(path.join(ws, 'trivy.json'), JSON.stringify(report));
    const result = await scan(ws, { 'trivy-report': 'trivy.json', 'fail-on': 'none' });
    const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as { location: { path: string }; justification?: string }[];
    expect(Object.fromEntries(findings.map((f) => [f.location.path, f.justification ?? 'open']))).toEqual({
      'config/.env': '.trivyignore.yaml: generic-api-key',
      '.github/deploy.yaml': '.trivyignore.yaml: generic-api-key',
      'notes/.todo.txt': 'open',
    });
  });

  it(".trivyignore.yaml paths have doublestar's brace sets but no extglobs: `@(a|b)` names a folder called that", async () => {
    // decisions of github.com/bmatcuk/doublestar/v4 v4.10.0, Match(pattern, name):
    // "{config,deploy}/*.env" ~ "deploy/.env" true; "@(notes|docs)/x.txt" ~ "notes/x.txt" false, ~ "@(notes|docs)/x.txt" true;
    // "+(lib).py" ~ "lib.py" false, ~ "+(lib).py" true
    const ws = await workspace();
    await writeFile(
      path.join(ws, '.trivyignore.yaml'),
      ['secrets:', '  - id: generic-api-key', '    paths: ["{config,deploy}/*.env", "@(notes|docs)/x.txt", "+(lib).py"]', ''].join('\n'),
    );
    const targets = ['config/a.env', 'deploy/.env', 'notes/x.txt', '@(notes|docs)/x.txt', 'lib.py', '+(lib).py'];
    const report = {
      SchemaVersion: 2,
      ArtifactName: '.',
      ArtifactType: 'filesystem',
      Results: targets.map((Target) => ({
        Target,
        Class: 'secret',
        Secrets: [{ RuleID: 'generic-api-key', Category: 'General', Severity: 'HIGH', Title: 'Generic API Key', StartLine: 1, EndLine: 1 }],
      })),
    };
    await writeFile(path.join(ws, 'trivy.json'), JSON.stringify(report));
    const result = await scan(ws, { 'trivy-report': 'trivy.json', 'fail-on': 'none' });
    const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as { location: { path: string }; justification?: string }[];
    const ignored = '.trivyignore.yaml: generic-api-key';
    expect(Object.fromEntries(findings.map((f) => [f.location.path, f.justification ?? 'open']))).toEqual({
      'config/a.env': ignored,
      'deploy/.env': ignored,
      'notes/x.txt': 'open',
      '@(notes|docs)/x.txt': ignored,
      'lib.py': 'open',
      '+(lib).py': ignored,
    });
  });

  it('a built-in check of recent Trivy, which writes no AVDID nor aliases, is found by its AVD ID and its old ID; a custom check is not', async () => {
    const ws = await workspace();
    await writeFile(path.join(ws, '.trivyignore'), 'AVD-DS-0001\nDS002\nAVD-CUSTOM-0001\ncustom0001\n');
    // as Trivy 0.74.0 writes its Dockerfile checks (ID, Namespace; no AVDID, no Aliases), and one custom check
    const misconf = (ID: string, Namespace: string, line: number) => ({
      Type: 'Dockerfile Security Check',
      ID,
      Title: 't',
      Message: 'm',
      Namespace,
      Query: `data.${Namespace}.deny`,
      Severity: 'HIGH',
      Status: 'FAIL',
      CauseMetadata: { StartLine: line, EndLine: line },
    });
    const report = {
      SchemaVersion: 2,
      ArtifactName: '.',
      ArtifactType: 'filesystem',
      Results: [
        {
          Target: 'Dockerfile',
          Class: 'config',
          Type: 'dockerfile',
          Misconfigurations: [
            misconf('DS-0001', 'builtin.dockerfile.DS001', 1),
            misconf('DS-0002', 'builtin.dockerfile.DS002', 2),
            misconf('DS-0026', 'builtin.dockerfile.DS026', 3),
            misconf('CUSTOM-0001', 'user.dockerfile.custom0001', 4),
          ],
        },
      ],
    };
    await writeFile(path.join(ws, 'trivy.json'), JSON.stringify(report));
    const result = await scan(ws, { 'trivy-report': 'trivy.json', 'fail-on': 'none' });
    const findings = JSON.parse(await readFile(result.findingsFile, 'utf8')) as { rule: string; justification?: string }[];
    expect(Object.fromEntries(findings.map((f) => [f.rule, f.justification ?? 'open']))).toEqual({
      'DS-0001': '.trivyignore: AVD-DS-0001',
      'DS-0002': '.trivyignore: DS002',
      'DS-0026': 'open',
      'CUSTOM-0001': 'open',
    });
  });

  it('.trivyignore.yaml: a purl or an expiry that is not one fails the run naming the entry, as Trivy refuses the file', async () => {
    const check = async (yaml: string, message: string) => {
      const ws = await workspace();
      await writeFile(path.join(ws, '.trivyignore.yaml'), yaml);
      await expect(scan(ws, { 'trivy-report': NPM })).rejects.toThrow(message);
    };
    await check(
      'vulnerabilities:\n  - id: CVE-1\n    purls: ["lodash@4.17.20"]\n',
      'vulnerabilities[0] (CVE-1): purl "lodash@4.17.20" is not a package URL',
    );
    await check(
      'secrets:\n  - id: aws-access-key-id\n    expired_at: next week\n',
      'secrets[0] (aws-access-key-id): expired_at "next week" is not a date (YYYY-MM-DD)',
    );
  });

  it('.trivyignore: an exp: that is not a date leaves the line out, with a warning, as Trivy does; an entry expires on its date', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const warnings: string[] = [];
    const entries = parseTrivyIgnore(`CVE-1 exp:2024-13-45\nCVE-2 exp:${today}\nCVE-3 exp:9999-01-01\n`, '.trivyignore', undefined, (m) =>
      warnings.push(m),
    );
    expect(entries.map((e) => e.id)).toEqual(['CVE-3']);
    expect(warnings).toEqual([
      ".trivyignore:1: '2024-13-45' after exp: is not a date (YYYY-MM-DD); CVE-1 is not ignored, as Trivy skips the line.",
    ]);
  });

  it("Grype's ignored matches (its ignore rules, a VEX document) are kept as suppressed, with the rules' reasons", async () => {
    // Grype's own presenter golden report, with its matches set aside as Grype writes an
    // IgnoredMatch (grype/presenter/models/ignore.go): the match's fields, plus appliedIgnoreRules
    const report = await readJson<{ matches: Record<string, unknown>[]; ignoredMatches?: unknown[] }>(
      fixture('grype/grype-json-dir-golden.json'),
    );
    const [low, critical] = report.matches;
    report.matches = [];
    report.ignoredMatches = [
      { ...low, appliedIgnoreRules: [{ vulnerability: 'CVE-1999-0001', reason: 'not reachable from the service', namespace: '' }] },
      {
        ...critical,
        appliedIgnoreRules: [{ namespace: 'vex', 'vex-status': 'not_affected', 'vex-justification': 'vulnerable_code_not_present' }],
      },
    ];
    const ws = await workspace();
    await writeFile(path.join(ws, 'grype.json'), JSON.stringify(report));
    const result = await scan(ws, { reports: 'grype.json', 'fail-on': 'low' });
    const findings = await readJson<FindingOut[]>(result.findingsFile);
    expect(findings.map((f) => [f.rule, f.severity, f.suppressed, f.justification])).toEqual([
      ['CVE-1999-0002', 'CRITICAL', true, 'Grype: VEX not_affected (vulnerable_code_not_present)'],
      ['CVE-1999-0001', 'LOW', true, 'Grype: not reachable from the service'],
    ]);
    expect(result.counts.total).toBe(0);
  });

  it('a reason a report gives for a suppression is redacted and shows its control characters, as every text of a report', async () => {
    // a hostile Grype report: its ignore rule's reason holds a secret another real report gave
    // (Gitleaks), a token of a known format, a bell and a workflow command after a line break
    const leaks = await readJson<{ Secret: string }[]>(fixture('gitleaks/gitleaks-8.30.1-generic-api-key-80.json'));
    const token = `ghp_${'x7Kq'.repeat(9)}`;
    const report = await readJson<{ matches: Record<string, unknown>[]; ignoredMatches?: unknown[] }>(
      fixture('grype/grype-json-dir-golden.json'),
    );
    const reason = `accepted: ${leaks[0]!.Secret} and ${token}\u0007\n::error::owned`;
    report.ignoredMatches = [{ ...report.matches[0], appliedIgnoreRules: [{ vulnerability: 'CVE-1999-0001', reason }] }];
    report.matches = [];
    const ws = await workspace();
    await writeFile(path.join(ws, 'grype.json'), JSON.stringify(report));
    const result = await scan(ws, {
      reports: 'grype.json',
      'gitleaks-report': fixture('gitleaks/gitleaks-8.30.1-generic-api-key-80.json'),
      'fail-on': 'none',
    });
    const [findings, sarif] = await Promise.all([readFile(result.findingsFile, 'utf8'), readFile(result.sarifFile, 'utf8')]);
    for (const out of [findings, sarif]) {
      expect(out).toContain('accepted: ');
      expect(out).not.toContain(leaks[0]!.Secret);
      expect(out).not.toContain(token);
      expect(out).not.toContain('\\u0007'); // JSON's escape of a raw bell
    }
    expect((JSON.parse(findings) as FindingOut[]).find((f) => f.rule === 'CVE-1999-0001')!.justification).toContain('\\x07');
  });

  it('licence expressions are split into the parts Trivy checks one by one; what is not an expression has none', () => {
    expect(licenceParts('mit AND GPL-2.0-or-later')).toEqual(['mit', 'GPL-2.0-or-later']);
    expect(licenceParts('(MIT OR Apache-2.0) AND GPL-2.0+ WITH Classpath-exception-2.0')).toEqual([
      'MIT',
      'Apache-2.0',
      'GPL-2.0+ WITH Classpath-exception-2.0',
    ]);
    expect(licenceParts('GPL-3.0')).toEqual(['GPL-3.0']);
    for (const text of ['', 'MIT AND', 'AND MIT', 'MIT OR OR BSD', 'MIT WITH', 'The MIT License', 'MIT, BSD'])
      expect([text, licenceParts(text)]).toEqual([text, undefined]);
  });

  it('.gitleaksignore as Gitleaks reads it: a fingerprint with or without its commit, a Windows path; a shortened commit is no match', async () => {
    const file = fixture('gitleaks/gitleaks-baseline-report.json');
    const [first, second] = (await readJson<{ Fingerprint: string }[]>(file)).map((l) => l.Fingerprint.split(':'));
    const decide = async (lines: string[]) => {
      const ws = await workspace();
      await writeFile(path.join(ws, '.gitleaksignore'), `${lines.join('\n')}\n`);
      const findings = await readJson<FindingOut[]>((await scan(ws, { 'gitleaks-report': file })).findingsFile);
      return findings.map((f) => [f.location!.startLine, f.suppressed]).sort((a, b) => Number(a[0]) - Number(b[0]));
    };
    // as written (Gitleaks trims the line), and a shortened commit: Gitleaks 8.30.1 does not match that one
    expect(await decide([`  ${first!.join(':')}  `, `# a comment`, `${second![0]!.slice(0, 7)}:${second!.slice(1).join(':')}`])).toEqual([
      [32, true],
      [33, false],
    ]);
    // without the commit (every commit), written on Windows
    expect(await decide([second!.slice(1).join(':').replaceAll('/', '\\')])).toEqual([
      [32, false],
      [33, true],
    ]);
  });
});

describe('.gitleaksignore and the format of the report', () => {
  it('suppresses the same leak of one Gitleaks 8.30.1 scan read from its JSON or its SARIF (the fingerprint rebuilt from the SARIF)', async () => {
    const decide = async (report: string) => {
      const ws = await workspace();
      // the JSON's Fingerprint of the github-pat leak on config.py line 4
      await writeFile(path.join(ws, '.gitleaksignore'), 'e27e4186a1498930c5cc303bf7986dd3d427fdfa:config.py:github-pat:4\n');
      const findings = await readJson<FindingOut[]>((await scan(ws, { 'gitleaks-report': fixture(report) })).findingsFile);
      return findings.map((f) => [f.rule, f.location!.path, f.location!.startLine, f.suppressed].join(' ')).sort();
    };
    const json = await decide('gitleaks/gitleaks-8.30.1-pair-git.json');
    expect(json.filter((f) => f.endsWith('true'))).toEqual(['github-pat config.py 4 true']);
    expect(json).toHaveLength(6);
    expect(await decide('gitleaks/gitleaks-8.30.1-pair-git.sarif')).toEqual(json);
  });
});

describe("the repository's ignore files are read only as regular files inside it", () => {
  // a pull request can commit a symbolic link (not a pipe): it could point an ignore file at a
  // device that never ends, at the runner's environment, or at a pipe planted by an earlier step
  const cases = [
    {
      name: '.gitleaksignore',
      as: 'a link to /dev/zero',
      plant: (f: string) => symlink('/dev/zero', f),
      input: 'gitleaks-report',
      problem: "leads to '/dev/zero', outside the repository: refused",
    },
    {
      name: '.trivyignore.yaml',
      as: 'a link to /proc/self/environ',
      plant: (f: string) => symlink('/proc/self/environ', f),
      input: 'trivy-report',
      problem: 'outside the repository: refused',
    },
    {
      name: '.trivyignore',
      as: 'a named pipe',
      plant: async (f: string) => void execFileSync('mkfifo', [f]),
      input: 'trivy-report',
      problem: 'is a named pipe, not a regular file',
    },
    {
      name: '.semgrepignore',
      as: 'a named pipe',
      plant: async (f: string) => void execFileSync('mkfifo', [f]),
      input: 'semgrep-report',
      problem: 'is a named pipe, not a regular file',
    },
    {
      name: '.semgrepignore',
      as: 'a directory',
      plant: (f: string) => mkdir(f),
      input: 'semgrep-report',
      problem: 'is a directory, not a regular file',
    },
  ];

  it.each(cases)(
    '$name as $as: an InputError of $input naming the file, before anything is written',
    async ({ name, plant, input, problem }) => {
      const ws = await workspace();
      await plant(path.join(ws, name));
      const error = await scan(ws, { 'trivy-report': NPM, 'output-sarif': 'out/scan.sarif' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).input).toBe(input);
      expect((error as Error).message).toContain(`The repository's ignore file ${name} `);
      expect((error as Error).message).toContain(problem);
      expect(existsSync(path.join(ws, 'out'))).toBe(false);
    },
  );

  it('.semgrepignore may include a file of the repository; an include that leads outside it is refused', async () => {
    const ws = await workspace();
    await mkdir(path.join(ws, 'config'));
    await writeFile(path.join(ws, 'config', 'semgrep-ignore'), 'vendor/\n');
    await writeFile(path.join(ws, '.semgrepignore'), ':include config/semgrep-ignore\n# comment\ndist/\n');
    const { readSemgrepIgnore } = await import('../src/policy.ts');
    expect(await readSemgrepIgnore(ws)).toEqual(['vendor/', 'dist/']);
    await symlink('/etc/hostname', path.join(ws, 'config', 'semgrep-ignore-2'));
    await writeFile(path.join(ws, '.semgrepignore'), ':include config/semgrep-ignore-2\n');
    await expect(readSemgrepIgnore(ws)).rejects.toThrow(
      "The repository's ignore file config/semgrep-ignore-2 leads to '/etc/hostname', outside the repository: refused.",
    );
  });

  it('an ignore file larger than 16 MB is refused by its size', async () => {
    const ws = await workspace();
    await writeFile(path.join(ws, '.trivyignore'), 'CVE-2024-0001\n');
    await truncate(path.join(ws, '.trivyignore'), 17 * 1024 * 1024);
    await expect(scan(ws, { 'trivy-report': NPM })).rejects.toThrow(
      "The repository's ignore file .trivyignore is 17.0 MB; an ignore file is read whole, up to 16.0 MB.",
    );
  });
});

describe('suppressions file', () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  it('a suppressions file larger than 16 MB is refused by its size, naming the input, before it is read', async () => {
    const ws = await workspace();
    const file = path.join(ws, 'suppressions.yml');
    await writeFile(file, 'suppressions: []\n');
    await truncate(file, 600 * 1024 * 1024);
    await expect(scan(ws, { 'trivy-report': NPM, suppressions: 'suppressions.yml' })).rejects.toThrow(
      "Input 'suppressions': suppressions.yml is 600.0 MB; a suppressions file is read whole, up to 16.0 MB.",
    );
  });

  it('suppresses by rule, path and fingerprint, with the reason as the SARIF justification', async () => {
    const report = await readJson<TrivyReport>(DEBIAN);
    const [first, second] = vulns(report);
    const ws = await workspace();
    // a first run gives the fingerprint (match) of the npm finding
    const before = await scan(ws, { 'trivy-report': NPM, 'output-sarif': 'before.sarif' });
    const npmFinding = (await readJson<FindingOut[]>(before.findingsFile)).find((f) => !f.suppressed)!;
    await writeFile(
      path.join(ws, 'suppressions.yml'),
      [
        'suppressions:',
        `  - rule: ${first!.VulnerabilityID}`,
        '    reason: base image is replaced next sprint',
        `    expires: "${day(30)}"`,
        `  - rule: ${second!.VulnerabilityID}`,
        '    reason: not in the shipped image',
        `    expires: ${day(0)}`,
        `  - fingerprint: ${npmFinding.match}`,
        '    reason: dev dependency only',
        `    expires: ${day(1)}`,
        '',
      ].join('\n'),
    );
    const debian = await copyInto(ws, DEBIAN);
    const result = await scan(ws, { 'trivy-report': `${debian},${NPM}`, suppressions: 'suppressions.yml', 'fail-on': 'low' });
    expect(result.gate.passed).toBe(true);
    const findings = await readJson<FindingOut[]>(result.findingsFile);
    expect(findings.find((f) => f.rule === first!.VulnerabilityID)!.justification).toBe(
      `base image is replaced next sprint (suppressions suppressions.yml:2, until ${day(30)})`,
    );
    expect(findings.find((f) => f.match === npmFinding.match)!.justification).toMatch(
      /^dev dependency only \(suppressions suppressions.yml:8/,
    );
    const sarif = await readJson<SarifOut>(result.sarifFile);
    const results = sarif.runs.flatMap((r) => r.results);
    expect(results.find((r) => r.ruleId === second!.VulnerabilityID)!.suppressions![0]).toMatchObject({
      kind: 'external',
      justification: expect.stringMatching(/^not in the shipped image/),
    });
  });

  it('suppresses by path glob', async () => {
    const report = await readJson<SemgrepReport>(SEMGREP);
    const ws = await workspace();
    const target = report.results[0]!.path;
    await writeFile(
      path.join(ws, 's.yml'),
      `suppressions:\n  - path: "${path.posix.dirname(target)}/**"\n    reason: fixtures\n    expires: "${day(5)}"\n`,
    );
    const result = await scan(ws, { 'semgrep-report': SEMGREP, suppressions: 's.yml', 'fail-on': 'none' });
    const under = report.results.filter((r) => r.path.startsWith(`${path.posix.dirname(target)}/`));
    expect(result.counts.suppressed).toBe(under.length);
  });

  it.each([
    [
      'an expired entry',
      (d: (n: number) => string) => `suppressions:\n  - rule: CVE-1\n    reason: old\n    expires: "${d(-1)}"\n`,
      /s\.yml:2 \(entry 1, rule CVE-1\): expired on \d{4}-\d{2}-\d{2}/,
    ],
    [
      'an entry without a reason',
      (d: (n: number) => string) =>
        `suppressions:\n  - rule: CVE-1\n    expires: "${d(3)}"\n  - path: a/**\n    reason: ok\n    expires: "${d(3)}"\n`,
      /s\.yml:2 \(entry 1\): reason is missing/,
    ],
    [
      'an empty reason',
      (d: (n: number) => string) => `suppressions:\n  - rule: CVE-1\n    reason: "  "\n    expires: "${d(3)}"\n`,
      /s\.yml:2 \(entry 1\): reason is empty/,
    ],
    [
      'two kinds in one entry',
      (d: (n: number) => string) => `suppressions:\n\n  - rule: CVE-1\n    path: x/**\n    reason: r\n    expires: "${d(3)}"\n`,
      /s\.yml:3 \(entry 1\): give exactly one of rule, fingerprint or path/,
    ],
    [
      'an unknown key',
      (d: (n: number) => string) => `suppressions:\n  - rule: CVE-1\n    reason: r\n    expire: "${d(3)}"\n`,
      /unknown key expire/,
    ],
    [
      'a date that is not one',
      () => `suppressions:\n  - rule: CVE-1\n    reason: r\n    expires: "2026-02-30"\n`,
      /expires must be a date YYYY-MM-DD/,
    ],
    [
      'a bad fingerprint',
      (d: (n: number) => string) => `suppressions:\n  - fingerprint: abc\n    reason: r\n    expires: "${d(3)}"\n`,
      /fingerprint must be 32 hex digits/,
    ],
    ['no list', () => `ignore:\n  - rule: x\n`, /expected a mapping with a `suppressions:` list/],
    ['broken YAML', () => `suppressions:\n  - rule: [x\n`, /s\.yml:\d+:/],
  ])('%s fails the run naming the entry and what is accepted', async (_name, content, message) => {
    const ws = await workspace();
    await writeFile(path.join(ws, 's.yml'), content(day));
    const run = scan(ws, { 'trivy-report': NPM, suppressions: 's.yml' });
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toThrow("Input 'suppressions': s.yml is not a valid suppressions file");
    await expect(run).rejects.toThrow('plus `reason` (text) and `expires` (YYYY-MM-DD, today or later)');
  });

  it('a missing suppressions file names the input', async () => {
    const ws = await workspace();
    await expect(scan(ws, { 'trivy-report': NPM, suppressions: 'nope.yml' })).rejects.toThrow(
      "Input 'suppressions' 'nope.yml' does not exist",
    );
  });
});
