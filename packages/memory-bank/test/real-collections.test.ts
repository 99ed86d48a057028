import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAdr, importAdrs, initBank, lintBank, readBank, writeIndex, type Bank } from '@pipeline-toolkit/memory-bank';

/**
 * Real ADR collections (test/fixtures/adr, see SOURCES.md there): imported into a fresh bank,
 * then read, indexed and linted. Every expected value below was read off the files themselves.
 */

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/adr');
const date = '2026-12-05';
let root: string;
let bank: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mb-real-'));
  bank = path.join(root, 'memory-bank');
  await initBank(bank, 'en', date);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function imported(folder: string): Promise<Bank> {
  const source = path.join(root, 'source');
  await cp(path.join(FIXTURES, folder), source, { recursive: true });
  await importAdrs(source, bank, { date });
  return readBank(bank);
}

/** number → [title, status, date, supersedes, supersededBy] */
type Row = [string, string | undefined, string | undefined, number[], number[]];
const rows = (b: Bank) =>
  Object.fromEntries(b.adrs.map((a) => [a.number, [a.title, a.status ?? a.statusText, a.date, a.supersedes, a.supersededBy] as Row]));
const problems = (b: Bank) => lintBank(b).map((p) => `${path.basename(p.file)}:${p.line} ${p.rule}: ${p.message}`);

