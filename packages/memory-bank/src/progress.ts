import { escapeMarkdown } from '@pipeline-toolkit/core';
import { readBlock, upsertBlock, type BlockName } from './blocks.ts';
import { fold, VOCABULARY, type Language } from './language.ts';
import { bankTemplates } from './templates.ts';

/**
 * Entries CI writes into progress.md and the "current state" block of activeContext.md.
 * Every entry carries its key in a hidden comment (`<!-- key: deploy/production/123 -->`): an upsert
 * replaces the entry with the same key or adds it, so a re-run changes nothing and two runs with
 * different keys both keep their entry whatever the order they land in.
 */

export const RESULTS = ['success', 'failure', 'cancelled', 'skipped'] as const;
export type Result = (typeof RESULTS)[number];

const RESULT_NAMES: Record<Language, Record<Result, string>> = {
  en: { success: 'success', failure: 'failure', cancelled: 'cancelled', skipped: 'skipped' },
  'pt-BR': { success: 'sucesso', failure: 'falha', cancelled: 'cancelado', skipped: 'ignorado' },
};

export interface Link {
  text: string;
  url?: string | undefined;
}

export interface DeployRecord {
  environment: string;
  runId: string;
  version: string;
  result: Result;
  /** YYYY-MM-DD; an existing entry keeps its own date so that a re-run on another day changes nothing. */
  date: string;
  commit?: Link | undefined;
  pullRequest?: Link | undefined;
  deployUrl?: string | undefined;
  runUrl?: string | undefined;
}

export interface MergedPullRequest {
  number: number;
  title: string;
  url: string;
  author?: string | undefined;
  /** YYYY-MM-DD of the merge. */
  date: string;
  commit?: Link | undefined;
}

export interface Entry {
  key: string;
  /** The Markdown list item without its key comment. */
  body: string;
  date: string;
}

function md(link: Link): string {
  const text = escapeMarkdown(link.text);
  return link.url ? `[${text}](${link.url})` : text;
}

export function deployEntry(record: DeployRecord, language: Language): Entry {
  const parts = [record.date, `**${escapeMarkdown(record.environment)}**`, escapeMarkdown(record.version)];
  if (record.commit) parts.push(md(record.commit));
  if (record.pullRequest) parts.push(md(record.pullRequest));
  if (record.deployUrl) parts.push(md({ text: 'deploy', url: record.deployUrl }));
  parts.push(RESULT_NAMES[language][record.result]);
  if (record.runUrl) parts.push(md({ text: language === 'pt-BR' ? 'execução' : 'run', url: record.runUrl }));
  return { key: `deploy/${keyPart(record.environment)}/${keyPart(record.runId)}`, body: `- ${parts.join(' · ')}`, date: record.date };
}

/**
 * A part of an entry key: white space and the characters that end the key comment are
 * percent-encoded, so that `staging eu` is one key (`deploy/staging%20eu/7`) and found again on a
 * re-run instead of being added twice.
 */
