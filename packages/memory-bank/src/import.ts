import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@pipeline-toolkit/core';
import { ADR_FILE, formatNumber, parseHeading } from './adr.ts';
import { readBankText } from './bank-file.ts';

/**
 * `adr import`: records named by other tools get ADR-NNN names. adr-tools and its relatives
 * (`0001-slug.md`, `001-slug.md`) keep their number when it is free; MADR / log4brains records
 * (`20201016-slug.md`) and records whose number is taken get the next free numbers in date (or
 * number) order. Links between the records are rewritten, and each record keeps its old name in a
 * `<!-- formerly: … -->` comment under its title, so links from elsewhere can still be traced.
 */

const NUMBERED = /^(\d{1,5})-([^/]+)\.md$/i;
const DATED = /^(\d{8})-([^/]+)\.md$/;

/** Records in a folder named in another scheme than ADR-NNN (adr-tools, MADR / log4brains). */
export function foreignRecords(names: readonly string[]): string[] {
  return names.filter((name) => !ADR_FILE.test(name) && (NUMBERED.test(name) || DATED.test(name))).sort();
}

export interface ImportMove {
  /** File name in the source folder. */
  from: string;
  /** File name in the bank. */
  to: string;
  number: number;
  /** Links to other imported records rewritten in this file. */
  links: number;
}

export interface ImportPlan {
  source: string;
  bank: string;
  moves: ImportMove[];
  /** Other Markdown files of the bank whose links to imported records are rewritten (in-place import). */
  relinked: { file: string; links: number }[];
  /** The originals are removed (the source is the bank itself) or left where they are. */
  inPlace: boolean;
}

interface Candidate {
  name: string;
  slug: string;
  /** The number the old name carries (adr-tools), if any. */
  number?: number;
  /** Sort key: the number, or the date of a MADR name. */
  order: string;
}

function candidates(names: readonly string[]): Candidate[] {
  const found: Candidate[] = [];
  for (const name of names) {
    const adr = ADR_FILE.exec(name);
    const numbered = NUMBERED.exec(name);
    const dated = DATED.exec(name);
    if (adr) found.push({ name, slug: adr[2] ?? 'decision', number: Number(adr[1]), order: `0${(adr[1] ?? '').padStart(8, '0')}` });
    else if (dated) found.push({ name, slug: dated[2] ?? 'decision', order: `1${dated[1] ?? ''}` });
    else if (numbered)
      found.push({ name, slug: numbered[2] ?? 'decision', number: Number(numbered[1]), order: `0${(numbered[1] ?? '').padStart(8, '0')}` });
  }
  return found.sort((a, b) => a.order.localeCompare(b.order) || a.name.localeCompare(b.name));
}

/** Link texts and targets never span brackets or parentheses: linear. */
const LINK = /(?<!!)\[([^[\]\n]*)\]\(\s*<?([^()<>\s[\]]+)>?/g;

/** Rewrites links whose target is one of `renames` (same folder); returns the text and the count. */
export function rewriteLinks(text: string, renames: ReadonlyMap<string, string>): { text: string; links: number } {
  let links = 0;
  const out = text.replace(LINK, (whole, label: string, target: string) => {
    const [file = '', fragment] = target.split('#', 2);
    const clean = file.startsWith('./') ? file.slice(2) : file;
    const renamed = clean.includes('/') ? undefined : renames.get(clean);
    if (!renamed) return whole;
    links++;
    const stem = clean.replace(/\.md$/i, '');
    const newLabel = label === stem || label === clean ? (/^ADR-\d+/i.exec(renamed)?.[0] ?? renamed) : label;
    return whole.replace(`[${label}]`, `[${newLabel}]`).replace(target, `${renamed}${fragment === undefined ? '' : `#${fragment}`}`);
  });
  return { text: out, links };
}

/** The old name under the title (or at the top of the body): `<!-- formerly: 0005-help-comments.md -->`. */
function markFormerly(text: string, former: string): string {
  if (text.includes('<!-- formerly:')) return text;
  const lines = text.split('\n');
  let at = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
    at = end < 0 ? 0 : end + 1;
  }
  const title = lines.findIndex((line, i) => i >= at && parseHeading(line)?.level === 1);
  const position = title < 0 ? at : title + 1;
  lines.splice(position, 0, ...(title < 0 ? [`<!-- formerly: ${former} -->`, ''] : ['', `<!-- formerly: ${former} -->`]));
  return lines.join('\n');
}

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.md'))
    .map((e) => e.name)
    .sort();
}

/** What `adr import` would do: which file becomes which ADR, and how many links change. */
export async function planImport(source: string, bank: string): Promise<{ plan: ImportPlan; texts: Map<string, string> }> {
  if (!existsSync(source)) throw new InputError('source', `Folder '${source}' does not exist.`);
  const inPlace = path.resolve(source) === path.resolve(bank);
  const sourceNames = await markdownFiles(source);
  const bankNames = inPlace ? sourceNames : existsSync(bank) ? await markdownFiles(bank) : [];
  const found = candidates(inPlace ? foreignRecords(sourceNames) : sourceNames);
  if (found.length === 0) {
    throw new InputError(
      'source',
      `No records to import in '${source}': expected adr-tools (0001-slug.md), MADR / log4brains (20201016-slug.md) or ADR-NNN-slug.md files.`,
    );
  }
  const taken = new Set(bankNames.flatMap((name) => (ADR_FILE.exec(name) ? [Number(ADR_FILE.exec(name)?.[1])] : [])));
  const numbers = new Map<string, number>();
  for (const c of found) {
    if (c.number !== undefined && !taken.has(c.number)) {
      numbers.set(c.name, c.number);
      taken.add(c.number);
    }
  }
  let next = Math.max(0, ...taken) + 1;
  for (const c of found) {
    if (!numbers.has(c.name)) {
      numbers.set(c.name, next);
      taken.add(next++);
    }
  }
  const renames = new Map(found.map((c) => [c.name, `ADR-${formatNumber(numbers.get(c.name) ?? 0)}-${c.slug}.md`]));
  const texts = new Map<string, string>();
  const moves: ImportMove[] = [];
  for (const c of found) {
    const to = renames.get(c.name) ?? c.name;
    if (!inPlace && bankNames.includes(to)) throw new InputError('source', `${to} already exists in ${bank}.`);
    const rewritten = rewriteLinks(await readBankText(path.join(source, c.name), 'source'), renames);
    texts.set(to, markFormerly(rewritten.text, c.name));
    moves.push({ from: c.name, to, number: numbers.get(c.name) ?? 0, links: rewritten.links });
  }
  const relinked: ImportPlan['relinked'] = [];
  if (inPlace) {
    for (const name of bankNames.filter((n) => !renames.has(n))) {
      const rewritten = rewriteLinks(await readBankText(path.join(bank, name), 'dir'), renames);
      if (rewritten.links === 0) continue;
      texts.set(name, rewritten.text);
      relinked.push({ file: name, links: rewritten.links });
    }
  }
  return { plan: { source, bank, moves, relinked, inPlace }, texts };
}

/** Writes the plan: new files first (never over an existing one), then the in-place originals go. */
export async function writeImport(plan: ImportPlan, texts: ReadonlyMap<string, string>): Promise<void> {
  for (const move of plan.moves) await writeFile(path.join(plan.bank, move.to), texts.get(move.to) ?? '', { flag: 'wx' });
  for (const { file } of plan.relinked) await writeFile(path.join(plan.bank, file), texts.get(file) ?? '');
  if (plan.inPlace) for (const move of plan.moves) await rm(path.join(plan.source, move.from));
}
