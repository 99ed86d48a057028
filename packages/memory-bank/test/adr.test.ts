import { describe, expect, it } from '@jest/globals';
import { adrFileName, detectLanguage, parseAdr, parseStatus, renderAdr, slugify } from '@pipeline-toolkit/memory-bank';

describe('ADR files', () => {
  it('names files ADR-NNN-<slug>.md with three digits and an ASCII slug', () => {
    expect(adrFileName(7, 'Use PostgreSQL 16 (não MySQL)!')).toBe('ADR-007-use-postgresql-16-nao-mysql.md');
    expect(adrFileName(1234, 'Decisão')).toBe('ADR-1234-decisao.md');
    expect(slugify('***')).toBe('decision');
  });

  it('reads the layout this toolkit writes (and this repository uses)', () => {
    const adr = parseAdr(
      'ADR-003-bundle-with-esbuild.md',
      [
        '# ADR-003: Bundle with esbuild',
        '',
        '- Status: accepted',
        '- Date: 2026-11-20',
        '- Supersedes: [ADR-002](ADR-002-bundle-with-ncc.md)',
        '',
        '## Context',
        'ncc bundles are too big.',
        '## Decision',
        'esbuild.',
        '## Alternatives',
        'ncc -m.',
        '## Consequences',
        'Smaller dist.',
      ].join('\n'),
    );
    expect(adr).toMatchObject({
      number: 3,
      slug: 'bundle-with-esbuild',
      title: 'Bundle with esbuild',
      status: 'accepted',
      date: '2026-11-20',
      supersedes: [2],
    });
    expect([...adr.sections]).toEqual([
      ['context', 7],
      ['decision', 9],
      ['alternatives', 11],
      ['consequences', 13],
    ]);
  });

  it('reads a hand-written pt-BR ADR-001.md of the original design (no slug, bold labels, status with successor)', () => {
    const adr = parseAdr(
      'ADR-001.md',
      [
        '# ADR 001 - Adotar Blue-Green Deployment',
        '',
        '**Status:** Substituído por ADR-004',
        '**Data:** 2025-06-27',
        '',
        '## Contexto',
        'Precisamos de deploys sem downtime.',
        '## Decisão',
        'Usar blue-green no EKS.',
        '## Consequências',
        'Custo dobrado durante o deploy.',
      ].join('\n'),
    );
    expect(adr).toMatchObject({
      number: 1,
      title: 'Adotar Blue-Green Deployment',
      status: 'superseded',
      supersededBy: [4],
      date: '2025-06-27',
    });
    expect(adr.slug).toBeUndefined();
    expect([...adr.sections.keys()]).toEqual(['context', 'decision', 'consequences']);
  });

  it('reads status and date given as sections (## Status / ## Data)', () => {
    const adr = parseAdr(
      'ADR-003.md',
      '# ADR-003 — Filas\n\n## Status\n\nAceito\n\n## Data\n\n2025-07-01\n\n## Contexto\na\n## Decisão\nb\n## Consequências\nc\n',
    );
    expect(adr).toMatchObject({ title: 'Filas', status: 'accepted', date: '2025-07-01' });
  });

  it('reads adr-tools (## Status section) and MADR front matter', () => {
    const tools = parseAdr(
      'ADR-0002.md',
      '# 2. Record decisions\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n\n## Context\nx\n## Decision\ny\n## Consequences\nz\n',
    );
    expect(tools).toMatchObject({ number: 2, title: 'Record decisions', status: 'accepted', date: '2024-01-02' });
    const madr = parseAdr(
      'ADR-005-x.md',
      '---\nstatus: "rejected"\ndate: 2024-03-04\n---\n# Use X\n\n## Context and Problem Statement\nq\n## Decision Outcome\nr\n## Consequences\ns\n',
    );
    expect(madr).toMatchObject({ title: 'Use X', status: 'rejected', date: '2024-03-04' });
    expect([...madr.sections.keys()]).toEqual(['context', 'decision', 'consequences']);
  });

  it('knows both languages’ status names, with or without accents', () => {
    expect(
      ['Proposto', 'aceito', 'Rejeitado', 'OBSOLETO', 'Substituido por ADR-9', 'superseded by ADR-2', 'Deprecated'].map(parseStatus),
    ).toEqual(['proposed', 'accepted', 'rejected', 'deprecated', 'superseded', 'superseded', 'deprecated']);
    expect(parseStatus('done')).toBeUndefined();
  });

  it('renders the template of each language with status, date, alternatives and supersedes', () => {
    const en = renderAdr({
      number: 4,
      title: 'Use Redis',
      status: 'proposed',
      date: '2026-11-29',
      language: 'en',
      supersedes: { number: 2, file: 'ADR-002-use-memcached.md' },
    });
    expect(en).toContain(
      '# ADR-004: Use Redis\n\n- Status: proposed\n- Date: 2026-11-29\n- Supersedes: [ADR-002](ADR-002-use-memcached.md)\n',
    );
    expect(en.match(/^## .*/gm)).toEqual(['## Context', '## Decision', '## Alternatives', '## Consequences']);
    const pt = renderAdr({ number: 4, title: 'Usar Redis', status: 'accepted', date: '2026-11-29', language: 'pt-BR' });
    expect(pt).toContain('- Status: Aceito\n- Data: 2026-11-29\n');
    expect(pt.match(/^## .*/gm)).toEqual(['## Contexto', '## Decisão', '## Alternativas', '## Consequências']);
    expect(parseAdr('ADR-004-usar-redis.md', pt)).toMatchObject({ status: 'accepted', title: 'Usar Redis' });
  });

  it('detects a bank’s language from its headings', () => {
    expect(detectLanguage(['# Registro de Decisões\n## Contexto\n## Decisão\n'])).toBe('pt-BR');
    expect(detectLanguage(['# Decision Log\n## Context\n'])).toBe('en');
    expect(detectLanguage([''])).toBe('en');
  });

  it('reads pathological 24 KB lines for what they say (the parser never backtracks over them)', () => {
    const spaces = ' '.repeat(24 * 1024);
    const adr = parseAdr(
      'ADR-007-x.md',
      [
        `#${spaces}Title${spaces}#`,
        '',
        `- Status:${spaces}✅ Accepted${spaces}`,
        `Date${spaces}05/02/2018`,
        `## Context${spaces}`,
        '## Decision',
        '## Consequences',
      ].join('\n'),
    );
    expect(adr).toMatchObject({ title: 'Title', status: 'accepted', date: '2018-02-05' });
    expect([...adr.sections.keys()]).toEqual(['context', 'decision', 'consequences']);
    // The former heading pattern took 35 s on 1,000 spaces followed by `x\r!`.
    const carriage = parseAdr('ADR-009-z.md', `#${spaces}x\r!\n#${spaces}#\rx\n`);
    expect(carriage.title).toBe('x\r!');
    const emphasis = parseAdr('ADR-008-y.md', `# ADR-8${spaces}\n**Status:${'*'.repeat(24 * 1024)}x\n`);
    expect([emphasis.titleNumber, emphasis.statusText]).toEqual([8, 'x']);
  });

  it('takes a number off a title only when it is the record number form', () => {
    const title = (heading: string) => {
      const adr = parseAdr('ADR-023-x.md', `${heading}\n`);
      return [adr.title, adr.titleNumber];
    };
    expect(title('# 23 Logging')).toEqual(['Logging', 23]);
    expect(title('# 0. Record Architecture Decisions')).toEqual(['Record Architecture Decisions', 0]);
    expect(title('# 020. Environments and Pipeline')).toEqual(['Environments and Pipeline', 20]);
    expect(title('# ADR-023: Logging')).toEqual(['Logging', 23]);
    expect(title('# 2FA for admins')).toEqual(['2FA for admins', undefined]);
    expect(title('# 3.5 release train')).toEqual(['3.5 release train', undefined]);
  });

  it('reads status forms of other tools: emoji, any case, adr-tools spelling, MADR slug links', () => {
    const status = (line: string) => parseStatus(line);
    expect(
      [
        '✅ Accepted',
        '❌ Rejected (see [019](x.md))',
        '🤔 Proposed',
        '⌛️ Superseded by [036. X](y.md)',
        'ACCEPTED',
        'Superceded by [3. T](t.md)',
        'Aprovado',
      ].map(status),
    ).toEqual(['accepted', 'rejected', 'proposed', 'superseded', 'accepted', 'superseded', 'accepted']);
    expect(status('🤔 Incomplete')).toBeUndefined();
    const adr = parseAdr(
      'ADR-002-x.md',
      '# 2. X\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nAmends [1. Y](ADR-001-y.md)\n\nLater we decided: Supersedes ADR-0003\n\nSupersedes ADR-0003 as well\n',
    );
    expect([adr.status, adr.amends, adr.supersedes]).toEqual(['accepted', [1], [3]]);
  });
});
