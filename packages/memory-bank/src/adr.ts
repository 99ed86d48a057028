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
  /** The number the title itself carries (`# 23 Logging`, `# ADR-004: …`), when it has one. */
  titleNumber?: number;
  status?: Status;
  /** The status as written (links reduced to their text), for messages and unknown statuses. */
  statusText?: string;
  /** YYYY-MM-DD when the date line holds a date in a known form (ISO, D/M/YYYY). */
  date?: string;
  /** Why the date line could not be read as a date (`two-digit year`), when it could not. */
  dateProblem?: string;
  supersedes: number[];
  supersededBy: number[];
  /** adr-tools' weaker relation: `Amends [5. …]` / `Amended by [9. …]`. */
  amends: number[];
  amendedBy: number[];
  /** Section → 1-based line of its heading. */
  sections: Map<Section, number>;
  /** The record follows MADR (log4brains): `Decision Outcome`, `Context and Problem Statement` or front matter. */
  madr: boolean;
  meta: Partial<Record<MetaKey, MetaLine>>;
  /** 1-based line of the title heading (1 when there is none). */
  titleLine: number;
  /** 0-based index of the first line after the front matter (0 without front matter). */
  bodyStart: number;
  /** The file name the record had before `adr import` (`<!-- formerly: 0005-help-comments.md -->`). */
  formerly?: string;
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
    .replace(/^-/, '')
    .slice(0, 60)
    .replace(/-$/, '');
  return slug || 'decision';
}

export function adrFileName(number: number, title: string): string {
  return `${adrId(number)}-${slugify(title)}.md`;
}

/**
 * ADR numbers mentioned in a text: `ADR-004`, `ADR 4`, links to `ADR-004-x.md`, and adr-tools'
 * numbered link texts (`[3. Use Flask](…)`).
 */
export function adrRefs(text: string): number[] {
  const refs = [...text.matchAll(/\bADR[-\s]?(\d{1,5})\b/gi)].map((m) => Number(m[1]));
  for (const m of text.matchAll(/\[(\d{1,5})\.\s/g)) refs.push(Number(m[1]));
  return refs;
}

function metaKey(label: string): MetaKey | undefined {
  const folded = fold(label).replace(/[*_]/g, '').trim();
  if (['status', 'estado', 'situacao'].includes(folded)) return 'status';
  if (['date', 'data', 'decision date', 'data da decisao'].includes(folded)) return 'date';
  if (['supersedes', 'supercedes', 'substitui', 'replaces'].includes(folded)) return 'supersedes';
  if (['superseded by', 'superceded by', 'substituido por', 'replaced by'].includes(folded)) return 'supersededBy';
  return undefined;
}

/**
 * Every pattern below runs in time linear in its input: lines are cut by hand (indexOf, loops)
 * instead of by patterns that backtrack, so a pushed file of any shape cannot stall a parse.
 */

const MARKUP = new Set([' ', '\t', '\r', '*', '_', '`']);

/** `[start, end)` of `text` without surrounding spaces and emphasis markers. */
function innerRange(text: string): [number, number] {
  let start = 0;
  let end = text.length;
  while (start < end && MARKUP.has(text[start] ?? '')) start++;
  while (end > start && MARKUP.has(text[end - 1] ?? '')) end--;
  return [start, end];
}

/** `# Title ##` → level 1, `Title`; undefined when the line is not an ATX heading. */
export function parseHeading(line: string): { level: number; text: string } | undefined {
  let level = 0;
  while (level < 7 && line[level] === '#') level++;
  if (level < 1 || level > 6) return undefined;
  const next = line[level];
  if (next !== undefined && next !== ' ' && next !== '\t') return undefined;
  let text = line.slice(level).trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end === 0) text = '';
  else if (end < text.length && (text[end - 1] === ' ' || text[end - 1] === '\t')) text = text.slice(0, end).trim();
  return { level, text };
}

/** `- **Status:** accepted` → status, with the text around the value kept for rewriting. */
function metaLine(line: string): { key: MetaKey; prefix: string; value: string; suffix: string } | undefined {
  const colon = line.indexOf(':');
  if (colon > 0 && colon <= 48) {
    let from = 0;
    while (from < colon && ' \t>-*+_'.includes(line[from] ?? '')) from++;
    const key = metaKey(line.slice(from, colon));
    if (!key) return undefined;
    const rest = line.slice(colon + 1);
    const [start, end] = innerRange(rest);
    return { key, prefix: line.slice(0, colon + 1 + start), value: rest.slice(start, end), suffix: rest.slice(end) };
  }
  // `Date 09/04/2018`: a date label and a digit, without the colon.
  const trimmed = line.trimStart();
  let from = 0;
  while (from < trimmed.length && ' \t-*_'.includes(trimmed[from] ?? '')) from++;
  const word = trimmed.slice(from, from + 4).toLowerCase();
  if (word !== 'date' && word !== 'data') return undefined;
  let at = from + 4;
  while (at < trimmed.length && '*_'.includes(trimmed[at] ?? '')) at++;
  const spaces = at;
  while (at < trimmed.length && (trimmed[at] === ' ' || trimmed[at] === '\t')) at++;
  if (at === spaces || !/\d/.test(trimmed[at] ?? '')) return undefined;
  const indent = line.length - trimmed.length;
  const [start, end] = innerRange(trimmed.slice(at));
  return {
    key: 'date',
    prefix: line.slice(0, indent + at + start),
    value: trimmed.slice(at + start, at + end),
    suffix: trimmed.slice(at + end),
  };
}

