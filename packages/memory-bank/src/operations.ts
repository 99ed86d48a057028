import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cutText, exec, ExternalError, InputError, type Exec } from '@pipeline-toolkit/core';
import { ADR_FILE, adrFileName, adrId, adrLink, formatNumber, parseAdr, renderAdr, setMeta, type Adr } from './adr.ts';
import { foreignRecords, planImport, writeImport, type ImportPlan } from './import.ts';
import { findAdr, readBank, type Bank } from './bank.ts';
import { readBankText } from './bank-file.ts';
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

/** Longest ADR title accepted (a title is a heading and a file name, not a paragraph). */
export const TITLE_MAX = 200;

/** A title on one line, without control characters, of at most TITLE_MAX characters. */
export function checkTitle(raw: string, input = 'title'): string {
  const title = raw.trim();
  if (!title) throw new InputError(input, 'The ADR title is required: pipeline-toolkit adr new "Title".');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(title)) {
    throw new InputError(input, `The ADR title must be one line without control characters, got ${JSON.stringify(cutText(title, 80))}.`);
  }
  if (title.length > TITLE_MAX) {
    throw new InputError(input, `The ADR title is ${title.length} characters long; at most ${TITLE_MAX} are accepted.`);
  }
  return title;
}

/** Tries at most this many numbers when files keep appearing under the number we wanted. */
const RESERVE_ATTEMPTS = 100;
/** A lock older than this was left by a process that died. */
const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 20_000;

/**
 * Runs `work` while holding the bank's lock (a `.adr-lock` folder: mkdir is atomic), so that
 * concurrent `adr` commands read the numbers and rewrite decisionLog.md one after the other.
 */
export async function withBankLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(dir, '.adr-lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      // No folder: nothing to lock; the work itself says the folder is missing.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return work();
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (since > STALE_LOCK_MS) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new ExternalError(`${lock} is held by another 'adr' command; remove it if none is running.`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

export async function createAdr(dir: string, options: NewAdrOptions): Promise<Written> {
  const title = checkTitle(options.title);
  await mkdir(dir, { recursive: true });
  return withBankLock(dir, () => createLocked(dir, title, options));
}

async function createLocked(dir: string, title: string, options: NewAdrOptions): Promise<Written> {
  const bank = await readBank(dir, { language: options.language });
  refuseForeignRecords(bank);
  const old = options.supersedes === undefined ? undefined : findAdr(bank, options.supersedes);
  const local = bank.adrs.map((a) => ({ number: a.number, file: a.file, source: 'local' }));
  let number = nextNumber([...local, ...(options.usedElsewhere ?? [])]);
  const render = (n: number) =>
    renderAdr({
      number: n,
      title,
      status: options.status ?? 'proposed',
      date: options.date,
      language: bank.language,
      ...(old ? { supersedes: old } : {}),
    });
  // Exclusive create ('wx'): a file that appeared under the number anyway (a tool that does not
  // take the lock) is never overwritten; the next number is tried.
  let file = adrFileName(number, title);
  for (let attempt = 1; ; attempt++) {
    const names = await readdir(dir);
    if (!names.some((name) => Number(ADR_FILE.exec(name)?.[1] ?? NaN) === number)) {
      try {
        await writeFile(path.join(dir, file), render(number), { flag: 'wx' });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    if (attempt >= RESERVE_ATTEMPTS) {
      throw new ExternalError(`Could not reserve an ADR number in ${dir}: ${RESERVE_ATTEMPTS} numbers were taken while trying.`);
    }
    number++;
    file = adrFileName(number, title);
  }
  const text = render(number);
  const written = new Set([file]);
  if (old) await write(bank, old.file, markSuperseded(old, { number, file }, bank.language), written);
  await reindex(bank, written, options.date);
  return { adr: parseAdr(file, text), files: [...written] };
}

/** A folder of adr-tools or MADR records would get ADR-001 next to its 0001: import them first. */
function refuseForeignRecords(bank: Bank): void {
  const foreign = foreignRecords([...bank.files.keys()]);
  if (foreign.length === 0) return;
  throw new InputError(
    'dir',
    `${bank.dir} holds ${foreign.length} record(s) named in another scheme (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); ` +
      `a new ADR would reuse their numbers. Import them first: pipeline-toolkit adr import ${bank.dir} --dry-run`,
  );
}

export async function setAdrStatus(
  dir: string,
  number: number,
  status: Status,
  options: { date: string; language?: Language },
): Promise<Written> {
  return withBankLock(dir, async () => {
    const bank = await readBank(dir, { language: options.language });
    const adr = findAdr(bank, number);
    const written = new Set<string>();
    await write(bank, adr.file, setMeta(adr, 'status', VOCABULARY[bank.language].status[status], bank.language), written);
    await reindex(bank, written, options.date);
    return { adr: parseAdr(adr.file, bank.files.get(adr.file) ?? ''), files: [...written] };
  });
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
  return withBankLock(dir, () => renumberLocked(dir, from, to, options));
}

async function renumberLocked(
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
    const text = await readBankText(file, 'dir');
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
  return match.replace(/(ADR[-\s]?)\d+$/i, (_m, prefix: string) => `${prefix}${formatNumber(to)}`);
}

export async function writeIndex(dir: string, options: { date: string; language?: Language }): Promise<string[]> {
  const bank = await readBank(dir, { language: options.language });
  const written = new Set<string>();
  await reindex(bank, written, options.date);
  return [...written];
}

/**
 * Imports the records of `source` (adr-tools, MADR / log4brains, ADR-NNN) into the bank `dir`,
 * or renames them in place when `source` is the bank; then regenerates the index. With `dryRun`
 * only the plan is returned.
 */
export async function importAdrs(
  source: string,
  dir: string,
  options: { date: string; language?: Language; dryRun?: boolean },
): Promise<{ plan: ImportPlan; files: string[] }> {
  if (options.dryRun) return { plan: (await planImport(source, dir)).plan, files: [] };
  await mkdir(dir, { recursive: true });
  return withBankLock(dir, async () => {
    const { plan, texts } = await planImport(source, dir);
    await writeImport(plan, texts);
    const written = new Set([...plan.moves.map((m) => m.to), ...plan.relinked.map((r) => r.file)]);
    await reindex(await readBank(dir, { language: options.language }), written, options.date);
    return { plan, files: [...written] };
  });
}
