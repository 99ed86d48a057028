import { existsSync } from 'node:fs';
import path from 'node:path';
import { cutText, looksSecret } from '@pipeline-toolkit/core';
import { adrId, adrRefs, type Adr } from './adr.ts';
import type { Bank } from './bank.ts';
import { readBlock } from './blocks.ts';
import { foreignRecords } from './import.ts';
import { indexIsCurrent } from './decision-index.ts';
import { LANGUAGES, MADR_SECTIONS, REQUIRED_SECTIONS, STATUSES, VOCABULARY } from './language.ts';
import { BANK_FILES } from './templates.ts';

/**
 * Checks a memory bank and returns every problem with its file and line, so that one run lists
 * everything to fix.
 */

export interface Problem {
  /** Path as the user gave the bank folder (`memory-bank/ADR-001.md`). */
  file: string;
  line: number;
  rule:
    | 'missing-file'
    | 'naming'
    | 'title'
    | 'section'
    | 'status'
    | 'date'
    | 'number'
    | 'link'
    | 'supersede'
    | 'index'
    | 'entry'
    | 'secret'
    | 'size';
  message: string;
}

const KB = 1024;
/** Default size budgets: activeContext stays short (history belongs in progress.md). */
export const DEFAULT_BUDGETS: Record<string, number> = {
  'activeContext.md': 12 * KB,
  'productContext.md': 24 * KB,
  'systemPatterns.md': 48 * KB,
  'decisionLog.md': 48 * KB,
  'progress.md': 96 * KB,
  adr: 24 * KB,
  other: 48 * KB,
};

const ADVICE: Record<string, string> = {
  'activeContext.md': 'keep only the current state here and move history to progress.md',
  'progress.md': 'move older entries to an archive file (e.g. progress-2025.md)',
  adr: 'split the decision or move background material to systemPatterns.md',
};

/** Assignments of credentials that core's patterns (tokens with a known shape) do not cover. */
const ASSIGNED_SECRET =
  /\b(?:password|passwd|senha|secret|api[_-]?key|access[_-]?key|token|client[_-]?secret)\b\s*[:=]\s*["']?([^\s"'`]{8,})/i;
/** Values that name or stand for a secret without being one (`GITHUB_TOKEN`, `${{ secrets.X }}`, `<token>`). */
const PLACEHOLDER = /^(?:\*+|x+|<[^>]*>|\$\{\{[^}]*\}\}|\$\{?[A-Za-z_]+\}?|(?:secrets|env|vars)\.\w+|changeme|example\S*|redacted|\.{3})$/i;
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+[.,;:]?$/;

function secretOnLine(line: string): boolean {
  if (looksSecret(line)) return true;
  const assigned = ASSIGNED_SECRET.exec(line);
  const value = assigned?.[1] ?? '';
  return Boolean(assigned && !PLACEHOLDER.test(value) && !ENV_NAME.test(value));
}

const STATUS_NAMES = LANGUAGES.map((l) => STATUSES.map((s) => VOCABULARY[l].status[s]).join('/')).join(' or ');
const SECTION_NAMES = (s: (typeof REQUIRED_SECTIONS)[number]) =>
  `'${VOCABULARY.en.section[s]}' (pt-BR '${VOCABULARY['pt-BR'].section[s]}')`;

/**
 * `display` is the folder as problems name it (default: the bank's folder as given), e.g. the
 * path relative to the repository root for annotations.
 */
