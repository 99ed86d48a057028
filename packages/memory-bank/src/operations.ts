import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exec, InputError, type Exec } from '@pipeline-toolkit/core';
import { adrFileName, adrId, adrLink, formatNumber, parseAdr, renderAdr, setMeta, type Adr } from './adr.ts';
import { findAdr, readBank, type Bank } from './bank.ts';
import { updateDecisionLog } from './decision-index.ts';
import { VOCABULARY, type Language, type Status } from './language.ts';
import { gitLocation, nextNumber, type UsedNumber } from './numbering.ts';
import { bankTemplates } from './templates.ts';

/** ADR operations on a bank folder. Each returns the files it wrote (relative to the bank). */

export interface NewAdrOptions {
  title: string;
  status?: Status;
  supersedes?: number;
  date: string;
  /** Numbers in use elsewhere (other branches, open pull requests); local files are always counted. */
  usedElsewhere?: readonly UsedNumber[];
  language?: Language;
}

export interface Written {
  adr: Adr;
  files: string[];
}

async function write(bank: Bank, name: string, text: string, written: Set<string>): Promise<void> {
  if (bank.files.get(name) === text) return;
  await writeFile(path.join(bank.dir, name), text);
  bank.files.set(name, text);
  written.add(name);
}

async function reindex(bank: Bank, written: Set<string>, date: string): Promise<void> {
  const fresh = await readBank(bank.dir, { language: bank.language });
  const log = fresh.files.get('decisionLog.md') ?? bankTemplates(bank.language, date)['decisionLog.md'];
  await write(fresh, 'decisionLog.md', updateDecisionLog(log, fresh.adrs, fresh.language), written);
}

/** Writes `old` as superseded by `successor`, on both of its lines (status and "superseded by"). */
function markSuperseded(old: Adr, successor: Pick<Adr, 'number' | 'file'>, language: Language): string {
  const v = VOCABULARY[language];
  let text = setMeta(old, 'status', v.status.superseded, language);
  const reparsed = parseAdr(old.file, text);
  const links = [...new Set([...old.supersededBy.filter((n) => n !== successor.number).map((n) => adrId(n)), adrLink(successor)])];
  text = setMeta(reparsed, 'supersededBy', links.join(', '), language);
  return text;
}

export async function createAdr(dir: string, options: NewAdrOptions): Promise<Written> {
  const title = options.title.trim();
  if (!title) throw new InputError('title', 'The ADR title is required: pipeline-toolkit adr new "Title".');
  await mkdir(dir, { recursive: true });
  const bank = await readBank(dir, { language: options.language });
  const old = options.supersedes === undefined ? undefined : findAdr(bank, options.supersedes);
  const local = bank.adrs.map((a) => ({ number: a.number, file: a.file, source: 'local' }));
  const number = nextNumber([...local, ...(options.usedElsewhere ?? [])]);
  const file = adrFileName(number, title);
  const text = renderAdr({
    number,
    title,
    status: options.status ?? 'proposed',
    date: options.date,
    language: bank.language,
    ...(old ? { supersedes: old } : {}),
  });
  await writeFile(path.join(dir, file), text, { flag: 'wx' });
  const written = new Set([file]);
  if (old) await write(bank, old.file, markSuperseded(old, { number, file }, bank.language), written);
  await reindex(bank, written, options.date);
  return { adr: parseAdr(file, text), files: [...written] };
}

export async function setAdrStatus(
  dir: string,
  number: number,
  status: Status,
  options: { date: string; language?: Language },
): Promise<Written> {
  const bank = await readBank(dir, { language: options.language });
  const adr = findAdr(bank, number);
  const written = new Set<string>();
  await write(bank, adr.file, setMeta(adr, 'status', VOCABULARY[bank.language].status[status], bank.language), written);
  await reindex(bank, written, options.date);
  return { adr: parseAdr(adr.file, bank.files.get(adr.file) ?? ''), files: [...written] };
}