function keyPart(text: string): string {
  return text.replace(/[\s<>%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function pullRequestEntry(pull: MergedPullRequest): Entry {
  const parts = [pull.date, md({ text: `#${pull.number} ${pull.title}`, url: pull.url })];
  if (pull.author) parts.push(`@${escapeMarkdown(pull.author)}`);
  if (pull.commit) parts.push(md(pull.commit));
  return { key: `pr/${pull.number}`, body: `- ${parts.join(' · ')}`, date: pull.date };
}

const KEY = /<!--\s*key:\s*([^\s<>]+)\s*-->/;

/** The date of the entry already recorded under `key`, if any. */
export function recordedDate(text: string | undefined, block: BlockName, key: string): string | undefined {
  const content = text === undefined ? undefined : readBlock(text, block)?.content;
  const line = content?.split('\n').find((l) => KEY.exec(l)?.[1] === key);
  return line ? /^-\s+(\d{4}-\d{2}-\d{2})/.exec(line)?.[1] : undefined;
}

/**
 * progress.md with `entry` upserted in `block`, newest first. A missing file starts from the bank's
 * template; a file without the block gets the block appended.
 */
export function upsertEntry(text: string | undefined, block: BlockName, entry: Entry, language: Language): string {
  const base = text ?? bankTemplates(language, entry.date)['progress.md'];
  const line = `${entry.body} <!-- key: ${entry.key} -->`;
  const current = readBlock(base, block)?.content ?? '';
  const lines = current.split('\n').filter((l) => l.trim() && !/^_.*_$/.test(l.trim()));
  const at = lines.findIndex((l) => KEY.exec(l)?.[1] === entry.key);
  if (at >= 0) lines[at] = line;
  else {
    // Newest first; entries of the same date keep the order they arrived in.
    const before = lines.findIndex((l) => (/^-\s+(\d{4}-\d{2}-\d{2})/.exec(l)?.[1] ?? '') < entry.date);
    lines.splice(before < 0 ? lines.length : before, 0, line);
  }
  const heading = block === 'deploys' ? 'Deploys' : language === 'pt-BR' ? 'PRs integrados' : 'Merged pull requests';
  return upsertBlock(base, block, lines.join('\n'), heading);
}

/** `## Current state [date]`, `## Estado Atual [date]`, also bilingual (`## Estado atual / Current state [date]`). */
function isStateHeading(folded: string): boolean {
  const line = folded.trimEnd();
  return (
    /^##\s/.test(line) && (line.includes('current state') || line.includes('estado atual')) && line.endsWith(']') && line.includes('[')
  );
}

/** `- Label: …` in any case and accents (folding only the lines that are list items). */
function isItem(line: string, label: string): boolean {
  return line.startsWith('- ') && fold(line.slice(0, label.length + 8)).startsWith(`- ${fold(label)}:`);
}

function labels(language: Language, environment: string) {
  const env =
    fold(environment) === 'production' || fold(environment) === 'producao'
      ? language === 'pt-BR'
        ? 'produção'
        : 'production'
      : environment;
  return language === 'pt-BR'
    ? { version: `Versão em ${env}`, last: 'Último deploy', next: 'Próximo marco' }
    : { version: `Version in ${env}`, last: 'Last deploy', next: 'Next milestone' };
}

/**
 * activeContext.md with its current-state block rewritten for a deploy: the heading's date, the
 * version running in the environment (on success only) and the last deploy. Every other line of
 * the block — the next milestone, notes — is kept.
 */
export function updateCurrentState(text: string | undefined, record: DeployRecord, language: Language): string {
  const base = text ?? bankTemplates(language, record.date)['activeContext.md'];
  const lines = base.split('\n');
  const l = labels(language, record.environment);
  const heading = `## ${VOCABULARY[language].currentState} [${record.date}]`;
  let start = lines.findIndex((line) => line.startsWith('##') && isStateHeading(fold(line.slice(0, 400))));
  if (start < 0) {
    const firstSection = lines.findIndex((line, i) => i > 0 && /^##\s/.test(line));
    start = firstSection < 0 ? lines.length : firstSection;
    lines.splice(start, 0, heading, '', `- ${l.next}: —`, '');
  }
  const existingHeading = lines[start] ?? '';
  const open = existingHeading.indexOf('[');
  const close = open < 0 ? -1 : existingHeading.indexOf(']', open);
  lines[start] = close < 0 ? heading : `${existingHeading.slice(0, open)}[${record.date}]${existingHeading.slice(close + 1)}`;
  let end = lines.findIndex((line, i) => i > start && /^#{1,2}\s/.test(line));
  if (end < 0) end = lines.length;

  const last = [record.date, record.environment, record.version, RESULT_NAMES[language][record.result]]
    .map((p) => escapeMarkdown(p))
    .join(' · ');
  const values: [string, string][] = [
    [l.last, record.runUrl ? `${last} · ${md({ text: language === 'pt-BR' ? 'execução' : 'run', url: record.runUrl })}` : last],
  ];
  if (record.result === 'success') values.unshift([l.version, escapeMarkdown(record.version)]);
  for (const [label, value] of values) {
    const item = `- ${label}: ${value}`;
    const at = lines.findIndex((line, i) => i > start && i < end && isItem(line, label));
    if (at >= 0) lines[at] = item;
    else {
      // After the heading's other items, before the next milestone when there is one.
      const next = lines.findIndex((line, i) => i > start && i < end && isItem(line, l.next));
      const lastItem = lines.findLastIndex((line, i) => i > start && i < end && /^\s*[-*]\s/.test(line));
      let position = next >= 0 ? next : lastItem >= 0 ? lastItem + 1 : start + 2;
      // Past the continuation lines of a multi-line item.
      while (next < 0 && lastItem >= 0 && position < end && /^\s+\S/.test(lines[position] ?? '')) position++;
      lines.splice(position, 0, item);
      end++;
    }
  }
  return lines.join('\n');
}
