import { cutText, link, table, type Cell } from '@pipeline-toolkit/core';
import { adrId, type Adr } from './adr.ts';
import { readBlock, upsertBlock } from './blocks.ts';
import { VOCABULARY, type Language } from './language.ts';

/**
 * The ADR index of decisionLog.md: one row per ADR (number, linked title, status, date,
 * supersedes, superseded by), generated between `<!-- adr-index:start -->` and `<!-- adr-index:end -->`.
 */

function statusName(adr: Adr, language: Language): string {
  if (adr.status) return VOCABULARY[language].status[adr.status];
  // An unknown status as the reader sees it: links reduced to their text, on one short line.
  return adr.statusText ? cutText(adr.statusText.replace(/\s+/g, ' '), 60) : '—';
}

function refs(numbers: number[], adrs: readonly Adr[]): Cell {
  if (numbers.length === 0) return '—';
  const parts = numbers.map((n) => {
    const target = adrs.find((a) => a.number === n);
    return target ? link(adrId(n), target.file).markdown : adrId(n);
  });
  return { markdown: parts.join(', ') };
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

export function renderIndex(adrs: readonly Adr[], language: Language): string {
  const v = VOCABULARY[language].index;
  if (adrs.length === 0) return language === 'pt-BR' ? '_Nenhuma decisão registrada ainda._' : '_No decisions recorded yet._';
  // A supersession written on one side only shows on both rows.
  const supersedes = (adr: Adr) =>
    union(
      adr.supersedes,
      adrs.filter((a) => a.supersededBy.includes(adr.number)).map((a) => a.number),
    );
  const supersededBy = (adr: Adr) =>
    union(
      adr.supersededBy,
      adrs.filter((a) => a.supersedes.includes(adr.number)).map((a) => a.number),
    );
  const rows = adrs.map((adr): Cell[] => [
    adrId(adr.number),
    link(adr.title, adr.file),
    statusName(adr, language),
    adr.date ?? '—',
    refs(supersedes(adr), adrs),
    refs(supersededBy(adr), adrs),
  ]);
  return table([v.adr, v.title, v.status, v.date, v.supersedes, v.supersededBy], rows).trimEnd();
}

/** decisionLog.md with its index regenerated; everything outside the markers is kept as written. */
export function updateDecisionLog(text: string, adrs: readonly Adr[], language: Language): string {
  return upsertBlock(text, 'adr-index', renderIndex(adrs, language), VOCABULARY[language].indexHeading);
}

export function indexIsCurrent(text: string, adrs: readonly Adr[], language: Language): boolean {
  return readBlock(text, 'adr-index')?.content.trim() === renderIndex(adrs, language).trim();
}
