import { fold, parseSection, parseStatus, VOCABULARY, type Language, type Section, type Status } from './language.ts';

/**
 * Architecture decision records: `ADR-NNN-<slug>.md` (or `ADR-NNN.md`, as hand-written banks name
 * them). Reading accepts the forms found in the field — header lines (`- Status: accepted`,
 * `**Data:** …`), front matter (`status: accepted`) and an adr-tools `## Status` section — in
 * English and Portuguese; writing uses the bank's language and the header-line form.
 */

export const ADR_FILE = /^ADR-(\d{1,5})(?:-([^/]+))?\.md$/i;

export type MetaKey = 'status' | 'date' | 'supersedes' | 'supersededBy';

/** Where a metadata value sits, so that it can be rewritten in place keeping the author's style. */
export interface MetaLine {
  /** 0-based line index. */
  index: number;
  /** Everything before the value (`- Status: `). */
  prefix: string;
  value: string;
  /** Everything after it (a closing quote or `**`). */
  suffix: string;
}

export interface Adr {
  file: string;
  number: number;
  slug?: string;
  title: string;
  status?: Status;
  /** The status as written, for messages when it is not a known status. */
  statusText?: string;
  date?: string;
  supersedes: number[];
  supersededBy: number[];
  /** Section → 1-based line of its heading. */
  sections: Map<Section, number>;
  meta: Partial<Record<MetaKey, MetaLine>>;
  /** 1-based line of the title heading (1 when there is none). */
  titleLine: number;
  /** 0-based index of the first line after the front matter (0 without front matter). */
  bodyStart: number;
  text: string;
}

export function formatNumber(number: number): string {
  return String(number).padStart(3, '0');
}

export function adrId(number: number): string {
  return `ADR-${formatNumber(number)}`;
}

/** `Use PostgreSQL 16 (não MySQL)` → `use-postgresql-16-nao-mysql`. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'decision';
}

export function adrFileName(number: number, title: string): string {
  return `${adrId(number)}-${slugify(title)}.md`;
}

/** ADR numbers mentioned in a text: `ADR-004`, `ADR 4`, links to `ADR-004-x.md`. */
export function adrRefs(text: string): number[] {
  return [...text.matchAll(/\bADR[-\s]?(\d{1,5})\b/gi)].map((m) => Number(m[1]));
}

function metaKey(label: string): MetaKey | undefined {
  const folded = fold(label).replace(/[*_]/g, '').trim();
  if (['status', 'estado', 'situacao'].includes(folded)) return 'status';
  if (['date', 'data', 'decision date', 'data da decisao'].includes(folded)) return 'date';
  if (['supersedes', 'substitui', 'replaces'].includes(folded)) return 'supersedes';
  if (['superseded by', 'substituido por', 'replaced by'].includes(folded)) return 'supersededBy';
  return undefined;
}

const META_LINE = /^(\s*(?:[-*]\s+)?\**([\p{L} ]{2,30}?)\**\s*:\s*\**\s*)(.*?)(\s*\**\s*)$/u;
const TITLE_PREFIX = /^(?:ADR[-\s]?\d+|\d+\.)\s*(?:[:.–—-]\s*)?/i;

