import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '@pipeline-toolkit/core';
import {
  BANK_FILES,
  createAdr,
  initBank,
  lintBank,
  planImport,
  readBank,
  renumberAdr,
  setAdrStatus,
  writeIndex,
} from '@pipeline-toolkit/memory-bank';

let dir: string;
const date = '2026-11-29';
const read = (name: string) => readFile(path.join(dir, name), 'utf8');

beforeEach(async () => {
  dir = path.join(await mkdtemp(path.join(tmpdir(), 'mb-ops-')), 'memory-bank');
});
afterEach(async () => {
  await rm(path.dirname(dir), { recursive: true, force: true });
});

describe('files too large to read', () => {
  it('a memory-bank file or a record to import above 64 MB is refused by its size, named, before it is read', async () => {
    await initBank(dir, 'en', date);
    // sparse: 65 MB on paper, nothing on disk, and nothing read
    const huge = path.join(dir, 'ADR-002-huge.md');
    await writeFile(huge, '# ADR-002: Huge\n');
    await truncate(huge, 65 * 1024 * 1024);
    const error = await readBank(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ input: 'dir' });
    expect((error as Error).message).toBe(
      `'${huge}' is 65.0 MB; memory-bank files are read whole, up to 64.0 MB each. Keep logs and generated reports outside the memory bank.`,
    );
    await truncate(huge, 64 * 1024 * 1024);
    expect((await readBank(dir)).adrs.map((a) => a.number)).toEqual([2]);
    const source = path.join(path.dirname(dir), 'doc', 'adr');
    await mkdir(source, { recursive: true });
    await writeFile(path.join(source, '0001-big.md'), '# 1. Big\n');
    await truncate(path.join(source, '0001-big.md'), 65 * 1024 * 1024);
    await expect(planImport(source, dir)).rejects.toMatchObject({
      input: 'source',
      message: expect.stringContaining("0001-big.md' is 65.0 MB"),
    });
  });
});

describe('init', () => {
  it('creates the five files in English with the blocks CI maintains', async () => {
    expect(await initBank(dir, 'en', date)).toEqual({ created: [...BANK_FILES], kept: [] });
    expect(await read('activeContext.md')).toContain(`## Current state [${date}]\n\n- Version in production: —`);
    expect(await read('decisionLog.md')).toContain('<!-- adr-index:start -->');
    expect(await read('progress.md')).toMatch(/<!-- deploys:start -->[\s\S]*<!-- merged-prs:start -->/);
    expect(await read('systemPatterns.md')).toContain('```mermaid');
    expect(await read('productContext.md')).toContain('## Non-functional requirements');
    // A fresh bank is clean for the linter.
    expect(lintBank(await readBank(dir))).toEqual([]);
  });

  it('creates pt-BR files and never overwrites an existing one', async () => {
    await initBank(dir, 'en', date);
    await writeFile(path.join(dir, 'productContext.md'), '# Mine\n');
    await rm(path.join(dir, 'progress.md'));
    expect(await initBank(dir, 'pt-BR', date)).toEqual({ created: ['progress.md'], kept: BANK_FILES.filter((f) => f !== 'progress.md') });
    expect(await read('productContext.md')).toBe('# Mine\n');
    expect(await read('progress.md')).toContain('# Progresso');
    await rm(dir, { recursive: true });
    await initBank(dir, 'pt-BR', date);
    expect(await read('activeContext.md')).toContain(`## Estado Atual [${date}]\n\n- Versão em produção: —`);
    expect(await read('decisionLog.md')).toContain('## Índice de ADRs');
  });
});

