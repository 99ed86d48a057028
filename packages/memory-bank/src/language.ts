/**
 * The two languages a memory bank can be written in. Files are written in the bank's language;
 * the parser accepts both languages' headings and status names, so a bank read by hand or
 * translated half-way is still understood.
 */

export const LANGUAGES = ['en', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];

export const STATUSES = ['proposed', 'accepted', 'rejected', 'deprecated', 'superseded'] as const;
export type Status = (typeof STATUSES)[number];

export type Section = 'context' | 'decision' | 'alternatives' | 'consequences';
export const REQUIRED_SECTIONS: readonly Section[] = ['context', 'decision', 'consequences'];
/** MADR marks its consequences optional. */
export const MADR_SECTIONS: readonly Section[] = ['context', 'decision'];

interface Vocabulary {
  status: Record<Status, string>;
  section: Record<Section, string>;
  /** Metadata labels in an ADR's header lines (`- Status: accepted`). */
  label: { status: string; date: string; supersedes: string; supersededBy: string };
  currentState: string;
  indexHeading: string;
  index: { adr: string; title: string; status: string; date: string; supersedes: string; supersededBy: string };
}

export const VOCABULARY: Record<Language, Vocabulary> = {
  en: {
    status: { proposed: 'proposed', accepted: 'accepted', rejected: 'rejected', deprecated: 'deprecated', superseded: 'superseded' },
    section: { context: 'Context', decision: 'Decision', alternatives: 'Alternatives', consequences: 'Consequences' },
    label: { status: 'Status', date: 'Date', supersedes: 'Supersedes', supersededBy: 'Superseded by' },
    currentState: 'Current state',
    indexHeading: 'ADR index',
    index: { adr: 'ADR', title: 'Title', status: 'Status', date: 'Date', supersedes: 'Supersedes', supersededBy: 'Superseded by' },
  },
  'pt-BR': {
    status: { proposed: 'Proposto', accepted: 'Aceito', rejected: 'Rejeitado', deprecated: 'Obsoleto', superseded: 'Substituído' },
    section: { context: 'Contexto', decision: 'Decisão', alternatives: 'Alternativas', consequences: 'Consequências' },
    label: { status: 'Status', date: 'Data', supersedes: 'Substitui', supersededBy: 'Substituído por' },
    currentState: 'Estado Atual',
    indexHeading: 'Índice de ADRs',
    index: { adr: 'ADR', title: 'Título', status: 'Status', date: 'Data', supersedes: 'Substitui', supersededBy: 'Substituído por' },
  },
};

/** Lower case without accents, so `Decisão`, `decisao` and `DECISÃO` compare equal. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .trim();
}

const STATUS_WORDS = new Map<string, Status>([
  ...STATUSES.flatMap((status) => LANGUAGES.map((lang) => [fold(VOCABULARY[lang].status[status]), status] as [string, Status])),
  // Common variants found in hand-written banks and other tools' records.
  ['aceita', 'accepted'],
  ['aprovado', 'accepted'],
  ['aprovada', 'accepted'],
  ['approved', 'accepted'],
  ['proposta', 'proposed'],
  ['draft', 'proposed'],
  ['rascunho', 'proposed'],
  ['rejeitada', 'rejected'],
  ['obsoleta', 'deprecated'],
  ['obsolete', 'deprecated'],
  ['depreciado', 'deprecated'],
  ['depreciada', 'deprecated'],
  ['substituida', 'superseded'],
  // adr-tools' spelling (`Superceded by [3. …](…)`).
  ['superceded', 'superseded'],
]);

/**
 * A status word in either language, in any case, after any emoji or markup (`accepted`,
 * `✅ Accepted`, `**Aceito**`, `Substituído por ADR-004` and `Superceded by [3. …]` → superseded).
 */
export function parseStatus(text: string): Status | undefined {
  const first = /^\p{L}+/u.exec(fold(text.slice(0, 200)).replace(/^[^\p{L}]+/u, ''))?.[0];
  return first === undefined ? undefined : STATUS_WORDS.get(first);
}

const SECTION_WORDS = new Map<string, Section>([
  ...(['context', 'decision', 'alternatives', 'consequences'] as const).flatMap((section) =>
    LANGUAGES.map((lang) => [fold(VOCABULARY[lang].section[section]), section] as [string, Section]),
  ),
  ['considered options', 'alternatives'],
  ['options considered', 'alternatives'],
  ['alternatives considered', 'alternatives'],
  ['alternativas consideradas', 'alternatives'],
  ['opcoes consideradas', 'alternatives'],
  ['options', 'alternatives'],
  ['opcoes', 'alternatives'],
  ['pros and cons of the options', 'alternatives'],
  ['decision outcome', 'decision'],
  ['decisions', 'decision'],
  ['decisoes', 'decision'],
  ['resultado da decisao', 'decision'],
  ['proposal', 'decision'],
  ['proposta', 'decision'],
  ["what's proposed", 'decision'],
  ['the existing decision', 'decision'],
  ['context and problem statement', 'context'],
  ['contexto e problema', 'context'],
  ['positive consequences', 'consequences'],
  ['negative consequences', 'consequences'],
  ['consequencias positivas', 'consequences'],
  ['consequencias negativas', 'consequences'],
]);

/** A section heading in either language (`Decisão`, `Context and Problem Statement`). */
export function parseSection(heading: string): Section | undefined {
  return SECTION_WORDS.get(fold(heading.slice(0, 80)).replace(/[’`]/g, "'").replace(/[*_]/g, '').replace(/[:.]$/, '').trim());
}

/**
 * Guesses a bank's language from its text: Portuguese headings or labels win when they outnumber
 * English ones. English when nothing tells.
 */
export function detectLanguage(texts: readonly string[]): Language {
  return languageOf(texts) ?? 'en';
}

/** The language the texts' headings and labels are written in; undefined when nothing tells. */
export function languageOf(texts: readonly string[]): Language | undefined {
  let pt = 0;
  let en = 0;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const start = line.trimStart().slice(0, 80);
      if (!/^#{1,3}\s|^[-*]?\s*\**(status|data|date)\**\s*:/i.test(start)) continue;
      const folded = fold(start);
      if (/\b(contexto|decisao|consequencias|estado atual|data|alternativas|registro de decisoes|progresso)\b/.test(folded)) pt++;
      else if (/\b(context|decision|consequences|current state|date|alternatives|decision log|progress)\b/.test(folded)) en++;
    }
  }
  if (pt === en) return pt === 0 ? undefined : 'en';
  return pt > en ? 'pt-BR' : 'en';
}
