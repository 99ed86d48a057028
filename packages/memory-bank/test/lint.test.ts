import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAdr, initBank, lintBank, readBank, setAdrStatus, writeIndex, type Problem } from '@pipeline-toolkit/memory-bank';

let root: string;
let dir: string;
const date = '2026-11-29';

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mb-lint-'));
  dir = path.join(root, 'memory-bank');
  await initBank(dir, 'en', date);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const write = (name: string, text: string) => writeFile(path.join(dir, name), text);
const lint = async (options?: Parameters<typeof lintBank>[1]) => lintBank(await readBank(dir), options);
const short = (problems: Problem[]) => problems.map((p) => `${path.relative(root, p.file)}:${p.line} ${p.rule}`);

const GOOD = (n: string, extra = '') =>
  `# ADR-${n}: Title\n\n- Status: accepted\n- Date: 2026-01-02\n${extra}\n## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n`;

describe('memory-bank lint', () => {
  it('is clean for a bank written by the tool', async () => {
    await createAdr(dir, { title: 'One', date });
    await createAdr(dir, { title: 'Two', date, supersedes: 1 });
    expect(await lint()).toEqual([]);
  });

  it('points records named in another scheme to adr import', async () => {
    await write('0001-use-flask.md', '# 1. Use Flask\n');
    await write('20201016-use-slugs.md', '# Use slugs\n');
    await writeIndex(dir, { date });
    const problems = await lint();
    expect(short(problems)).toEqual(['memory-bank/0001-use-flask.md:1 naming', 'memory-bank/20201016-use-slugs.md:1 naming']);
    await expect(setAdrStatus(dir, 1, 'deprecated', { date })).rejects.toThrow(
      `There is no ADR 1 in ${dir} (ADRs: none). 2 record(s) there are named in another scheme (0001-use-flask.md, …): import them first with 'pipeline-toolkit adr import ${dir}'.`,
    );
    expect(problems[0]?.message).toBe(
      `is named like an adr-tools or MADR record, not ADR-NNN-<slug>.md, so it is not read as an ADR; 'pipeline-toolkit adr import ${dir}' renames the records and their links`,
    );
  });

  it('reports missing sections in either language, naming both names', async () => {
    await write('ADR-001.md', '# ADR-001: X\n\n- Status: Aceito\n- Data: 2026-01-02\n\n## Contexto\n\n## Decisão\n');
    await writeIndex(dir, { date });
    const problems = await lint();
    expect(short(problems)).toEqual(['memory-bank/ADR-001.md:1 section']);
    expect(problems[0]?.message).toBe("missing section 'Consequences' (pt-BR 'Consequências')");
  });

  it('reports an unknown or missing status and a bad date at their lines', async () => {
    await write('ADR-001-a.md', GOOD('001').replace('- Status: accepted', '- Status: done').replace('2026-01-02', '01/13/2026'));
    await write('ADR-002-b.md', GOOD('002').replace('- Status: accepted\n', '').replace('- Date: 2026-01-02\n', ''));
    await writeIndex(dir, { date });
    const problems = await lint();
    expect(short(problems)).toEqual([
      'memory-bank/ADR-001-a.md:3 status',
      'memory-bank/ADR-001-a.md:4 date',
      'memory-bank/ADR-002-b.md:1 status',
      'memory-bank/ADR-002-b.md:1 date',
    ]);
    expect(problems[0]?.message).toContain(
      "status 'done' is not one of proposed/accepted/rejected/deprecated/superseded or Proposto/Aceito/Rejeitado/Obsoleto/Substituído",
    );
  });

  it('reports duplicate numbers on every file that shares one, and a title that disagrees with its file name', async () => {
    await write('ADR-001-a.md', GOOD('001'));
    await write('ADR-001-b.md', GOOD('001'));
    await write('ADR-002-c.md', GOOD('003'));
    await writeIndex(dir, { date });
    expect(short(await lint())).toEqual([
      'memory-bank/ADR-001-a.md:1 number',
      'memory-bank/ADR-001-b.md:1 number',
      'memory-bank/ADR-002-c.md:1 title',
    ]);
  });

  it('reports links that do not resolve (outside code blocks), with a hint for a renamed ADR', async () => {
    await write('ADR-001-real.md', GOOD('001'));
    await writeFile(path.join(root, 'README.md'), '# r\n');
    await write(
      'systemPatterns.md',
      '# Patterns\n\nSee [ADR 1](ADR-001.md), [readme](../README.md), [web](https://x.test/a), [top](#patterns).\n\n```md\n[not a link](nowhere.md)\n```\n\n[gone](gone.md#part)\n',
    );
    await writeIndex(dir, { date });
    const problems = await lint();
    expect(short(problems)).toEqual(['memory-bank/systemPatterns.md:3 link', 'memory-bank/systemPatterns.md:9 link']);
    expect(problems[0]?.message).toBe("link target 'ADR-001.md' does not exist (did you mean ADR-001-real.md?)");
  });

  it('does not take a link written in inline code for one; a backtick never closed hides nothing', async () => {
    await write(
      'systemPatterns.md',
      '# Patterns\n\nCodeQL writes `[a value](1)`, and ``[b](`2`)``; **`[text](n)`** is read as text.\n\nA lone ` backtick, then [gone](gone.md).\n',
    );
    await writeIndex(dir, { date });
    expect(short(await lint())).toEqual(['memory-bank/systemPatterns.md:5 link']);
  });

  it('requires the superseded record to say so, and a successor to be named on one side', async () => {
    await write('ADR-001-old.md', GOOD('001'));
    await write('ADR-002-new.md', GOOD('002', '- Supersedes: [ADR-001](ADR-001-old.md)\n'));
    await write('ADR-003-gone.md', GOOD('003').replace('accepted', 'superseded by ADR-004'));
    await write('ADR-005-orphan.md', GOOD('005').replace('accepted', 'superseded'));
    await writeIndex(dir, { date });
    const problems = await lint();
    expect(short(problems)).toEqual([
      'memory-bank/ADR-001-old.md:3 supersede',
      'memory-bank/ADR-003-gone.md:3 supersede',
      'memory-bank/ADR-005-orphan.md:3 supersede',
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      "ADR-002-new.md supersedes it, but its status is not 'superseded' (by ADR-002); run 'pipeline-toolkit adr supersede' or change the status",
      'superseded by ADR-004, which does not exist',
      "is superseded but no record names its successor ('Superseded by: ADR-NNN')",
    ]);
  });

  it('reports a stale or missing index', async () => {
    await createAdr(dir, { title: 'One', date });
    await write('ADR-002-two.md', GOOD('002'));
    expect(short(await lint())).toEqual(['memory-bank/decisionLog.md:10 index']);
    await write('decisionLog.md', '# Decision log\n');
    expect((await lint())[0]?.message).toContain(
      "has no ADR index (<!-- adr-index:start --> … <!-- adr-index:end -->); run 'pipeline-toolkit memory-bank index'",
    );
  });

  it('reports an entry key recorded twice in progress.md (a merge resolved by keeping both sides)', async () => {
    const progress = await readFile(path.join(dir, 'progress.md'), 'utf8');
    const entry = '- 2026-11-29 · **production** · v1 · success <!-- key: deploy/production/1 -->';
    await write('progress.md', progress.replace('_No deploys recorded yet._', `${entry}\n${entry.replace('v1', 'v1.0')}`));
    const problems = await lint();
    expect(short(problems)).toEqual(['memory-bank/progress.md:14 entry']);
    expect(problems[0]?.message).toBe("entry 'deploy/production/1' is already on line 13; keep one of them");
  });

  it('finds secret-like strings without repeating them', async () => {
    const token = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
    await write(
      'activeContext.md',
      `${await readFile(path.join(dir, 'activeContext.md'), 'utf8')}\nToken: ${token}\npassword = "hunter2hunter2"\npassword: <from the vault>\napi_key: \${{ secrets.KEY }}\ntoken: GITHUB_TOKEN.\nsecret = env.DB_PASSWORD\n`,
    );
    const problems = await lint();
    expect(short(problems)).toEqual(['memory-bank/activeContext.md:21 secret', 'memory-bank/activeContext.md:22 secret']);
    expect(JSON.stringify(problems)).not.toContain(token);
  });

  it('checks size budgets per file with advice', async () => {
    await write('activeContext.md', `# Active Context\n\n${'x'.repeat(13 * 1024)}\n`);
    const problems = await lint();
    expect(short(problems)).toEqual(['memory-bank/activeContext.md:1 size']);
    expect(problems[0]?.message).toBe(
      'is 13.0 KB, over its 12 KB budget: keep only the current state here and move history to progress.md',
    );
    expect(await lint({ budgets: { 'activeContext.md': 20 * 1024 } })).toEqual([]);
  });

  it('reports missing bank files', async () => {
    await rm(path.join(dir, 'productContext.md'));
    expect(short(await lint())).toEqual(['memory-bank/productContext.md:1 missing-file']);
  });

  it('reads a hand-written pt-BR bank in the original design’s format', async () => {
    await rm(dir, { recursive: true });
    await initBank(dir, 'pt-BR', date);
    await write(
      'ADR-001.md',
      '# ADR-001: Adotar Blue-Green\n\n**Status:** Aceito\n**Data:** 2025-06-27\n\n## Contexto\n\na\n\n## Decisão\n\nb\n\n## Consequências\n\nc\n',
    );
    await write('decisionLog.md', '# Registro de Decisões\n\n- [ADR-001](ADR-001.md): Adotar Blue-Green\n');
    expect(short(await lint())).toEqual(['memory-bank/decisionLog.md:1 index']);
    await writeIndex(dir, { date });
    expect(await lint()).toEqual([]);
    const log = await readFile(path.join(dir, 'decisionLog.md'), 'utf8');
    expect(log).toContain(
      '- [ADR-001](ADR-001.md): Adotar Blue-Green\n\n## Índice de ADRs\n\n<!-- adr-index:start -->\n| ADR | Título | Status | Data |',
    );
    expect(log).toContain('| ADR-001 | [Adotar Blue-Green](ADR-001.md) | Aceito | 2025-06-27 | — | — |');
  });
});