describe('real ADR collections', () => {
  it("adr-tools' own records: numbers kept, amendments read, links rewritten, lint clean", async () => {
    const b = await imported('adr-tools/doc/adr');
    expect(b.adrs.map((a) => a.file)).toEqual([
      'ADR-001-record-architecture-decisions.md',
      'ADR-002-implement-as-shell-scripts.md',
      'ADR-003-single-command-with-subcommands.md',
      'ADR-004-markdown-format.md',
      'ADR-005-help-comments.md',
      'ADR-006-packaging-and-distribution-in-other-version-control-repositories.md',
      'ADR-007-invoke-adr-config-executable-to-get-configuration.md',
      'ADR-008-use-iso-8601-format-for-dates.md',
      'ADR-009-help-scripts.md',
    ]);
    expect(rows(b)).toEqual({
      1: ['Record architecture decisions', 'accepted', '2016-02-12', [], []],
      2: ['Implement as shell scripts', 'accepted', '2016-02-12', [], []],
      3: ['Single command with subcommands', 'accepted', '2016-02-12', [], []],
      4: ['Markdown format', 'accepted', '2016-02-12', [], []],
      5: ['Help comments', 'accepted', '2016-02-13', [], []],
      6: ['Packaging and distribution in other version control repositories', 'accepted', '2016-02-16', [], []],
      7: ['Invoke adr-config executable to get configuration', 'accepted', '2016-12-17', [], []],
      8: ['Use ISO 8601 Format for Dates', 'accepted', '2017-02-21', [], []],
      9: ['Help scripts', 'accepted', '2018-06-26', [], []],
    });
    const five = b.adrs.find((a) => a.number === 5);
    expect([five?.amendedBy, five?.formerly]).toEqual([[9], '0005-help-comments.md']);
    expect(b.adrs.find((a) => a.number === 9)?.amends).toEqual([5]);
    expect(b.files.get('ADR-005-help-comments.md')).toContain('Amended by [9. Help scripts](ADR-009-help-scripts.md)');
    expect(problems(b)).toEqual([]);

    // Superseding an imported record writes in its own style: a paragraph of its `## Status` section.
    await createAdr(bank, { title: 'Markdown with front matter', date, status: 'accepted', supersedes: 4 });
    const after = await readBank(bank);
    expect(after.files.get('ADR-004-markdown-format.md')).toContain(
      '## Status\n\nSuperseded\n\nSuperseded by [ADR-010](ADR-010-markdown-with-front-matter.md)\n\n## Context',
    );
    expect(problems(after)).toEqual([]);
  });

  it('adr-tools supersessions ("Superceded by" replacing the status, "Supercedes" paragraphs) fill both index columns', async () => {
    const b = await imported('adr-tools-supersede');
    expect(rows(b)).toEqual({
      1: ['First Record', 'superseded', '1992-01-12', [], [3]],
      2: ['Second Record', 'superseded', '1992-01-12', [], [3]],
      3: ['Third Record', 'accepted', '1992-01-12', [1, 2], []],
    });
    expect(problems(b)).toEqual([]);
    expect(b.files.get('decisionLog.md')).toContain(
      '| ADR-003 | [Third Record](ADR-003-third-record.md) | accepted | 1992-01-12 | [ADR-001](ADR-001-first-record.md), [ADR-002](ADR-002-second-record.md) | — |',
    );
  });

  it('log4brains (MADR): dated names numbered in date order, "superseded by [slug](…)" understood, MADR sections', async () => {
    const b = await imported('log4brains/docs/adr');
    expect(b.adrs.map((a) => [a.number, a.formerly])).toEqual([
      [1, '20200924-use-markdown-architectural-decision-records.md'],
      [2, '20200925-multi-packages-architecture-in-a-monorepo-with-yarn-and-lerna.md'],
      [3, '20200925-use-prettier-eslint-airbnb-for-the-code-style.md'],
      [4, '20200926-use-the-adr-number-as-its-unique-id.md'],
      [5, '20200927-avoid-default-exports.md'],
      [6, '20201016-use-the-adr-slug-as-its-unique-id.md'],
      [7, '20201026-the-core-api-is-responsible-for-enhancing-the-adr-markdown-body-with-mdx.md'],
      [8, '20201103-use-lunr-for-search.md'],
      [9, '20210113-distribute-log4brains-as-a-global-npm-package.md'],
    ]);
    const four = b.adrs.find((a) => a.number === 4);
    expect([four?.title, four?.status, four?.supersededBy]).toEqual(['Use the ADR number as its unique ID', 'superseded', [6]]);
    expect(b.files.get(four?.file ?? '')).toContain('- Status: superseded by [ADR-006](ADR-006-use-the-adr-slug-as-its-unique-id.md)');
    expect(b.adrs.filter((a) => a.status === 'accepted').map((a) => a.number)).toEqual([1, 2, 3, 5, 6, 7, 8, 9]);
    expect(b.adrs.map((a) => a.date)).toEqual([
      '2020-09-24',
      '2020-09-25',
      '2020-09-25',
      '2020-09-26',
      '2020-09-27',
      '2020-10-16',
      '2020-10-26',
      '2020-11-03',
      '2021-01-13',
    ]);
    // The one record that really lacks sections: "Avoid default exports" has only Decision and Links.
    expect(problems(b)).toEqual([
      "ADR-005-avoid-default-exports.md:1 section: missing section 'Context' (pt-BR 'Contexto')",
      "ADR-005-avoid-default-exports.md:1 section: missing section 'Consequences' (pt-BR 'Consequências')",
    ]);
  });

  it("a platform team's set: emoji statuses, titles with or without numbers, day-first dates; only true problems", async () => {
    const b = await imported('moj-cloud-platform/architecture-decision-record');
    expect(rows(b)).toEqual({
      0: ['Record Architecture Decisions', 'accepted', '2019-05-01', [], []],
      1: ['Use AWS hosted Elasticsearch', 'accepted', '2018-02-05', [], []],
      4: ['Use kubernetes for running containerised applications', 'accepted', undefined, [], []],
      6: ['Use GitHub as our identity provider', 'accepted', '2018-04-09', [], []],
      12: ['One cluster for dev/staging/prod', 'accepted', '2019-06-01', [], []],
      17: ['Variable names in YAML & Terraform files are in snake case', 'proposed', '2020-08-17', [], []],
      18: ['Dedicated Ingress Controllers for teams', 'rejected', '2020-09-02', [], []],
      19: ['Shared Ingress Controllers for teams', 'proposed', '2020-09-09', [], []],
      20: ['Environments and Pipeline', 'proposed', '2021-02-26', [], []],
      21: ['Multi-cluster', 'superseded', '2021-05-11', [], [36]],
      22: ['EKS', 'accepted', '2024-11-11', [], []],
      23: ['Logging', 'accepted', '2024-11-11', [], []],
      30: ['Kubernetes security config auditing', undefined, '2021-12-09', [], []],
      33: ['Manager cluster', 'accepted', '2022-01-07', [], []],
      34: ['EKS Fargate', '🤔 Incomplete', '2022-01-21', [], []],
      36: ['Multi-cluster', 'accepted', '2022-09-16', [], []],
      37: ['Serverless (Lambda/Functions-as-a-Service)', 'rejected', '2022-09-22', [], []],
    });
    expect(problems(b)).toEqual([
      "ADR-004-use-kubernetes-for-container-management.md:5 date: date '10/04/18' has a two-digit year (1918 or 2018?); write YYYY-MM-DD",
      "ADR-020-Environments-and-Pipeline.md:1 section: missing section 'Consequences' (pt-BR 'Consequências')",
      "ADR-021-Multi-cluster.md:1 section: missing section 'Consequences' (pt-BR 'Consequências')",
      "ADR-022-EKS.md:1 section: missing section 'Context' (pt-BR 'Contexto')",
      "ADR-022-EKS.md:1 section: missing section 'Consequences' (pt-BR 'Consequências')",
      "ADR-023-Logging.md:1 section: missing section 'Decision' (pt-BR 'Decisão')",
      "ADR-023-Logging.md:1 section: missing section 'Consequences' (pt-BR 'Consequências')",
      'ADR-030-AWS-root-user-security.md:1 title: title says ADR 29 but the file name says ADR-030',
      "ADR-030-AWS-root-user-security.md:1 section: missing section 'Context' (pt-BR 'Contexto')",
      "ADR-030-AWS-root-user-security.md:1 section: missing section 'Decision' (pt-BR 'Decisão')",
      "ADR-030-AWS-root-user-security.md:1 section: missing section 'Consequences' (pt-BR 'Consequências')",
      expect.stringMatching(/^ADR-030-AWS-root-user-security.md:1 status: has no status line/),
      "ADR-033-Manager-cluster.md:1 section: missing section 'Consequences' (pt-BR 'Consequências')",
      "ADR-034-EKS-Fargate.md:1 section: missing section 'Context' (pt-BR 'Contexto')",
      "ADR-034-EKS-Fargate.md:1 section: missing section 'Consequences' (pt-BR 'Consequências')",
      expect.stringMatching(/^ADR-034-EKS-Fargate.md:9 status: status '🤔 Incomplete' is not one of /),
    ]);
    const log = b.files.get('decisionLog.md') ?? '';
    expect(log).toContain(
      '| ADR-036 | [Multi-cluster](ADR-036-multi-cluster.md) | accepted | 2022-09-16 | [ADR-021](ADR-021-Multi-cluster.md) | — |',
    );
    expect(log).toContain('| ADR-034 | [EKS Fargate](ADR-034-EKS-Fargate.md) | 🤔 Incomplete |');
  });

  it('imports in place: the old files go, links between them and from other files follow, the index passes lint', async () => {
    const dir = path.join(root, 'doc', 'adr');
    await cp(path.join(FIXTURES, 'adr-tools-supersede'), dir, { recursive: true });
    const dry = await importAdrs(dir, dir, { date, dryRun: true });
    expect(dry.plan.moves.map((m) => `${m.from} → ${m.to} (${m.links})`)).toEqual([
      '0001-first-record.md → ADR-001-first-record.md (1)',
      '0002-second-record.md → ADR-002-second-record.md (1)',
      '0003-third-record.md → ADR-003-third-record.md (2)',
    ]);
    expect((await readdir(dir)).sort()).toEqual(['0001-first-record.md', '0002-second-record.md', '0003-third-record.md']);
    await importAdrs(dir, dir, { date });
    expect((await readdir(dir)).sort()).toEqual([
      'ADR-001-first-record.md',
      'ADR-002-second-record.md',
      'ADR-003-third-record.md',
      'decisionLog.md',
    ]);
    expect(await readFile(path.join(dir, 'ADR-003-third-record.md'), 'utf8')).toContain(
      'Supercedes [2. Second Record](ADR-002-second-record.md)',
    );
    const b = await readBank(dir);
    await writeIndex(dir, { date });
    expect(lintBank(await readBank(dir)).filter((p) => p.rule !== 'missing-file')).toEqual([]);
    expect(b.adrs.map((a) => a.formerly)).toEqual(['0001-first-record.md', '0002-second-record.md', '0003-third-record.md']);
  });
});
