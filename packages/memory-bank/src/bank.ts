import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@pipeline-toolkit/core';
import { ADR_FILE, parseAdr, type Adr } from './adr.ts';
import { readBankText } from './bank-file.ts';
import { foreignRecords } from './import.ts';
import { detectLanguage, languageOf, type Language } from './language.ts';
import { BANK_FILES, bankTemplates } from './templates.ts';

/** A memory bank as found on disk: every Markdown file of the folder, its ADRs and its language. */
export interface Bank {
  dir: string;
  language: Language;
  /** File name → text, for every `.md` file directly in the folder. */
  files: Map<string, string>;
  /** ADRs sorted by number (then file name, so duplicates sit together). */
  adrs: Adr[];
}

export async function readBank(dir: string, options: { language?: Language | undefined } = {}): Promise<Bank> {
  if (!existsSync(dir))
    throw new InputError('dir', `Memory bank folder '${dir}' does not exist. Create it with 'pipeline-toolkit memory-bank init'.`);
  const files = new Map<string, string>();
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isFile() && entry.name.toLowerCase().endsWith('.md'))
      files.set(entry.name, await readBankText(path.join(dir, entry.name), 'dir'));
  }
  const adrs = [...files].filter(([name]) => ADR_FILE.test(name)).map(([name, text]) => parseAdr(name, text));
  adrs.sort((a, b) => a.number - b.number || a.file.localeCompare(b.file));
  // The bank's own files tell its language first: records imported from elsewhere may be in another one.
  const language =
    options.language ??
    languageOf([files.get('decisionLog.md') ?? '', files.get('activeContext.md') ?? '']) ??
    detectLanguage(adrs.map((a) => a.text));
  return { dir, language, files, adrs };
}

export function findAdr(bank: Bank, number: number): Adr {
  const found = bank.adrs.filter((a) => a.number === number);
  if (found.length === 0) {
    const known = bank.adrs.map((a) => a.number).join(', ') || 'none';
    const foreign = foreignRecords([...bank.files.keys()]);
    const hint = foreign.length
      ? ` ${foreign.length} record(s) there are named in another scheme (${foreign[0]}, …): import them first with 'pipeline-toolkit adr import ${bank.dir}'.`
      : '';
    throw new InputError('number', `There is no ADR ${number} in ${bank.dir} (ADRs: ${known}).${hint}`);
  }
  if (found.length > 1) {
    throw new InputError(
      'number',
      `ADR ${number} is ambiguous: ${found.map((a) => a.file).join(', ')}. Renumber one first ('pipeline-toolkit adr renumber').`,
    );
  }
  return found[0] as Adr;
}

export interface InitResult {
  created: string[];
  kept: string[];
}

/** Creates the five bank files from the language's templates; an existing file is never overwritten. */
export async function initBank(dir: string, language: Language, date: string): Promise<InitResult> {
  await mkdir(dir, { recursive: true });
  const templates = bankTemplates(language, date);
  const result: InitResult = { created: [], kept: [] };
  for (const name of BANK_FILES) {
    try {
      await writeFile(path.join(dir, name), templates[name], { flag: 'wx' });
      result.created.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      result.kept.push(name);
    }
  }
  return result;
}

/** Today as YYYY-MM-DD (UTC), the date format of ADRs and progress entries. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