/** `status: "accepted"` in front matter. */
function frontMatterLine(line: string): { key: MetaKey; prefix: string; value: string; suffix: string } | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0 || colon > 48) return undefined;
  const key = metaKey(line.slice(0, colon));
  if (!key) return undefined;
  const rest = line.slice(colon + 1);
  let start = 0;
  while (start < rest.length && (rest[start] === ' ' || rest[start] === '\t')) start++;
  let end = rest.length;
  while (end > start && ' \t\r'.includes(rest[end - 1] ?? '')) end--;
  const quote = rest[start];
  if ((quote === '"' || quote === "'") && end - start >= 2 && rest[end - 1] === quote) {
    start++;
    end--;
  }
  return { key, prefix: line.slice(0, colon + 1 + start), value: rest.slice(start, end), suffix: rest.slice(end) };
}

/**
 * A title's own number: `ADR-004: X`, `ADR 4 - X`, `23. X`, `23 X`, `0. X`. Undefined when the
 * title does not start with one.
 */
function titlePrefix(title: string): { number: number; rest: string } | undefined {
  let at = 0;
  const named = /^adr/i.test(title);
  if (named) {
    at = 3;
    if (title[at] === '-' || title[at] === ' ') at++;
  }
  const digits = at;
  while (at < title.length && at - digits <= 5 && /\d/.test(title[at] ?? '')) at++;
  if (at === digits || at - digits > 5) return undefined;
  const number = Number(title.slice(digits, at));
  let after = at;
  while (title[after] === ' ' || title[after] === '\t') after++;
  const spaced = after > at;
  let punctuation = false;
  if (':.–—-'.includes(title[after] ?? '|')) {
    after++;
    punctuation = true;
  }
  const gap = after;
  while (title[after] === ' ' || title[after] === '\t') after++;
  // `3.5 release`, `2FA`: a number that belongs to the title, not a record number.
  const separated = after > gap || after === title.length;
  if (!named && !(punctuation ? separated : spaced)) return undefined;
  return { number, rest: title.slice(after) };
}

const RELATIONS: [string, 'supersedes' | 'supersededBy' | 'amends' | 'amendedBy'][] = [
  ['superseded by', 'supersededBy'],
  ['superceded by', 'supersededBy'],
  ['substituido por', 'supersededBy'],
  ['substituida por', 'supersededBy'],
  ['replaced by', 'supersededBy'],
  ['supersedes', 'supersedes'],
  ['supercedes', 'supersedes'],
  ['substitui', 'supersedes'],
  ['replaces', 'supersedes'],
  ['amended by', 'amendedBy'],
  ['alterado por', 'amendedBy'],
  ['amends', 'amends'],
  ['altera', 'amends'],
];

/** The relation a line of a `## Status` section states (`Superceded by [3. …](…)`), if any. */
function relationOf(line: string): (typeof RELATIONS)[number][1] | undefined {
  const folded = fold(line.slice(0, 64)).replace(/^[^\p{L}]+/u, '');
  return RELATIONS.find(([words]) => folded.startsWith(words) && !/\p{L}/u.test(folded[words.length] ?? ''))?.[1];
}