/**
 * Gives ADR `from` the number `to`: renames the file, fixes its title and every reference
 * (`ADR-003`, links to `ADR-003-x.md`) in the bank's Markdown files, then regenerates the index.
 */
export async function renumberAdr(
  dir: string,
  from: number,
  to: number,
  options: { date: string; language?: Language; file?: string; exec?: Exec },
): Promise<Written> {
  const bank = await readBank(dir, { language: options.language });
  const candidates = bank.adrs.filter((a) => a.number === from && (!options.file || a.file === options.file));
  if (candidates.length !== 1) {
    if (candidates.length === 0) findAdr(bank, from);
    throw new InputError('number', `ADR ${from} is used by ${candidates.map((a) => a.file).join(' and ')}; say which one with --file.`);
  }
  const adr = candidates[0] as Adr;
  const taken = bank.adrs.find((a) => a.number === to);
  if (taken) throw new InputError('number', `${adrId(to)} is already used by ${taken.file}; pick a free number.`);
  const newFile = adr.file.replace(/^ADR-\d+/i, `ADR-${formatNumber(to)}`);
  if (existsSync(path.join(dir, newFile))) throw new InputError('number', `${newFile} already exists.`);
  const written = new Set<string>();
  // References to the other ADRs sharing the old number (a collision) must keep pointing at them.
  const duplicates = bank.adrs.some((a) => a !== adr && a.number === from);
  for (const [name, text] of bank.files) {
    const updated = duplicates
      ? text
          .split(adr.file)
          .join(newFile)
          .replace(titlePattern(from), (m) => (name === adr.file ? renumbered(m, to) : m))
      : text.replace(referencePattern(from), (m) => renumbered(m, to));
    await write(bank, name, updated, written);
  }
  await rename(path.join(dir, adr.file), path.join(dir, newFile));
  written.delete(adr.file);
  written.add(newFile);
  bank.files.set(newFile, bank.files.get(adr.file) ?? '');
  bank.files.delete(adr.file);
  await reindex(bank, written, options.date);
  for (const file of await relinkRepository(dir, adr.file, newFile, options.exec ?? exec)) written.add(file);
  return { adr: parseAdr(newFile, await readFile(path.join(dir, newFile), 'utf8')), files: [...written] };
}

/**
 * Links to a renamed ADR from Markdown elsewhere in the repository (README, docs/): only the file
 * name is replaced there, since a bare `ADR-003` outside the bank may mean something else.
 * Returns the files changed, relative to the bank folder.
 */
async function relinkRepository(dir: string, oldFile: string, newFile: string, run: Exec): Promise<string[]> {
  const location = await gitLocation(dir, run).catch(() => undefined);
  if (!location) return [];
  const listing = await run('git', ['ls-files', '-z', '--', '*.md', '*.markdown'], { cwd: location.top });
  const escaped = oldFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<![\\w.-])${escaped}`, 'g');
  const changed: string[] = [];
  for (const relative of listing.stdout.split('\0').filter(Boolean)) {
    const file = path.join(location.top, relative);
    if (path.dirname(file) === path.resolve(dir) || !existsSync(file)) continue;
    const text = await readFile(file, 'utf8');
    const updated = text.replace(pattern, newFile);
    if (updated === text) continue;
    await writeFile(file, updated);
    changed.push(path.relative(dir, file));
  }
  return changed;
}

function referencePattern(number: number): RegExp {
  return new RegExp(`\\bADR([-\\s]?)0*${number}(?!\\d)`, 'gi');
}

function titlePattern(number: number): RegExp {
  return new RegExp(`^#\\s+ADR([-\\s]?)0*${number}(?!\\d)`, 'im');
}

function renumbered(match: string, to: number): string {
  return match.replace(/(ADR[-\s]?)0*\d+$/i, (_m, prefix: string) => `${prefix}${formatNumber(to)}`);
}

export async function writeIndex(dir: string, options: { date: string; language?: Language }): Promise<string[]> {
  const bank = await readBank(dir, { language: options.language });
  const written = new Set<string>();
  await reindex(bank, written, options.date);
  return [...written];
}