export function lintBank(bank: Bank, options: { budgets?: Record<string, number>; display?: string } = {}): Problem[] {
  const budgets = { ...DEFAULT_BUDGETS, ...options.budgets };
  const problems: Problem[] = [];
  const at = (file: string) => path.join(options.display ?? bank.dir, file);
  const add = (file: string, line: number, rule: Problem['rule'], message: string) =>
    problems.push({ file: at(file), line, rule, message });

  for (const name of BANK_FILES) {
    if (!bank.files.has(name))
      add(name, 1, 'missing-file', `${name} is missing; 'pipeline-toolkit memory-bank init' creates it without touching existing files`);
  }

  for (const name of foreignRecords([...bank.files.keys()])) {
    add(
      name,
      1,
      'naming',
      `is named like an adr-tools or MADR record, not ADR-NNN-<slug>.md, so it is not read as an ADR; 'pipeline-toolkit adr import ${options.display ?? bank.dir}' renames the records and their links`,
    );
  }
  for (const adr of bank.adrs) lintAdr(bank, adr, add);

  const byNumber = Map.groupBy(bank.adrs, (a) => a.number);
  for (const [number, same] of byNumber) {
    if (same.length < 2) continue;
    for (const adr of same) {
      const others = same.filter((o) => o !== adr).map((o) => o.file);
      add(
        adr.file,
        adr.titleLine,
        'number',
        `${adrId(number)} is also used by ${others.join(', ')}; give one a free number with 'pipeline-toolkit adr renumber'`,
      );
    }
  }

  const log = bank.files.get('decisionLog.md');
  if (log !== undefined) {
    const block = readBlock(log, 'adr-index');
    if (!block)
      add(
        'decisionLog.md',
        1,
        'index',
        "has no ADR index (<!-- adr-index:start --> … <!-- adr-index:end -->); run 'pipeline-toolkit memory-bank index'",
      );
    else if (!indexIsCurrent(log, bank.adrs, bank.language)) {
      add('decisionLog.md', block.line, 'index', "the ADR index is out of date; run 'pipeline-toolkit memory-bank index'");
    }
  }

  const progress = bank.files.get('progress.md');
  if (progress !== undefined) lintEntries(progress, add);

  for (const [name, text] of bank.files) {
    lintLinks(bank, name, text, add);
    // One pass over the whole file first: most files have no secret, and then no line needs a look.
    if (secretOnLine(text))
      text.split('\n').forEach((line, i) => {
        if (secretOnLine(line))
          add(name, i + 1, 'secret', 'looks like a secret (token, key or password); remove it and rotate it if it was real');
      });
    const kind = name in budgets ? name : bank.adrs.some((a) => a.file === name) ? 'adr' : 'other';
    const budget = budgets[kind] ?? DEFAULT_BUDGETS['other'] ?? 0;
    const bytes = Buffer.byteLength(text);
    if (bytes > budget) {
      const advice = ADVICE[kind] ? `: ${ADVICE[kind]}` : '';
      add(name, 1, 'size', `is ${(bytes / KB).toFixed(1)} KB, over its ${(budget / KB).toFixed(0)} KB budget${advice}`);
    }
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

type Add = (file: string, line: number, rule: Problem['rule'], message: string) => void;

function lintAdr(bank: Bank, adr: Adr, add: Add): void {
  const metaLine = (key: keyof Adr['meta']) => (adr.meta[key]?.index ?? adr.titleLine - 1) + 1;
  if (!/^#\s/m.test(adr.text)) add(adr.file, 1, 'title', `has no '# ${adrId(adr.number)}: Title' heading`);
  if (adr.titleNumber !== undefined && adr.titleNumber !== adr.number) {
    add(adr.file, adr.titleLine, 'title', `title says ADR ${adr.titleNumber} but the file name says ${adrId(adr.number)}`);
  }
  // MADR (log4brains) makes Consequences optional; Nygard's template (adr-tools) requires all three.
  for (const section of adr.madr ? MADR_SECTIONS : REQUIRED_SECTIONS) {
    if (!adr.sections.has(section)) add(adr.file, adr.titleLine, 'section', `missing section ${SECTION_NAMES(section)}`);
  }
  if (!adr.meta.status) add(adr.file, adr.titleLine, 'status', `has no status line ('- Status: accepted'); statuses: ${STATUS_NAMES}`);
  else if (!adr.status)
    add(adr.file, metaLine('status'), 'status', `status '${shown(adr.statusText ?? '')}' is not one of ${STATUS_NAMES}`);
  if (!adr.meta.date) add(adr.file, adr.titleLine, 'date', "has no date line ('- Date: YYYY-MM-DD')");
  else if (adr.dateProblem) add(adr.file, metaLine('date'), 'date', `date ${adr.dateProblem}`);
  else if (!adr.date) {
    add(adr.file, metaLine('date'), 'date', `date '${shown(adr.meta.date.value)}' is not a date (YYYY-MM-DD, or day/month/year)`);
  }

  // A supersession may be written on either side; the superseded record must say so in its status.
  for (const target of adr.supersedes) {
    const old = bank.adrs.find((a) => a.number === target);
    if (!old) add(adr.file, metaLine('supersedes'), 'supersede', `supersedes ${adrId(target)}, which does not exist`);
    else if (old.status !== 'superseded') {
      add(
        old.file,
        successorLine(old),
        'supersede',
        `${adr.file} supersedes it, but its status is not 'superseded' (by ${adrId(adr.number)}); run 'pipeline-toolkit adr supersede' or change the status`,
      );
    } else if (old.supersededBy.length > 0 && !old.supersededBy.includes(adr.number)) {
      add(
        adr.file,
        metaLine('supersedes'),
        'supersede',
        `says it supersedes ${adrId(target)}, but ${old.file} names ${old.supersededBy.map(adrId).join(', ')} as its successor`,
      );
    }
  }
  for (const successor of adr.supersededBy) {
    if (!bank.adrs.some((a) => a.number === successor)) {
      add(adr.file, metaLine('status'), 'supersede', `superseded by ${adrId(successor)}, which does not exist`);
    }
  }
  const namedByOthers = bank.adrs.some((a) => a.supersedes.includes(adr.number));
  if (adr.status === 'superseded' && adr.supersededBy.length === 0 && !namedByOthers) {
    add(adr.file, metaLine('status'), 'supersede', "is superseded but no record names its successor ('Superseded by: ADR-NNN')");
  }
}

/** A value quoted in a message: one line, at most 80 characters (cut on a character boundary). */
function shown(value: string): string {
  const line = value.replace(/[\r\n\t]+/g, ' ');
  return line.length > 80 ? `${cutText(line, 80)}` : line;
}

/** The line where an ADR names its successor (or its status line, where one belongs). */
function successorLine(adr: Adr): number {
  return (adr.meta.supersededBy?.index ?? adr.meta.status?.index ?? adr.titleLine - 1) + 1;
}

/** Link texts and targets never span brackets or parentheses, so each scan stops at the next one: linear. */
const LINK = /(?<!!)\[[^[\]\n]*\]\(\s*<?([^()<>\s[\]]+)>?(?:\s+"[^"\n]*")?\s*\)/g;

function lintLinks(bank: Bank, name: string, text: string, add: Add): void {
  let fenced: [number, number][] | undefined;
  let spans: [number, number][] | undefined;
  let lineAt: ((offset: number) => number) | undefined;
  for (const match of text.matchAll(LINK)) {
    fenced ??= codeFenceRanges(text);
    spans ??= codeSpanRanges(text);
    if (inRanges(fenced, match.index) || inRanges(spans, match.index)) continue;
    const target = match[1] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    let file: string;
    try {
      file = decodeURIComponent(target.split('#')[0] ?? '');
    } catch {
      file = target.split('#')[0] ?? '';
    }
    if (!file || existsSync(path.resolve(bank.dir, file))) continue;
    const hint = adrRefs(file)
      .map((n) => bank.adrs.find((a) => a.number === n))
      .find(Boolean);
    const former = bank.adrs.find((a) => a.formerly !== undefined && path.posix.basename(a.formerly) === path.posix.basename(file));
    const advice = hint ? ` (did you mean ${hint.file}?)` : former ? ` (it was imported as ${former.file})` : '';
    lineAt ??= lineIndex(text);
    add(name, lineAt(match.index), 'link', `link target '${shown(target)}' does not exist${advice}`);
  }
}

/** Whether `offset` falls in one of the sorted, disjoint `ranges` (binary search). */
function inRanges(ranges: readonly [number, number][], offset: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const [from, to] = ranges[mid] ?? [0, 0];
    if (offset < from) high = mid - 1;
    else if (offset >= to) low = mid + 1;
    else return true;
  }
  return false;
}

/** 1-based line of an offset, by binary search over the line starts (one pass over the text). */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

/** Offsets of fenced code blocks (``` or ~~~), visiting only the fence lines; an unclosed fence runs to the end. */
function codeFenceRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let open: { at: number; marker: string } | undefined;
  for (const m of text.matchAll(/^[ \t]*(`{3}|~{3})/gm)) {
    const marker = m[1] ?? '';
    const end = text.indexOf('\n', m.index);
    const lineEnd = end < 0 ? text.length : end;
    if (!open) open = { at: m.index, marker };
    else if (open.marker === marker && /^[`~]*\s*$/.test(text.slice(m.index + m[0].length, lineEnd))) {
      ranges.push([open.at, lineEnd]);
      open = undefined;
    }
  }
  if (open) ranges.push([open.at, text.length]);
  return ranges;
}

/**
 * Inline code spans (\`[text](n)\` is no link): a run of backticks opens one and the next run of
 * the same length closes it, within a paragraph (CommonMark §6.1). A run never closed is literal
 * and spans nothing.
 */
function codeSpanRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let open: { at: number; length: number } | undefined;
  for (const m of text.matchAll(/`+|\n[ \t]*\n/g)) {
    if (m[0].startsWith('\n')) open = undefined;
    else if (!open) open = { at: m.index, length: m[0].length };
    else if (m[0].length === open.length) {
      ranges.push([open.at, m.index + m[0].length]);
      open = undefined;
    }
  }
  return ranges;
}

/** An entry key twice (a merge conflict resolved by keeping both sides) would make upserts ambiguous. */
function lintEntries(text: string, add: Add): void {
  const seen = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    const key = /<!--\s*key:\s*([^\s<>]+)\s*-->/.exec(line)?.[1];
    if (!key) return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i + 1);
    else add('progress.md', i + 1, 'entry', `entry '${key}' is already on line ${first}; keep one of them`);
  });
}
