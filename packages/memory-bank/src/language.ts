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
  // Common variants found in hand-written banks.
  ['aceita', 'accepted'],
  ['proposta', 'proposed'],
  ['rejeitada', 'rejected'],
  ['obsoleta', 'deprecated'],
  ['substituida', 'superseded'],
  ['depreciado', 'deprecated'],
]);

/** A status word in either language (`accepted`, `Aceito`, `Substituído por ADR-004` → superseded). */
export function parseStatus(text: string): Status | undefined {
  const first = fold(text)
    .replace(/[*_`]/g, '')
    .split(/[\s:,.(—–-]+/)
    .find(Boolean);
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
  ['decision outcome', 'decision'],
  ['context and problem statement', 'context'],
]);

/** A section heading in either language (`Decisão`, `Context and Problem Statement`). */
export function parseSection(heading: string): Section | undefined {
  return SECTION_WORDS.get(fold(heading).replace(/[:.]$/, ''));
}

/**
 * Guesses a bank's language from its text: Portuguese headings or labels win when they outnumber
 * English ones. English when nothing tells.
 */
export function detectLanguage(texts: readonly string[]): Language {
  let pt = 0;
  let en = 0;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (!/^#{1,3}\s|^\s*[-*]?\s*\**(status|data|date)\**\s*:/i.test(line)) continue;
      const folded = fold(line);
      if (/\b(contexto|decisao|consequencias|estado atual|data|alternativas|registro de decisoes|progresso)\b/.test(folded)) pt++;
      else if (/\b(context|decision|consequences|current state|date|alternatives|decision log|progress)\b/.test(folded)) en++;
    }
  }
  return pt > en ? 'pt-BR' : 'en';
}