export function parseAdr(file: string, text: string): Adr {
  const match = ADR_FILE.exec(file);
  if (!match) throw new Error(`${file} is not an ADR file name (expected ADR-NNN-<slug>.md or ADR-NNN.md)`);
  const lines = text.split('\n');
  const adr: Adr = {
    file,
    number: Number(match[1]),
    ...(match[2] ? { slug: match[2] } : {}),
    title: '',
    supersedes: [],
    supersededBy: [],
    sections: new Map(),
    meta: {},
    titleLine: 1,
    bodyStart: 0,
    text,
  };
  const record = (key: MetaKey, index: number, prefix: string, value: string, suffix = '') => {
    if (adr.meta[key]) return;
    adr.meta[key] = { index, prefix, value, suffix };
  };

  let i = 0;
  if (lines[0]?.trim() === '---') {
    for (i = 1; i < lines.length && lines[i]?.trim() !== '---'; i++) {
      const m = /^(\s*([\w ]+?)\s*:\s*(["']?))(.*?)(\3\s*)$/.exec(lines[i] ?? '');
      const key = m && metaKey(m[2] ?? '');
      if (m && key) record(key, i, m[1] ?? '', m[4] ?? '', m[5] ?? '');
    }
    i++;
    adr.bodyStart = i;
  }
  let inHeader = true;
  /** Inside a `## Status` (or `## Data`) section: its first line is the value (adr-tools style). */
  let metaSection: MetaKey | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heading = /^(#{1,4})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = heading[1]?.length ?? 0;
      const textOf = heading[2] ?? '';
      if (level === 1 && !adr.title) {
        adr.title = textOf.replace(TITLE_PREFIX, '').trim() || textOf.trim();
        adr.titleLine = i + 1;
        continue;
      }
      inHeader = false;
      metaSection = metaKey(textOf);
      const section = parseSection(textOf);
      if (section && !adr.sections.has(section)) adr.sections.set(section, i + 1);
      continue;
    }
    if (!line.trim()) continue;
    const meta = META_LINE.exec(line);
    const key = meta && metaKey(meta[2] ?? '');
    if (meta && key && (inHeader || metaSection)) {
      record(key, i, meta[1] ?? '', meta[3] ?? '', meta[4] ?? '');
      continue;
    }
    if (metaSection && !adr.meta[metaSection]) record(metaSection, i, line.match(/^\s*/)?.[0] ?? '', line.trim());
  }

  const status = adr.meta.status;
  if (status) {
    adr.statusText = status.value.replace(/[*_`]/g, '').trim();
    const parsed = parseStatus(status.value);
    if (parsed) adr.status = parsed;
    if (parsed === 'superseded') adr.supersededBy.push(...adrRefs(status.value));
  }
  const date = adr.meta.date?.value.match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? adr.meta.date?.value;
  if (date) adr.date = date;
  if (adr.meta.supersedes) adr.supersedes.push(...adrRefs(adr.meta.supersedes.value));
  if (adr.meta.supersededBy) adr.supersededBy.push(...adrRefs(adr.meta.supersededBy.value));
  adr.supersedes = unique(adr.supersedes);
  adr.supersededBy = unique(adr.supersededBy);
  if (!adr.title) adr.title = adrId(adr.number);
  return adr;
}

function unique(numbers: number[]): number[] {
  return [...new Set(numbers)].sort((a, b) => a - b);
}

/** A Markdown link to an ADR from a file in the same folder. */
export function adrLink(adr: Pick<Adr, 'number' | 'file'>): string {
  return `[${adrId(adr.number)}](${adr.file})`;
}

export interface NewAdr {
  number: number;
  title: string;
  status: Status;
  date: string;
  language: Language;
  supersedes?: Pick<Adr, 'number' | 'file'>;
}

const GUIDANCE: Record<Language, Record<Section, string>> = {
  en: {
    context: 'What forces are at play (technical, product, team)? What problem does this decision answer, and why now?',
    decision: 'What we decided, stated in full sentences ("We will …").',
    alternatives: 'Each option considered, with why it was not chosen.',
    consequences: 'What becomes easier or harder because of this decision, including risks and follow-up work.',
  },
  'pt-BR': {
    context: 'Quais forças estão em jogo (técnicas, de produto, da equipe)? Que problema esta decisão resolve, e por que agora?',
    decision: 'O que decidimos, em frases completas ("Vamos …").',
    alternatives: 'Cada opção considerada, com o motivo de não ter sido escolhida.',
    consequences: 'O que fica mais fácil ou mais difícil por causa desta decisão, incluindo riscos e trabalho a fazer.',
  },
};

/** The ADR template of the bank's language, filled with number, title, status, date and supersedes. */
export function renderAdr(adr: NewAdr): string {
  const v = VOCABULARY[adr.language];
  const lines = [
    `# ${adrId(adr.number)}: ${adr.title}`,
    '',
    `- ${v.label.status}: ${v.status[adr.status]}`,
    `- ${v.label.date}: ${adr.date}`,
  ];
  if (adr.supersedes) lines.push(`- ${v.label.supersedes}: ${adrLink(adr.supersedes)}`);
  lines.push('');
  for (const section of ['context', 'decision', 'alternatives', 'consequences'] as const) {
    lines.push(`## ${v.section[section]}`, '', GUIDANCE[adr.language][section], '');
  }
  return lines.join('\n');
}

/**
 * Rewrites one metadata value in place (keeping the author's label and list style), or adds a
 * header line after the last one when the ADR has none.
 */
export function setMeta(adr: Adr, key: MetaKey, value: string, language: Language): string {
  const lines = adr.text.split('\n');
  const existing = adr.meta[key];
  if (existing) {
    // Keep the author's capitalisation of a status (`Accepted` → `Superseded`).
    const styled = key === 'status' && /^[*_`]*\p{Lu}/u.test(existing.value) ? value.replace(/^\p{Ll}/u, (c) => c.toUpperCase()) : value;
    lines[existing.index] = `${existing.prefix}${styled}${existing.suffix}`;
    return lines.join('\n');
  }
  const labels = VOCABULARY[language].label;
  const label = { status: labels.status, date: labels.date, supersedes: labels.supersedes, supersededBy: labels.supersededBy }[key];
  // A new header line goes after the last one in the Markdown body (never into front matter).
  const body = Object.values(adr.meta).filter((m) => m.index >= adr.bodyStart);
  const after = Math.max(adr.titleLine - 1, adr.bodyStart - 1, ...body.map((m) => m.index));
  const fromTitle = after === adr.titleLine - 1;
  const insert = fromTitle ? ['', `- ${label}: ${value}`] : [`- ${label}: ${value}`];
  lines.splice(after + 1, 0, ...insert);
  return lines.join('\n');
}