/** Link markup reduced to its text, and emphasis removed: what a reader sees of a status. */
export function plainText(text: string): string {
  let out = '';
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('](', at);
    if (open < 0) break;
    const close = text.indexOf(')', open);
    if (close < 0) break;
    out += text.slice(at, open);
    at = close + 1;
  }
  out += text.slice(at);
  return out.replace(/[[\]*_`]/g, '').trim();
}

/** A date line's value: ISO `2020-09-24`, or day first `05/02/2018` / `5.2.2018`. */
export function parseDate(value: string): { date?: string; problem?: string } {
  const iso = /\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
  if (iso) return Number.isNaN(Date.parse(iso)) ? { problem: `'${iso}' is not a calendar date` } : { date: iso };
  const dmy = /\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b/.exec(value);
  if (!dmy) return {};
  const [day, month, year] = [Number(dmy[1]), Number(dmy[2]), dmy[3] ?? ''];
  if (year.length !== 4) return { problem: `'${dmy[0]}' has a two-digit year (19${year} or 20${year}?); write YYYY-MM-DD` };
  if (month > 12 && day <= 12) return { problem: `'${dmy[0]}' reads as month/day/year, not day/month/year; write YYYY-MM-DD` };
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.getUTCDate() !== day) return { problem: `'${dmy[0]}' is not a calendar date` };
  return { date };
}

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
    amends: [],
    amendedBy: [],
    sections: new Map(),
    madr: false,
    meta: {},
    titleLine: 1,
    bodyStart: 0,
    text,
  };
  const record = (key: MetaKey, index: number, found: { prefix: string; value: string; suffix: string }) => {
    if (adr.meta[key]) return;
    adr.meta[key] = { index, ...found };
  };

  let i = 0;
  if (lines[0]?.trim() === '---') {
    for (i = 1; i < lines.length && lines[i]?.trim() !== '---'; i++) {
      const found = frontMatterLine(lines[i] ?? '');
      if (found) record(found.key, i, found);
    }
    i++;
    adr.bodyStart = i;
    if (adr.meta.status) adr.madr = true;
  }
  let inHeader = true;
  /** Inside a `## Status` (or `## Data`) section: its lines hold the value and relations (adr-tools style). */
  let metaSection: MetaKey | undefined;
  let fence: string | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trimStart();
    if (trimmed.startsWith('```') || trimmed.startsWith('~~~')) {
      const marker = trimmed.slice(0, 3);
      if (fence === undefined) fence = marker;
      else if (marker === fence) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    if (line.startsWith('<!--') && line.includes('formerly:')) {
      const from = line.indexOf('formerly:') + 'formerly:'.length;
      const to = line.indexOf('-->', from);
      const former = to < 0 ? undefined : line.slice(from, to).trim();
      if (former && adr.formerly === undefined) adr.formerly = former;
      continue;
    }
    const heading = parseHeading(line);
    if (heading) {
      if (heading.level === 1 && !adr.title) {
        const numbered = titlePrefix(heading.text);
        if (numbered) adr.titleNumber = numbered.number;
        adr.title = numbered?.rest.trim() || heading.text;
        adr.titleLine = i + 1;
        continue;
      }
      inHeader = false;
      const textOf = (heading.text.split('<!--')[0] ?? '').trim();
      metaSection = metaKey(textOf);
      const section = parseSection(textOf);
      if (section && !adr.sections.has(section)) adr.sections.set(section, i + 1);
      if (/^(decision outcome|context and problem statement)/.test(fold(textOf))) adr.madr = true;
      continue;
    }
    if (!line.trim()) continue;
    if (inHeader || metaSection) {
      const found = metaLine(line);
      if (found) {
        record(found.key, i, found);
        continue;
      }
    }
    if (!metaSection) continue;
    const relation = metaSection === 'status' ? relationOf(line) : undefined;
    if (relation) {
      adr[relation].push(...adrRefs(line));
      // adr-tools replaces the status word by the successor: `Superceded by [3. …](…)` is the status.
      if (relation !== 'supersededBy' || adr.meta.status) continue;
    }
    if (!adr.meta[metaSection]) {
      const [start, end] = innerRange(line);
      record(metaSection, i, { prefix: line.slice(0, start), value: line.slice(start, end), suffix: line.slice(end) });
    }
  }

  const status = adr.meta.status;
  if (status) {
    adr.statusText = plainText(status.value);
    const parsed = parseStatus(status.value);
    if (parsed) adr.status = parsed;
    if (parsed === 'superseded') adr.supersededBy.push(...adrRefs(status.value));
  }
  if (adr.meta.date) {
    const { date, problem } = parseDate(adr.meta.date.value);
    if (date) adr.date = date;
    if (problem) adr.dateProblem = problem;
  }
  if (adr.meta.supersedes) adr.supersedes.push(...adrRefs(adr.meta.supersedes.value));
  if (adr.meta.supersededBy) adr.supersededBy.push(...adrRefs(adr.meta.supersededBy.value));
  adr.supersedes = unique(adr.supersedes.filter((n) => n !== adr.number));
  adr.supersededBy = unique(adr.supersededBy.filter((n) => n !== adr.number));
  adr.amends = unique(adr.amends);
  adr.amendedBy = unique(adr.amendedBy);
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
  // A status written as a `## Status` section (adr-tools) gets its relation as a paragraph there.
  const status = adr.meta.status;
  if ((key === 'supersededBy' || key === 'supersedes') && status && status.index >= adr.bodyStart && !status.prefix.includes(':')) {
    lines.splice(status.index + 1, 0, '', `${label} ${value}`);
    return lines.join('\n');
  }
  // A new header line goes after the last one in the Markdown body (never into front matter).
  const body = Object.values(adr.meta).filter((m) => m.index >= adr.bodyStart);
  const after = Math.max(adr.titleLine - 1, adr.bodyStart - 1, ...body.map((m) => m.index));
  const fromTitle = after === adr.titleLine - 1;
  const insert = fromTitle ? ['', `- ${label}: ${value}`] : [`- ${label}: ${value}`];
  lines.splice(after + 1, 0, ...insert);
  return lines.join('\n');
}