describe('adr new / supersede / status / renumber', () => {
  it('numbers after local files and numbers used elsewhere, and indexes the new ADR', async () => {
    await initBank(dir, 'en', date);
    const first = await createAdr(dir, { title: 'Use PostgreSQL', date });
    expect(first.adr.file).toBe('ADR-001-use-postgresql.md');
    expect(first.files.sort()).toEqual(['ADR-001-use-postgresql.md', 'decisionLog.md']);
    const elsewhere = [{ number: 6, file: 'ADR-006-use-kafka.md', source: 'branch origin/kafka' }];
    const second = await createAdr(dir, { title: 'Use Redis', date, status: 'accepted', usedElsewhere: elsewhere });
    expect(second.adr.file).toBe('ADR-007-use-redis.md');
    expect(await read('ADR-007-use-redis.md')).toContain('- Status: accepted\n- Date: 2026-11-29\n');
    const log = await read('decisionLog.md');
    expect(log).toContain('| ADR-001 | [Use PostgreSQL](ADR-001-use-postgresql.md) | proposed | 2026-11-29 | — | — |');
    expect(log).toContain('| ADR-007 | [Use Redis](ADR-007-use-redis.md) | accepted | 2026-11-29 | — | — |');
    expect(log).toMatch(/^# Decision Log\n/);
  });

  it('uses the bank’s language for a new ADR (pt-BR detected from its files)', async () => {
    await initBank(dir, 'pt-BR', date);
    const { adr } = await createAdr(dir, { title: 'Adotar blue-green', date });
    const text = await read(adr.file);
    expect(text).toContain('- Status: Proposto\n- Data: 2026-11-29');
    expect(text.match(/^## .*/gm)).toEqual(['## Contexto', '## Decisão', '## Alternativas', '## Consequências']);
    expect(await read('decisionLog.md')).toContain('| ADR-001 | [Adotar blue-green](ADR-001-adotar-blue-green.md) | Proposto |');
  });

  it('supersedes: the new ADR says so and the old one is marked, on both sides', async () => {
    await initBank(dir, 'en', date);
    await createAdr(dir, { title: 'Use ncc', date, status: 'accepted' });
    const { adr } = await createAdr(dir, { title: 'Use esbuild', date, status: 'accepted', supersedes: 1 });
    expect(await read(adr.file)).toContain('- Supersedes: [ADR-001](ADR-001-use-ncc.md)');
    expect(await read('ADR-001-use-ncc.md')).toContain(
      '- Status: superseded\n- Date: 2026-11-29\n- Superseded by: [ADR-002](ADR-002-use-esbuild.md)\n',
    );
    expect(await read('decisionLog.md')).toContain(
      '| ADR-001 | [Use ncc](ADR-001-use-ncc.md) | superseded | 2026-11-29 | — | [ADR-002](ADR-002-use-esbuild.md) |',
    );
    expect(lintBank(await readBank(dir))).toEqual([]);
  });

  it('sets a status in the bank’s language, keeping the author’s label style', async () => {
    await initBank(dir, 'pt-BR', date);
    await writeFile(
      path.join(dir, 'ADR-001.md'),
      '# ADR 001 - Cache\n\n**Status:** Proposto\n**Data:** 2025-06-27\n\n## Contexto\na\n## Decisão\nb\n## Consequências\nc\n',
    );
    const { files } = await setAdrStatus(dir, 1, 'accepted', { date });
    expect(files.sort()).toEqual(['ADR-001.md', 'decisionLog.md']);
    expect(await read('ADR-001.md')).toContain('**Status:** Aceito\n**Data:** 2025-06-27');
    await expect(setAdrStatus(dir, 9, 'accepted', { date })).rejects.toThrow('There is no ADR 9');
  });

  it('rewrites statuses in front matter, bold lines and adr-tools sections without breaking their syntax', async () => {
    await initBank(dir, 'en', date);
    await writeFile(
      path.join(dir, 'ADR-001-madr.md'),
      '---\nstatus: "proposed"\ndate: 2024-01-01\n---\n# Use X\n\n## Context\na\n## Decision\nb\n## Consequences\nc\n',
    );
    await writeFile(
      path.join(dir, 'ADR-002-bold.md'),
      '# ADR-002: Bold\n\n**Status: proposed**\n**Date:** 2024-01-02\n\n## Context\na\n## Decision\nb\n## Consequences\nc\n',
    );
    await writeFile(
      path.join(dir, 'ADR-003-tools.md'),
      '# 3. Tools\n\nDate: 2024-01-03\n\n## Status\n\nAccepted\n\n## Context\na\n## Decision\nb\n## Consequences\nc\n',
    );
    await setAdrStatus(dir, 1, 'accepted', { date });
    await setAdrStatus(dir, 2, 'accepted', { date });
    expect(await read('ADR-001-madr.md')).toMatch(/^---\nstatus: "accepted"\ndate: 2024-01-01\n---\n# Use X\n/);
    expect(await read('ADR-002-bold.md')).toContain('**Status: accepted**\n');
    // Superseding a MADR ADR puts the successor line in the body, never in the YAML front matter.
    await createAdr(dir, { title: 'Use Y', date, supersedes: 1 });
    expect(await read('ADR-001-madr.md')).toMatch(
      /^---\nstatus: "superseded"\ndate: 2024-01-01\n---\n# Use X\n\n- Superseded by: \[ADR-004\]\(ADR-004-use-y\.md\)\n\n## Context/,
    );
    await createAdr(dir, { title: 'Use Z', date, supersedes: 3 });
    expect(await read('ADR-003-tools.md')).toContain('## Status\n\nSuperseded\n\nSuperseded by [ADR-005](ADR-005-use-z.md)\n\n## Context');
    expect(lintBank(await readBank(dir))).toEqual([]);
  });

  it('renumbers: file, title and every link, leaving other numbers alone', async () => {
    await initBank(dir, 'en', date);
    await createAdr(dir, { title: 'Use ncc', date });
    await createAdr(dir, { title: 'Use esbuild', date, supersedes: 1 });
    await createAdr(dir, { title: 'Use ADR-0020 style', date });
    await writeFile(
      path.join(dir, 'systemPatterns.md'),
      `${await read('systemPatterns.md')}\nBundling: see [ADR-002](ADR-002-use-esbuild.md) and ADR-2; not ADR-20 or ADR-0021.\n`,
    );
    const result = await renumberAdr(dir, 2, 12, { date });
    expect(result.adr.file).toBe('ADR-012-use-esbuild.md');
    expect((await readdir(dir)).filter((f) => f.startsWith('ADR')).sort()).toEqual([
      'ADR-001-use-ncc.md',
      'ADR-003-use-adr-0020-style.md',
      'ADR-012-use-esbuild.md',
    ]);
    expect(await read('ADR-012-use-esbuild.md')).toMatch(/^# ADR-012: Use esbuild\n/);
    expect(await read('ADR-001-use-ncc.md')).toContain('- Superseded by: [ADR-012](ADR-012-use-esbuild.md)');
    expect(await read('systemPatterns.md')).toContain('see [ADR-012](ADR-012-use-esbuild.md) and ADR-012; not ADR-20 or ADR-0021.');
    expect(lintBank(await readBank(dir))).toEqual([]);
    await expect(renumberAdr(dir, 1, 3, { date })).rejects.toThrow('ADR-003 is already used by ADR-003-use-adr-0020-style.md');
  });

  it('renumbers one of two colliding ADRs (after a merge) without touching the other', async () => {
    await initBank(dir, 'en', date);
    await createAdr(dir, { title: 'Use Kafka', date });
    await writeFile(
      path.join(dir, 'ADR-001-use-rabbitmq.md'),
      '# ADR-001: Use RabbitMQ\n\n- Status: proposed\n- Date: 2026-11-28\n\n## Context\na\n## Decision\nb\n## Consequences\nc\n',
    );
    expect(lintBank(await readBank(dir)).filter((p) => p.rule === 'number')).toHaveLength(2);
    await expect(renumberAdr(dir, 1, 2, { date })).rejects.toThrow('say which one with --file');
    await renumberAdr(dir, 1, 2, { date, file: 'ADR-001-use-rabbitmq.md' });
    expect(await read('ADR-002-use-rabbitmq.md')).toMatch(/^# ADR-002: Use RabbitMQ/);
    expect(await read('ADR-001-use-kafka.md')).toMatch(/^# ADR-001: Use Kafka/);
    expect(lintBank(await readBank(dir))).toEqual([]);
  });

  it('index regenerates only the block, leaving the rest of decisionLog.md as written', async () => {
    await initBank(dir, 'en', date);
    await createAdr(dir, { title: 'Use ncc', date });
    const hand = `# Decisions\n\nWritten by hand.\n\n<!-- adr-index:start -->\nstale\n<!-- adr-index:end -->\n\n## Notes\n\nKeep me.\n`;
    await writeFile(path.join(dir, 'decisionLog.md'), hand);
    expect(await writeIndex(dir, { date })).toEqual(['decisionLog.md']);
    const log = await read('decisionLog.md');
    expect(log.startsWith('# Decisions\n\nWritten by hand.\n\n<!-- adr-index:start -->\n| ADR |')).toBe(true);
    expect(log.endsWith('<!-- adr-index:end -->\n\n## Notes\n\nKeep me.\n')).toBe(true);
    expect(await writeIndex(dir, { date })).toEqual([]);
  });
});
